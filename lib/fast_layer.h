/* fast_layer.h: chapter 06's model, trained with chapter 09's products.
 *
 * The same formulas as layer.h and model.h, step for step, with four
 * changes that buy the speed:
 *  - every product is gemm (gemm.h) instead of chapter 01's loops;
 *  - the bias and the ReLU are applied in one pass over Z, as it is made,
 *    instead of two passes (Z += b, then A = ReLU(Z));
 *  - the 1/m of dW is folded into dZ once, instead of scaling dW and db;
 *  - the SGD step is taken as each layer's gradients are made, while they
 *    are still in the cache.
 * With more than one thread, each thread takes a share of every large
 * layer's units (rows of W, Z, dZ, dW): its part of the forward pass, the
 * gradients and the step touch only its own rows, so the threads meet once
 * per layer instead of once per product.
 * Nothing is allocated after the first step: the workspace is the model's
 * and the FastWork's. */
#ifndef NN_FAST_LAYER_H
#define NN_FAST_LAYER_H

#include "gemm.h"
#include "mnist.h"
#include "model.h"
#include "rng.h"

/* What the fast step works with: one GemmWork per thread. */
typedef struct {
    GemmWork *work;
    size_t threads; /* gemm_threads() when made */
} FastWork;

void fast_work_init(FastWork *f);
void fast_work_release(FastWork *f);

/* Z = W·X + b and A = ReLU(Z) (or A = Z for the last layer), every layer,
 * for the batch X = op(input): the input (784×m), or its transpose (m×784),
 * the images as rows. */
const Matrix *fast_forward(FastWork *f, Model *model, const Matrix *input, GemmOp op);

/* The mean cross-entropy of the batch, from the last layer's logits and the
 * one-hot Y (10×m), with the probabilities P = softmax(Z_L) kept in the
 * model for the backward pass: the same numbers as cross_entropy and softmax
 * (loss.h, softmax.h) within rounding, from one exponential per logit
 * instead of two. */
double fast_loss(Model *model, const Matrix *Y);

/* After fast_loss: every layer's dW and db for the batch, as model_backward,
 * and with them one step of plain SGD: W = W - α dW, b = b - α db (α = 0:
 * no step). */
void fast_backward(FastWork *f, Model *model, const Matrix *input, GemmOp op, const Matrix *Y,
                   real alpha);

/* One epoch of plain SGD at rate alpha in a new order, as model_epoch: the
 * mean loss, or the first that diverged (its step in *bad_step). Xt (m×784,
 * the images as rows) and Y (10×m) hold a batch of model->batch. */
double fast_epoch(FastWork *f, Model *model, Matrix *Xt, Matrix *Y, const MnistSet *set,
                  size_t *order, size_t n, Rng *rng, real alpha, size_t *correct,
                  size_t *bad_step);

#endif
