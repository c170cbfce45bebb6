/* model.h: a network of any depth, as a list of layers (layer.h).
 *
 * Sizes n0, n1, ..., nL make L dense layers: layer l reads n(l-1) inputs and
 * has n(l) units; every layer but the last applies ReLU, the last gives the
 * logits, and softmax with cross-entropy sits on top, as in chapter 05:
 *   forward:   A0 = X;  for l = 1..L:  Z_l = W_l · A_(l-1) + b_l,  A_l = g(Z_l)
 *   backward:  dA_L = softmax(Z_L) - Y;
 *              for l = L..1:  layer l's backward, its dX filling dA_(l-1)
 * The backward pass is one loop, whatever the depth. Chapter 05's 784-h-10
 * network is the model of sizes 784, h, 10, and computes the same numbers. */
#ifndef NN_MODEL_H
#define NN_MODEL_H

#include <stddef.h>

#include "dense.h"
#include "epoch.h"
#include "error.h"
#include "layer.h"
#include "matrix.h"
#include "mnist.h"
#include "rng.h"

enum { MODEL_MAX_SIZES = 16 };             /* at most 15 layers */
enum { MODEL_MAX_PARAMETERS = 100000000 }; /* 400 MB of floats; training keeps about 5 copies */

typedef struct Model Model;
typedef struct ModelOps ModelOps;
struct Model {
    size_t count;  /* L, the number of layers */
    Layer *layers; /* layers[0] reads the input, layers[count - 1] gives the logits */
    size_t batch;  /* the largest batch its workspace holds */
    Matrix *P;     /* (outputs×m): softmax of the logits, made by the backward pass */
    /* Chapter 10: writes, beside the log at log_path, the files of the
     * pictures only this kind of model has, after model_inspect's
     * (model_sgd.h) and with the same arguments; NULL for dense layers.
     * convnet_new sets it (feature_maps.h). */
    int (*inspect)(Model *model, const ModelOps *ops, const MnistSet *test, const char *log_path,
                   NnError *err);
};

/* A model of sizes[0] inputs, count - 1 layers of sizes[1..count-1] units, all
 * parameters zero, with workspace for batches of up to `batch` examples. */
Model *model_new(const size_t *sizes, size_t count, size_t batch);
/* A model of `count` layers still to be made, each zero (layer_init, or
 * chapter 10's conv_layer_init, makes them), with room for P: what
 * model_new starts from. */
Model *model_alloc(size_t count, size_t outputs, size_t batch);
void model_free(Model *model);

size_t model_inputs(const Model *model);
size_t model_outputs(const Model *model);
/* How many weights and biases. */
size_t model_parameter_count(const Model *model);

/* He initialisation of every layer, first to last (chapter 05's order). */
void model_init_he(Model *model, Rng *rng);
/* The notebook's start: every parameter uniform in (-0.5, 0.5). */
void model_init_uniform(Model *model, Rng *rng);

/* The start an --init flag names (dense.h): one of the two above. */
void model_init(Model *model, InitKind init, Rng *rng);

/* What a training step does with a layer's gradients once they are made:
 * change rows r0..r1-1 of its W and b (plain SGD, W = W - α dW, here;
 * chapter 07's momentum and Adam; rows so that threads can share a layer,
 * chapter 09). begin, unless NULL, is called once per step, before any rows. */
typedef struct {
    void (*begin)(void *rule);
    void (*rows)(void *rule, Layer *layer, size_t l, size_t r0, size_t r1);
    void *rule; /* what they read: the learning rate, an optimizer's state */
    /* Plain SGD's α, and NULL for any other rule: W = W - α dW is then a
     * product's last touch, which chapter 09 folds into the product of dW
     * itself (W = W - α·dZ·Xᵀ), never storing dW. */
    const real *plain_rate;
} Update;

/* How a model reads a batch and computes its layers: chapter 06's loops
 * (MODEL_LOOPS), chapter 09's products, or dropout (chapter 07) around
 * either. The layer loops themselves are model_forward_with and
 * model_backward_with, written once. A ModelOps is the first member of the
 * struct that holds its state, where its functions find that state. */
struct ModelOps {
    /* Examples index[0..m-1] of set into the batch X, in the layout forward
     * reads, and their one-hot labels into Y (outputs×m). */
    void (*gather)(const ModelOps *ops, Matrix *X, Matrix *Y, const MnistSet *set,
                   const Batch *batch);
    /* Layer l's Z and A from its input: the batch for l = 0, else A_(l-1). */
    void (*forward)(const ModelOps *ops, Model *model, size_t l, const Matrix *input);
    /* Layer l's dZ, dW and db from its dA; dX unless it is NULL (the first
     * layer needs none); then, unless update is NULL, its step. */
    void (*backward)(const ModelOps *ops, Model *model, size_t l, const Matrix *input, Matrix *dX,
                     const Update *update);
};

/* Chapter 06's: mnist_gather, layer_forward and layer_backward (layer.h). */
extern const ModelOps MODEL_LOOPS;

/* Runs every layer on the batch X (inputs×m), m ≤ batch; returns the logits
 * (outputs×m), which live in the last layer. */
const Matrix *model_forward(Model *model, const Matrix *X);

/* After model_forward(model, X): fills every layer's dW and db for the mean
 * cross-entropy of the batch with one-hot labels Y (outputs×m). */
void model_backward(Model *model, const Matrix *X, const Matrix *Y);

/* The forward pass with ops: for l = 1..L, layer l from A_(l-1) (A0 = X). */
const Matrix *model_forward_with(Model *model, const Matrix *X, const ModelOps *ops);

/* After a forward pass: the mean cross-entropy of the batch for the one-hot
 * labels Y, and P = softmax(Z_L), kept in the model for the backward pass,
 * both from one log-softmax (softmax.h). */
double model_loss(Model *model, const Matrix *Y);

/* After model_loss: dA_L = P - Y, then for l = L..1 layer l's backward pass
 * with ops, its dX filling dA_(l-1), and the update's step (update may be
 * NULL: gradients only). */
void model_backward_with(Model *model, const Matrix *X, const Matrix *Y, const ModelOps *ops,
                         const Update *update);

/* Parses layer sizes written "784,256,128,10" into sizes[0..*count-1]: at
 * least two, at most MODEL_MAX_SIZES, each a whole number from 1 to 65536,
 * with at most MODEL_MAX_PARAMETERS weights and biases in all. */
int model_parse_sizes(const char *text, size_t *sizes, size_t *count, NnError *err);

/* Writes the sizes as "784-256-128-10" into out. */
void model_describe(const Model *model, char *out, size_t size);

#endif
