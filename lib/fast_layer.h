/* fast_layer.h: chapter 06's model, trained with chapter 09's products.
 *
 * The same formulas as layer.h and model.h, step for step, with four
 * changes that buy the speed:
 *  - every product is gemm (gemm.h) instead of chapter 01's loops;
 *  - the bias and the ReLU are applied in one pass over Z, as it is made,
 *    instead of two passes (Z += b, then A = ReLU(Z));
 *  - the 1/m of dW is folded into dZ once, instead of scaling dW and db;
 *  - the step (plain SGD, momentum, Adam, weight decay: an Update, model.h)
 *    is taken as each layer's gradients are made, while they are still in
 *    the cache; plain SGD's goes into the product itself, W = W - α·dZ·Xᵀ
 *    as each tile of the sum leaves the registers, so dW is never written.
 * With more than one thread, each thread takes a share of every large
 * layer's units (rows of W, Z, dZ, dW): its part of the forward pass, the
 * gradients and the step touch only its own rows, so the threads meet once
 * per layer instead of once per product.
 * Nothing is allocated after the first step: the workspace is the model's
 * and the FastWork's. The layer loops are the model's (model.h): these are
 * its ops, hooked in, and dropout (chapter 07) wraps them as it wraps
 * chapter 06's. */
#ifndef NN_FAST_LAYER_H
#define NN_FAST_LAYER_H

#include "gemm.h"
#include "model.h"
#include "model_sgd.h"

/* What the fast step works with: one GemmWork per thread, and each
 * thread's copy of the training batch. */
typedef struct {
    GemmWork *work;
    size_t threads; /* gemm_threads() when made */
    /* Thread t's copy of the batch as columns, X[t] (784×m), and as rows,
     * Xt[t] (m×784), made on first use. X[0] is never made: thread 0's
     * columns are the model loop's X, the one the gather was given. */
    Matrix **X, **Xt;
    size_t copies; /* how many threads' copies the last training gather wrote */
} FastWork;

void fast_work_init(FastWork *f);
void fast_work_release(FastWork *f);

/* What the ops gather a batch for. The first layer reads the batch two ways:
 * Z1 = W1·X wants its columns, X (784×m), and dW1 = dZ1·Xᵀ its rows, Xt
 * (m×784). Either way one product must transpose it; a training gather
 * writes both, each thread a copy of its own (fast_layer.c says why), so
 * that no product copies the batch again. Evaluation has no dW: columns
 * only. */
typedef enum { FAST_EVALUATE, FAST_TRAIN } FastUse;

/* Chapter 09's products as the ops of a model (model.h): the same layer
 * loops, step and optimizers as chapters 06 and 07, each layer computed by
 * gemm. The 1/m of the mean goes into dA_L, where the last layer's backward
 * pass finds it, and passes down with dX. */
typedef struct {
    ModelOps ops; /* first: model_forward_with and the step call these */
    FastWork *work;
    FastUse use;
} FastOps;

FastOps fast_ops(FastWork *work, FastUse use);

/* The engine (model_sgd.h) of chapter 09: training batches as rows, evaluation
 * batches as columns, both computed with the engine's own workspace. It
 * points into itself: do not copy it. */
typedef struct {
    FastWork work;
    FastOps train, evaluate;
    Engine engine;
} FastEngine;

void fast_engine_init(FastEngine *e);
void fast_engine_release(FastEngine *e);

#endif
