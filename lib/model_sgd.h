/* model_sgd.h: training and measuring a model of any depth (model.h) with
 * mini-batch SGD: chapter 05's step and evaluation, for a list of layers.
 *
 * What changes the parameters once a layer's gradients are in is an Update
 * (model.h): plain SGD here (θ = θ - α dθ for every layer's W and b),
 * chapter 07's momentum and Adam later. How the layers are computed is a
 * ModelOps: chapter 06's loops here, chapter 09's products later. The epoch
 * loop is chapter 05's (epoch.h), with model_step as its step. */
#ifndef NN_MODEL_SGD_H
#define NN_MODEL_SGD_H

#include <stddef.h>

#include "epoch.h"
#include "evaluate.h"
#include "mnist.h"
#include "model.h"

/* What a training run computes with: ops for its batches, and ops for
 * evaluation's batches, which are gathered as columns, X (inputs×m).
 * Chapter 06's loops serve both (ENGINE_LOOPS); chapter 09's products read
 * the training batches as rows (fast_layer.h). */
typedef struct {
    const ModelOps *train, *evaluate;
} Engine;

extern const Engine ENGINE_LOOPS;

typedef struct {
    Model *model;
    const MnistSet *set; /* the training images */
    const ModelOps *ops; /* how a batch is read and the layers computed */
    Update update;       /* what a step does with the gradients */
    Matrix *X, *Y;       /* the mini-batch, in ops' layout, and (outputs×m) */
} ModelTrainer;

/* A trainer of model on set, with ops and update, for the model's batch. */
ModelTrainer *model_trainer_new(Model *model, const MnistSet *set, const ModelOps *ops,
                                Update update);
void model_trainer_free(ModelTrainer *t);

/* Plain SGD at the learning rate *alpha: W = W - α dW and b = b - α db. */
Update model_sgd(real *alpha);

/* One step on a batch of the trainer's set, a BatchStepFn (epoch.h): gather,
 * forward, loss, backward, update. Returns the batch's loss before the
 * update; adds its right guesses to *correct. */
double model_step(void *trainer, const Batch *batch, size_t *correct);

/* Loss and accuracy on examples first..first+count-1, in batches of the
 * model's size gathered as columns into X (inputs×B) and Y (outputs×B),
 * workspace, through ops' layers (MODEL_LOOPS, or chapter 09's products
 * reading columns); observe (may be NULL) sees each batch's logits, as in
 * evaluate_observed. */
Score model_evaluate(Model *model, const ModelOps *ops, const MnistSet *set, size_t first,
                     size_t count, Matrix *X, Matrix *Y, BatchObserver observe, void *ctx);

/* Shows the model the whole of `test` through ops and writes, next to the
 * log at log_path, the files the pictures of it need (inspect.h), then
 * those of its own kind, unless model->inspect is NULL (chapter 10's
 * feature maps, feature_maps.h). */
int model_inspect(Model *model, const ModelOps *ops, const MnistSet *test, const char *log_path,
                  NnError *err);

#endif
