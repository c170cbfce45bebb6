/* fast_layer.c: the fast forward and backward passes (fast_layer.h). */
#include "fast_layer.h"

#include <stdlib.h>

#include "fail.h"

void fast_work_init(FastWork *f)
{
    f->threads = (size_t)gemm_threads();
    f->work = nn_alloc(f->threads, sizeof *f->work, "the fast step's workspace");
    for (size_t t = 0; t < f->threads; t++) gemm_work_init(&f->work[t]);
}

void fast_work_release(FastWork *f)
{
    for (size_t t = 0; t < f->threads; t++) gemm_work_release(&f->work[t]);
    free(f->work);
    *f = (FastWork){0};
}

/* The columns of op(M): the batch size of a layer's input. */
static size_t batch_of(const Matrix *M, GemmOp op)
{
    return op == GEMM_PLAIN ? M->cols : M->rows;
}

/* Rows r0..r1-1 of M, as a matrix of its own sharing M's numbers. */
static Matrix rows_of(const Matrix *M, size_t r0, size_t r1)
{
    return (Matrix){r1 - r0, M->cols, M->data + r0 * M->cols, (r1 - r0) * M->cols};
}

/* How many threads share a layer: all of them when its product has a
 * million multiply-adds or more (784-128-10: the first layer), else one. */
static size_t shares(const FastWork *f, const Layer *l, size_t m)
{
    return (double)l->units * (double)l->inputs * (double)m >= 1e6 ? f->threads : 1;
}

/* The first row of share t of n rows among T: a multiple of the kernel's
 * tile height, so that each share is whole tiles of the product. */
static size_t share_start(size_t n, size_t t, size_t T)
{
    size_t MR = gemm_tile_rows();
    return t == T ? n : n * t / T / MR * MR;
}

/* Share t of T of a layer's forward pass: its rows of Z = W·op(X) + b and
 * A = ReLU(Z), in one product whose tiles get their bias and ReLU as they
 * leave the registers. */
static void forward_share(FastWork *f, size_t t, size_t T, Layer *l, const Matrix *X, GemmOp op)
{
    size_t r0 = share_start(l->units, t, T), r1 = share_start(l->units, t + 1, T);
    Matrix W = rows_of(l->W, r0, r1), b = rows_of(l->b, r0, r1), Z = rows_of(l->Z, r0, r1),
           A = rows_of(l->A, r0, r1);
    gemm_bias_relu(&f->work[t], &Z, l->activation == LAYER_RELU ? &A : NULL, &W, X, op, &b);
}

static void forward_layer(FastWork *f, Layer *l, const Matrix *X, GemmOp op)
{
    size_t m = batch_of(X, op), T = shares(f, l, m);
    mat_set_cols(l->Z, m), mat_set_cols(l->A, m);
    if (T == 1) {
        forward_share(f, 0, 1, l, X, op);
        return;
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads((int)T)
#endif
    for (size_t t = 0; t < T; t++) forward_share(f, t, T, l, X, op);
}

/* The parts of a layer's backward pass a share can do on its own rows. */
enum { DZ = 1, DW_AND_STEP = 2 };

/* Here dA already holds the 1/m of the mean (the last layer's backward puts
 * it in dA_L, and dX passes it down), so no scaling is left to do. Share t
 * of T, its rows only: dZ = dA ⊙ g'(Z) and db = Σ_columns dZ in one pass;
 * then dW = dZ·Xᵀ and the update's step on those rows. */
static void backward_share(FastWork *f, size_t t, size_t T, Layer *l, size_t index,
                           const Matrix *X, GemmOp op, const Update *update, int parts)
{
    size_t m = batch_of(X, op), r0 = share_start(l->units, t, T), r1 = share_start(l->units, t + 1, T);
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
    Matrix dZ = rows_of(l->dZ, r0, r1), dW = rows_of(l->dW, r0, r1);
    /* dW (n×k) = dZ · Xᵀ, where Xᵀ is op(X)ᵀ: the rows of images as they are. */
    gemm(&f->work[t], &dW, &dZ, GEMM_PLAIN, X, op == GEMM_PLAIN ? GEMM_TRANSPOSED : GEMM_PLAIN);
    if (update != NULL) update->rows(update->rule, l, index, r0, r1);
}

static void backward_shares(FastWork *f, size_t T, Layer *l, size_t index, const Matrix *X,
                            GemmOp op, const Update *update, int parts)
{
    if (T == 1) {
        backward_share(f, 0, 1, l, index, X, op, update, parts);
        return;
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads((int)T)
#endif
    for (size_t t = 0; t < T; t++) backward_share(f, t, T, l, index, X, op, update, parts);
}

/* The input's layout for layer l: the batch's for the first, columns after. */
static GemmOp op_of(const FastOps *fast, size_t l)
{
    return l == 0 ? fast->input : GEMM_PLAIN;
}

static void fast_forward(const ModelOps *ops, Model *model, size_t l, const Matrix *input)
{
    const FastOps *fast = (const FastOps *)ops; /* ops is fast's first member */
    forward_layer(fast->work, &model->layers[l], input, op_of(fast, l));
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
    GemmOp op = op_of(fast, l);
    size_t m = batch_of(input, op), T = shares(f, layer, m);
    if (l + 1 == model->count) mat_scale(layer->dA, (real)1 / (real)m); /* dA_L = (P - Y) / m */
    mat_set_cols(layer->dZ, m);
    if (dX == NULL) {
        backward_shares(f, T, layer, l, input, op, update, DZ | DW_AND_STEP);
        return;
    }
    backward_shares(f, T, layer, l, input, op, update, DZ);
    mat_set_cols(dX, m);
    gemm(&f->work[0], dX, layer->W, GEMM_TRANSPOSED, layer->dZ, GEMM_PLAIN); /* dX (k×m) = Wᵀ · dZ */
    backward_shares(f, T, layer, l, input, op, update, DW_AND_STEP);
}

/* Images j0..j1-1 of the batch: rows of Xt (m×784), pixel by pixel / 255,
 * and their columns of Y (10×m), one-hot; then the images of the next batch
 * asked for (see below), so that they come to this thread's cache. */
static void gather_share(Matrix *Xt, Matrix *Y, const MnistSet *set, const size_t *index,
                         size_t j0, size_t j1, const size_t *next, size_t next_m)
{
    size_t pixels = set->rows * set->cols;
    for (size_t j = j0; j < j1; j++) {
        const unsigned char *image = set->pixels + index[j] * pixels;
        real *row = &Xt->data[j * pixels];
        for (size_t p = 0; p < pixels; p++) row[p] = (real)image[p] / (real)255;
        for (size_t c = 0; c < Y->rows; c++) MAT_AT(Y, c, j) = c == set->labels[index[j]];
    }
    /* The memory is asked for the images of the next batch while this one is
     * computed: they are scattered over the 47 MB training set, and reading
     * each from main memory only when it is needed stalls the step. A hint:
     * the results do not depend on it. */
#if defined(__GNUC__)
    for (size_t j = j0; j < j1 && j < next_m; j++)
        for (size_t p = 0; p < pixels; p += 64) __builtin_prefetch(set->pixels + next[j] * pixels + p);
#else
    (void)next, (void)next_m;
#endif
}

/* The batch `index` (m images) into Xt and Y, each thread a share of the
 * images; the next batch (next_m images) prefetched. */
static void gather_rows(const FastWork *f, Matrix *Xt, Matrix *Y, const MnistSet *set,
                        const size_t *index, size_t m, const size_t *next, size_t next_m)
{
    size_t pixels = set->rows * set->cols;
    NN_REQUIRE(m * pixels <= Xt->capacity, "a batch of %zu images in %zu numbers", m, Xt->capacity);
    mat_set_cols(Y, m);
    Xt->rows = m, Xt->cols = pixels; /* the batch as rows, Xt (m×784), in X's room */
    size_t T = f->threads < m ? f->threads : 1;
    if (T == 1) {
        gather_share(Xt, Y, set, index, 0, m, next, next_m);
        return;
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads((int)T)
#endif
    for (size_t t = 0; t < T; t++)
        gather_share(Xt, Y, set, index, m * t / T, m * (t + 1) / T, next, next_m);
}

static void fast_gather(const ModelOps *ops, Matrix *X, Matrix *Y, const MnistSet *set,
                        const Batch *b)
{
    const FastOps *fast = (const FastOps *)ops;
    if (fast->input == GEMM_TRANSPOSED)
        gather_rows(fast->work, X, Y, set, b->index, b->m, b->next, b->next_m);
    else /* as columns, X (784×m): chapter 06's gather */
        MODEL_LOOPS.gather(&MODEL_LOOPS, X, Y, set, b);
}

FastOps fast_ops(FastWork *work, GemmOp input)
{
    return (FastOps){{fast_gather, fast_forward, fast_backward}, work, input};
}

void fast_engine_init(FastEngine *e, FastWork *work)
{
    e->train = fast_ops(work, GEMM_TRANSPOSED);
    e->evaluate = fast_ops(work, GEMM_PLAIN);
    e->engine = (Engine){&e->train.ops, &e->evaluate.ops};
}
