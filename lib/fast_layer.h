/* fast_layer.h: chapter 06's model, trained with chapter 09's products.
 *
 * The same formulas as layer.h and model.h, step for step, with three
 * changes that buy the speed:
 *  - every product is gemm (gemm.h) instead of chapter 01's loops;
 *  - the bias and the ReLU are applied in one pass over Z, as it is made,
 *    instead of two passes (Z += b, then A = ReLU(Z));
 *  - the 1/m of dW is folded into dZ once, instead of scaling dW and db.
 * Nothing is allocated after the first step: the workspace is the model's
 * and the GemmWork's. */
#ifndef NN_FAST_LAYER_H
#define NN_FAST_LAYER_H

#include "gemm.h"
#include "mnist.h"
#include "model.h"
#include "rng.h"

/* Z = W·X + b and A = ReLU(Z) (or A = Z for the last layer), every layer,
 * for the batch X = op(input): the input (784×m), or its transpose (m×784),
 * the images as rows. */
const Matrix *fast_forward(GemmWork *w, Model *model, const Matrix *input, GemmOp op);

/* Every layer's dW and db for the batch, as model_backward. */
void fast_backward(GemmWork *w, Model *model, const Matrix *input, GemmOp op, const Matrix *Y);

/* One epoch of plain SGD at rate alpha in a new order, as model_epoch: the
 * mean loss, or the first that diverged (its step in *bad_step). Xt (m×784,
 * the images as rows) and Y (10×m) hold a batch of model->batch. */
double fast_epoch(GemmWork *w, Model *model, Matrix *Xt, Matrix *Y, const MnistSet *set,
                  size_t *order, size_t n, Rng *rng, real alpha, size_t *correct,
                  size_t *bad_step);

#endif
