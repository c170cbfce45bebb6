/* fast_layer.c: the fast forward and backward passes (fast_layer.h). */
#include "fast_layer.h"

#include <stdlib.h>

#include "fail.h"

void fast_work_init(FastWork *f)
{
    f->threads = (size_t)gemm_threads();
    f->batch = (GemmImages){0};
    f->work = nn_alloc(f->threads, sizeof *f->work, "the fast step's workspace");
    for (size_t t = 0; t < f->threads; t++) gemm_work_init(&f->work[t]);
}

void fast_work_release(FastWork *f)
{
    for (size_t t = 0; t < f->threads; t++) gemm_work_release(&f->work[t]);
    free(f->work);
    *f = (FastWork){0};
}

/* How many threads share a layer: all of them when its product has a
 * million multiply-adds or more (784-128-10: the first layer) and each gets
 * a whole tile of rows, else one. */
static size_t shares(const FastWork *f, const Layer *l, size_t m)
{
    int big = (double)l->units * (double)l->inputs * (double)m >= 1e6;
    return big && l->units >= f->threads * gemm_tile_rows() ? f->threads : 1;
}

/* The first row of share t of n rows among T: a multiple of the kernel's
 * tile height, so that each share is whole tiles of the product. */
static size_t share_start(size_t n, size_t t, size_t T)
{
    size_t MR = gemm_tile_rows();
    return t == T ? n : n * t / T / MR * MR;
}

/* A layer's input: X (k×m), or, for the first layer in training, the
 * batch's images where they lie (gemm.h's GemmImages; X is then not
 * written). */
typedef struct {
    const Matrix *X;
    const GemmImages *images;
} Input;

/* Share t of T of a layer's forward pass: its rows of Z = W·X + b and
 * A = ReLU(Z), in one product whose tiles get their bias and ReLU as they
 * leave the registers. */
static void forward_share(FastWork *f, size_t t, size_t T, Layer *l, const Input *in)
{
    size_t r0 = share_start(l->units, t, T), r1 = share_start(l->units, t + 1, T);
    Matrix W = mat_rows(l->W, r0, r1), b = mat_rows(l->b, r0, r1), Z = mat_rows(l->Z, r0, r1),
           A = mat_rows(l->A, r0, r1);
    Matrix *relu = l->activation == LAYER_RELU ? &A : NULL;
    if (in->images != NULL)
        gemm_images_bias_relu(&f->work[t], &Z, relu, &W, in->images, &b);
    else
        gemm_bias_relu(&f->work[t], &Z, relu, &W, in->X, GEMM_PLAIN, &b);
}

static void forward_layer(FastWork *f, Layer *l, const Input *in)
{
    size_t m = in->X->cols, T = shares(f, l, m);
    mat_set_cols(l->Z, m), mat_set_cols(l->A, m);
    if (T == 1) {
        forward_share(f, 0, 1, l, in);
        return;
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads((int)T)
#endif
    for (size_t t = 0; t < T; t++) forward_share(f, t, T, l, in);
}

/* The parts of a layer's backward pass a share can do on its own rows. */
enum { DZ = 1, DW_AND_STEP = 2 };

/* Here dA already holds the 1/m of the mean (the last layer's backward puts
 * it in dA_L, and dX passes it down), so no scaling is left to do. Share t
 * of T, its rows only: dZ = dA ⊙ g'(Z) and db = Σ_columns dZ in one pass;
 * then dW = dZ·Xᵀ and the update's step on those rows, or, for plain SGD,
 * the step folded into the product: W = W - α·dZ·Xᵀ, dW never written (the
 * same bits: model.h, gemm_axpy). */
static void backward_share(FastWork *f, size_t t, size_t T, Layer *l, size_t index, const Input *in,
                           const Update *update, int parts)
{
    size_t m = in->X->cols, r0 = share_start(l->units, t, T), r1 = share_start(l->units, t + 1, T);
    if (parts & DZ)
        for (size_t i = r0; i < r1; i++) {
            const real *da = &l->dA->data[i * m], *z = &l->Z->data[i * m];
            real *dz = &l->dZ->data[i * m], sum = 0;
            for (size_t j = 0; j < m; j++) {
                dz[j] = (l->activation == LAYER_LINEAR || z[j] > 0) ? da[j] : 0;
                sum += dz[j];
            }
            l->db->data[i] = sum; /* db (n×1) = Σ_columns dZ, the 1/m inside */
        }
    if (!(parts & DW_AND_STEP)) return;
    Matrix dZ = mat_rows(l->dZ, r0, r1);
    if (update != NULL && update->plain_rate != NULL) {
        real a = -*update->plain_rate;
        Matrix W = mat_rows(l->W, r0, r1), b = mat_rows(l->b, r0, r1), db = mat_rows(l->db, r0, r1);
        if (in->images != NULL) /* W = W - α·dZ·Xᵀ */
            gemm_images_axpy(&f->work[t], &W, a, &dZ, GEMM_PLAIN, in->images, GEMM_TRANSPOSED);
        else
            gemm_axpy(&f->work[t], &W, a, &dZ, GEMM_PLAIN, in->X, GEMM_TRANSPOSED);
        mat_axpy(&b, a, &db); /* b = b - α db */
        return;
    }
    Matrix dW = mat_rows(l->dW, r0, r1);
    if (in->images != NULL) /* dW (n×k) = dZ · Xᵀ */
        gemm_images(&f->work[t], &dW, &dZ, GEMM_PLAIN, in->images, GEMM_TRANSPOSED);
    else
        gemm(&f->work[t], &dW, &dZ, GEMM_PLAIN, in->X, GEMM_TRANSPOSED);
    if (update != NULL) update->rows(update->rule, l, index, r0, r1);
}

static void backward_shares(FastWork *f, size_t T, Layer *l, size_t index, const Input *in,
                            const Update *update, int parts)
{
    if (T == 1) {
        backward_share(f, 0, 1, l, index, in, update, parts);
        return;
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads((int)T)
#endif
    for (size_t t = 0; t < T; t++) backward_share(f, t, T, l, index, in, update, parts);
}

/* The first layer of a training step reads the batch's images (the
 * gather wrote no X); every other layer, and evaluation, its input. */
static const GemmImages *images_of(const FastOps *fast, size_t l)
{
    return l == 0 && fast->use == FAST_TRAIN ? &fast->work->batch : NULL;
}

static void fast_forward(const ModelOps *ops, Model *model, size_t l, const Matrix *input)
{
    const FastOps *fast = (const FastOps *)ops; /* ops is fast's first member */
    forward_layer(fast->work, &model->layers[l], &(Input){input, images_of(fast, l)});
}

/* Layer l's backward pass and step. dX = Wᵀ·dZ needs all of dZ, and W
 * before its step, so it comes between the two parts; the first layer has
 * no dX and does both parts at once. */
static void fast_backward(const ModelOps *ops, Model *model, size_t l, const Matrix *input,
                          Matrix *dX, const Update *update)
{
    const FastOps *fast = (const FastOps *)ops;
    FastWork *f = fast->work;
    Layer *layer = &model->layers[l];
    Input in = {input, images_of(fast, l)};
    size_t m = input->cols, T = shares(f, layer, m);
    if (l + 1 == model->count) mat_scale(layer->dA, (real)1 / (real)m); /* dA_L = (P - Y) / m */
    mat_set_cols(layer->dZ, m);
    if (dX == NULL) {
        backward_shares(f, T, layer, l, &in, update, DZ | DW_AND_STEP);
        return;
    }
    backward_shares(f, T, layer, l, &in, update, DZ);
    mat_set_cols(dX, m);
    /* dX (k×m) = Wᵀ · dZ */
    gemm(&f->work[0], dX, layer->W, GEMM_TRANSPOSED, layer->dZ, GEMM_PLAIN);
    backward_shares(f, T, layer, l, &in, update, DW_AND_STEP);
}

/* A training batch: its one-hot labels into Y (10×m), and which images it
 * is, for the first layer's products, which read their bytes (X is not
 * written: only shaped, 784×m). Then the images of the next batch are asked
 * for, so that they come to the cache while this one is computed: they are
 * scattered over the 47 MB training set, and reading each from main memory
 * only when it is needed stalls the step. A hint: the results do not depend
 * on it. */
static void gather_images(FastWork *f, Matrix *X, Matrix *Y, const MnistSet *set, const Batch *b)
{
    size_t pixels = set->rows * set->cols;
    NN_REQUIRE(X->rows == pixels, "images of %zu pixels into X of %zu rows", pixels, X->rows);
    mat_set_cols(X, b->m), mat_set_cols(Y, b->m);
    for (size_t j = 0; j < b->m; j++)
        for (size_t c = 0; c < Y->rows; c++) MAT_AT(Y, c, j) = c == set->labels[b->index[j]];
    f->batch = (GemmImages){set->pixels, b->index, pixels, b->m};
#if defined(__GNUC__)
    for (size_t j = 0; j < b->next_m; j++)
        for (size_t p = 0; p < pixels; p += 64)
            __builtin_prefetch(set->pixels + b->next[j] * pixels + p);
#endif
}

static void fast_gather(const ModelOps *ops, Matrix *X, Matrix *Y, const MnistSet *set,
                        const Batch *b)
{
    const FastOps *fast = (const FastOps *)ops;
    if (fast->use == FAST_TRAIN)
        gather_images(fast->work, X, Y, set, b);
    else /* X as columns: chapter 06's gather */
        MODEL_LOOPS.gather(&MODEL_LOOPS, X, Y, set, b);
}

FastOps fast_ops(FastWork *work, FastUse use)
{
    return (FastOps){{fast_gather, fast_forward, fast_backward}, work, use};
}

void fast_engine_init(FastEngine *e)
{
    fast_work_init(&e->work);
    e->train = fast_ops(&e->work, FAST_TRAIN);
    e->evaluate = fast_ops(&e->work, FAST_EVALUATE);
    e->engine = (Engine){&e->train.ops, &e->evaluate.ops};
}

void fast_engine_release(FastEngine *e)
{
    fast_work_release(&e->work);
}
