/* conv_layer.c: a convolution layer's forward and backward pass on gemm
 * (conv_layer.h). */
#include "conv_layer.h"

#include <stdlib.h>

#include "fail.h"
#include "pool.h"
#include "relu.h"

PoolGeometry conv_shape_pooling(const ConvShape *s)
{
    return (PoolGeometry){s->filters, conv_out_height(&s->in), conv_out_width(&s->in), s->pool,
                          s->pool};
}

size_t conv_shape_maps(const ConvShape *s)
{
    return s->filters * conv_out_height(&s->in) * conv_out_width(&s->in);
}

size_t conv_shape_units(const ConvShape *s)
{
    PoolGeometry g = conv_shape_pooling(s);
    return s->filters * pool_out_height(&g) * pool_out_width(&g);
}

void conv_layer_init(Layer *l, const ConvShape *s, size_t m)
{
    const ConvGeometry *g = &s->in;
    size_t k = g->channels * g->kernel * g->kernel, maps = conv_shape_maps(s);
    NN_REQUIRE(s->filters > 0 && s->pool > 0 && m > 0, "%zu filters, pooling %zu, batches of %zu",
               s->filters, s->pool, m);
    *l = (Layer){.inputs = g->channels * g->height * g->width,
                 .units = conv_shape_units(s),
                 .activation = LAYER_RELU};
    l->W = mat_new(s->filters, k), l->b = mat_new(s->filters, 1);
    l->dW = mat_new(s->filters, k), l->db = mat_new(s->filters, 1);
    l->Z = mat_new(maps, m), l->dZ = mat_new(maps, m);
    l->A = mat_new(l->units, m), l->dA = mat_new(l->units, m);
    l->conv = nn_alloc(1, sizeof *l->conv, "a convolution layer's shape");
    *l->conv = *s;
}

void conv_work_release(ConvWork *w)
{
    for (size_t l = 0; l < MODEL_MAX_SIZES; l++) mat_free(w->cols[l]), pool_index_free(w->where[l]);
    mat_free(w->dcols), mat_free(w->dWt);
    *w = (ConvWork){0};
}

/* M, grown to hold rows × cols (made on first use, remade for a larger
 * batch), and given that shape. */
static Matrix *sized(Matrix **M, size_t rows, size_t cols)
{
    if (*M == NULL || (*M)->capacity < rows * cols) {
        mat_free(*M);
        *M = mat_new(rows, cols);
    }
    (*M)->rows = rows, (*M)->cols = cols;
    return *M;
}

/* The patches matrix of layer l, for a batch of m: (C·K·K × OH·OW·m). */
static Matrix *patches(ConvWork *w, size_t l, const ConvShape *s, size_t m)
{
    const ConvGeometry *g = &s->in;
    return sized(&w->cols[l], g->channels * g->kernel * g->kernel,
                 conv_out_height(g) * conv_out_width(g) * m);
}

/* The maps M (F·OH·OW × m) seen as the product's (F × OH·OW·m): the same memory. */
static Matrix as_product(const Matrix *M, const ConvShape *s)
{
    return (Matrix){s->filters, M->rows / s->filters * M->cols, M->data, M->capacity};
}

static void conv_forward(const ConvOps *c, Layer *l, size_t index, const Matrix *X)
{
    const ConvShape *s = l->conv;
    size_t m = X->cols;
    Matrix *cols = patches(c->work, index, s, m);
    im2col(cols, X, &s->in); /* cols (C·K·K × OH·OW·m) */
    mat_set_cols(l->Z, m), mat_set_cols(l->A, m);
    Matrix Z = as_product(l->Z, s);
    if (s->pool == 1) { /* Z (F × OH·OW·m) = W (F × C·K·K) · cols + b, A = ReLU(Z), in one */
        Matrix A = as_product(l->A, s);
        gemm_bias_relu(&c->fast->work[0], &Z, &A, l->W, cols, GEMM_PLAIN, l->b);
        return;
    }
    gemm_bias_relu(&c->fast->work[0], &Z, NULL, l->W, cols, GEMM_PLAIN, l->b); /* as above */
    PoolGeometry g = conv_shape_pooling(s);
    if (c->work->where[index] == NULL)
        c->work->where[index] = pool_index_new(l->A->rows, l->A->capacity / l->A->rows);
    max_pool_forward(l->A, c->work->where[index], l->Z, &g); /* maxpool(Z) (F·PH·PW × m) */
    relu(l->A, l->A);                                        /* A = ReLU(maxpool(Z)) */
}

/* dZ (F·OH·OW × m) from dA: back through ReLU, then pooling. */
static void maps_backward(const ConvWork *w, Layer *l, size_t index)
{
    const ConvShape *s = l->conv;
    if (s->pool == 1) {
        relu_backward(l->dZ, l->dA, l->Z); /* dZ = dA ⊙ ReLU'(Z) */
        return;
    }
    relu_backward(l->dA, l->dA, l->A); /* dP = dA ⊙ ReLU'(A): A > 0 where the pooled Z is */
    PoolGeometry g = conv_shape_pooling(s);
    max_pool_backward(l->dZ, l->dA, w->where[index], &g); /* dZ: dP at each window's maximum */
}

/* dW (F × C·K·K) = dZ (F × OH·OW·m) · colsᵀ, made as its transpose,
 * dWᵀ = cols · dZᵀ, then turned: the product then reads cols where it lies
 * and packs only dZ, a tenth of its size in the second layer (50 rows
 * against 500), instead of packing all of cols, transposed. */
static void weight_gradient(ConvWork *w, Layer *l, const Matrix *dZ, const Matrix *cols,
                            GemmWork *gw)
{
    Matrix *dWt = sized(&w->dWt, l->dW->cols, l->dW->rows);
    gemm(gw, dWt, cols, GEMM_PLAIN, dZ, GEMM_TRANSPOSED); /* dWᵀ (C·K·K × F) = cols · dZᵀ */
    for (size_t i = 0; i < dWt->rows; i++)
        for (size_t f = 0; f < dWt->cols; f++) MAT_AT(l->dW, f, i) = MAT_AT(dWt, i, f);
}

static void conv_backward(const ConvOps *c, Layer *l, size_t index, const Matrix *X, Matrix *dX,
                          const Update *update)
{
    const ConvShape *s = l->conv;
    size_t m = X->cols;
    GemmWork *gw = &c->fast->work[0];
    mat_set_cols(l->dZ, m), mat_set_cols(l->dA, m);
    maps_backward(c->work, l, index);
    Matrix dZ = as_product(l->dZ, s);
    const Matrix *cols = c->work->cols[index];
    mat_sum_cols(l->db, &dZ);                   /* db (F×1) = Σ_columns dZ */
    weight_gradient(c->work, l, &dZ, cols, gw); /* dW (F × C·K·K) = dZ · colsᵀ */
    if (dX != NULL) {
        Matrix *dcols = sized(&c->work->dcols, cols->rows, cols->cols);
        gemm(gw, dcols, l->W, GEMM_TRANSPOSED, &dZ, GEMM_PLAIN); /* dcols = Wᵀ · dZ */
        mat_set_cols(dX, m);
        col2im(dX, dcols, &s->in); /* dX (C·H·W × m) */
    }
    if (update != NULL) update->rows(update->rule, l, index, 0, s->filters);
}

static void ops_gather(const ModelOps *ops, Matrix *X, Matrix *Y, const MnistSet *set,
                       const Batch *b)
{
    const ConvOps *c = (const ConvOps *)ops; /* ops is c's first member */
    c->inner->gather(c->inner, X, Y, set, b);
}

static void ops_forward(const ModelOps *ops, Model *model, size_t l, const Matrix *input)
{
    const ConvOps *c = (const ConvOps *)ops;
    if (model->layers[l].conv == NULL)
        c->inner->forward(c->inner, model, l, input);
    else
        conv_forward(c, &model->layers[l], l, input);
}

static void ops_backward(const ModelOps *ops, Model *model, size_t l, const Matrix *input,
                         Matrix *dX, const Update *update)
{
    const ConvOps *c = (const ConvOps *)ops;
    if (model->layers[l].conv == NULL)
        c->inner->backward(c->inner, model, l, input, dX, update);
    else
        conv_backward(c, &model->layers[l], l, input, dX, update);
}

ConvOps conv_ops(const ModelOps *inner, FastWork *fast, ConvWork *work)
{
    return (ConvOps){{ops_gather, ops_forward, ops_backward}, inner, fast, work};
}

void conv_engine_init(ConvEngine *e)
{
    fast_engine_init(&e->dense);
    e->work = (ConvWork){0};
    e->train = conv_ops(&e->dense.train.ops, &e->dense.work, &e->work);
    e->evaluate = conv_ops(&e->dense.evaluate.ops, &e->dense.work, &e->work);
    e->engine = (Engine){&e->train.ops, &e->evaluate.ops};
}

void conv_engine_release(ConvEngine *e)
{
    conv_work_release(&e->work);
    fast_engine_release(&e->dense);
}
