/* conv_layer.h: a convolution layer in the model (model.h), on chapter 09's
 * products: convolve, add the bias, max-pool, ReLU.
 *
 * A layer of F filters reads maps X (C·H·W × m) (im2col.h's layout) and
 *   forward:   cols (C·K·K × OH·OW·m) = im2col(X)
 *              Z (F × OH·OW·m) = W (F × C·K·K) · cols + b (F×1)
 *              A (F·PH·PW × m) = ReLU(maxpool(Z))     pooling windows p×p
 *   backward:  given dA (F·PH·PW × m), the gradient of the mean loss by A,
 *              dP (F·PH·PW × m) = dA ⊙ ReLU'(A)
 *              dZ (F·OH·OW × m) = dP routed to each window's maximum
 *              dW (F × C·K·K) = dZ · colsᵀ,   db (F×1) = Σ_columns dZ
 *              dX (C·H·W × m) = col2im(Wᵀ · dZ)
 * the same memory of Z, dZ read as (F × OH·OW·m) for the products and as
 * (F·OH·OW × m), maps, for pooling. These are chapter 04's formulas with
 * the patches of X in the place of X: a convolution is a dense layer that
 * every patch shares. Pooling takes the maximum of each window; ReLU after
 * pooling is ReLU before it (both keep the largest), on a quarter of the
 * numbers. Without pooling (p = 1), A = ReLU(Z).
 *
 * As everywhere from chapter 09 on, the 1/m of the mean is already in dA
 * (the last layer's backward pass puts it there): dW and db are sums. */
#ifndef NN_CONV_LAYER_H
#define NN_CONV_LAYER_H

#include "fast_layer.h"
#include "im2col.h"
#include "layer.h"
#include "model.h"
#include "pool.h"

/* A convolution layer's shape: its input maps and kernel, its filters and
 * its pooling. Layer.conv points to one (layer.h). */
struct ConvShape {
    ConvGeometry in; /* C×H×W maps, a K×K kernel, stride S, padding P */
    size_t filters;  /* F */
    size_t pool;     /* max pooling over p×p windows, p apart; 1: none */
};
typedef struct ConvShape ConvShape;

/* The pooling of the layer's maps Z: F maps of OH×OW, p×p windows p apart. */
PoolGeometry conv_shape_pooling(const ConvShape *s);

/* F·OH·OW, the rows of Z, and F·PH·PW, the rows of A: the layer's units. */
size_t conv_shape_maps(const ConvShape *s);
size_t conv_shape_units(const ConvShape *s);

/* A convolution layer of shape s, zero parameters, W (F × C·K·K) and b (F×1),
 * with workspace for batches of up to m examples. layer_release frees it. */
void conv_layer_init(Layer *l, const ConvShape *s, size_t m);

/* What the convolution layers compute with: the patches of each layer's
 * input, kept from the forward pass for dW, where each pooled maximum came
 * from, and buffers for the patches' gradient and dWᵀ; made on first use,
 * for the largest batch seen. Zero-initialise it: ConvWork w = {0}. */
typedef struct {
    Matrix *cols[MODEL_MAX_SIZES], *dcols;
    PoolIndex *where[MODEL_MAX_SIZES];
    Matrix *dWt; /* dWᵀ, on its way to dW */
} ConvWork;

void conv_work_release(ConvWork *w);

/* Model ops (model.h) that compute the convolution layers as above, with
 * gemm, and hand the dense layers to inner (chapter 09's FastOps). */
typedef struct {
    ModelOps ops; /* first: the model's layer loops call these */
    const ModelOps *inner;
    FastWork *fast;
    ConvWork *work;
} ConvOps;

ConvOps conv_ops(const ModelOps *inner, FastWork *fast, ConvWork *work);

/* The engine (model_sgd.h) of chapter 10: chapter 09's, with the
 * convolution layers computed as above, with the engine's own workspaces.
 * It points into itself: do not copy it. */
typedef struct {
    FastEngine dense;
    ConvWork work;
    ConvOps train, evaluate;
    Engine engine;
} ConvEngine;

void conv_engine_init(ConvEngine *e);
void conv_engine_release(ConvEngine *e);

#endif
