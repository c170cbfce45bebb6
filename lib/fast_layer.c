/* fast_layer.c: the fast forward and backward passes (fast_layer.h). */
#include "fast_layer.h"

#include <stdlib.h>

#include "fail.h"
#include "mnist.h"
#include "transpose.h"

void fast_work_init(FastWork *f)
{
    f->threads = (size_t)gemm_threads();
    f->work = nn_alloc(f->threads, sizeof *f->work, "the fast step's workspace");
    f->X = nn_alloc(f->threads, sizeof *f->X, "the fast step's copies of the batch");
    f->Xt = nn_alloc(f->threads, sizeof *f->Xt, "the fast step's copies of the batch");
    for (size_t t = 0; t < f->threads; t++) gemm_work_init(&f->work[t]), f->X[t] = f->Xt[t] = NULL;
    f->copies = 0;
}

void fast_work_release(FastWork *f)
{
    for (size_t t = 0; t < f->threads; t++)
        gemm_work_release(&f->work[t]), mat_free(f->X[t]), mat_free(f->Xt[t]);
    free(f->work), free(f->X), free(f->Xt);
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

/* Thread t's copy of X: its own when X is the training batch (`batch`) and
 * the gather made thread t a copy, else X itself (thread 0's copy of the
 * batch, an evaluation batch, a hidden layer's input). */
static const Matrix *columns_for(const FastWork *f, const Matrix *X, int batch, size_t t)
{
    return batch && t > 0 && t < f->copies ? f->X[t] : X;
}

/* Thread t's copy of the training batch as rows, Xt (m×784). */
static const Matrix *rows_for(const FastWork *f, size_t t)
{
    return f->Xt[t < f->copies ? t : 0];
}

/* Share t of T of a layer's forward pass: its rows of Z = W·X + b and
 * A = ReLU(Z), in one product whose tiles get their bias and ReLU as they
 * leave the registers. */
static void forward_share(FastWork *f, size_t t, size_t T, Layer *l, const Matrix *X, int batch)
{
    size_t r0 = share_start(l->units, t, T), r1 = share_start(l->units, t + 1, T);
    X = columns_for(f, X, batch, t);
    Matrix W = mat_rows(l->W, r0, r1), b = mat_rows(l->b, r0, r1), Z = mat_rows(l->Z, r0, r1),
           A = mat_rows(l->A, r0, r1);
    gemm_bias_relu(&f->work[t], &Z, l->activation == LAYER_RELU ? &A : NULL, &W, X, GEMM_PLAIN, &b);
}

/* A layer's forward pass; `batch`: X is the training batch, which each
 * thread reads from its own copy. */
static void forward_layer(FastWork *f, Layer *l, const Matrix *X, int batch)
{
    size_t m = X->cols, T = shares(f, l, m);
    mat_set_cols(l->Z, m), mat_set_cols(l->A, m);
    if (T == 1) {
        forward_share(f, 0, 1, l, X, batch);
        return;
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads((int)T)
#endif
    for (size_t t = 0; t < T; t++) forward_share(f, t, T, l, X, batch);
}

/* The parts of a layer's backward pass a share can do on its own rows. */
enum { DZ = 1, DW_AND_STEP = 2 };

/* A layer's input for its backward pass: X (k×m), and whether X is the
 * training batch, which the gather also wrote as rows, Xt = Xᵀ (m×784), a
 * copy for each thread (else Xᵀ is read from X). */
typedef struct {
    const Matrix *X;
    int as_rows;
} Input;

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
    /* Xᵀ: Xt where the gather wrote it, read in place; else X's columns,
     * packed as B's panels. */
    const Matrix *Xt = in->as_rows ? rows_for(f, t) : in->X;
    GemmOp op = in->as_rows ? GEMM_PLAIN : GEMM_TRANSPOSED;
    if (update != NULL && update->plain_rate != NULL) {
        real a = -*update->plain_rate;
        Matrix W = mat_rows(l->W, r0, r1), b = mat_rows(l->b, r0, r1), db = mat_rows(l->db, r0, r1);
        gemm_axpy(&f->work[t], &W, a, &dZ, GEMM_PLAIN, Xt, op); /* W = W - α·dZ·Xᵀ */
        mat_axpy(&b, a, &db);                                   /* b = b - α db */
        return;
    }
    Matrix dW = mat_rows(l->dW, r0, r1);
    gemm(&f->work[t], &dW, &dZ, GEMM_PLAIN, Xt, op); /* dW (n×k) = dZ · Xᵀ */
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

/* Whether layer l's input is the training batch its gather wrote, which
 * each thread then reads from its own copies (columns_for, rows_for): the
 * first layer of a training step. Those copies must be of this batch: the
 * gather ran, for as many images as the input has columns. */
static int reads_batch(const FastOps *fast, size_t l, const Matrix *input)
{
    if (l != 0 || fast->use != FAST_TRAIN) return 0;
    const FastWork *f = fast->work;
    NN_REQUIRE(f->copies > 0 && f->Xt[0]->rows == input->cols,
               "the training ops' first layer reads the batch their gather wrote: gather first");
    return 1;
}

static void fast_forward(const ModelOps *ops, Model *model, size_t l, const Matrix *input)
{
    const FastOps *fast = (const FastOps *)ops; /* ops is fast's first member */
    forward_layer(fast->work, &model->layers[l], input, reads_batch(fast, l, input));
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
    Input in = {input, reads_batch(fast, l, input)};
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

/* Columns j0..j1-1 of X (k×m) from rows j0..j1-1 of Xt (m×k), a square of
 * TRANSPOSE_N × TRANSPOSE_N at a time (transpose.h): each row of a square
 * is stored into X whole, instead of one number in each of N rows; the
 * edges one number at a time. */
static void transpose_rows(Matrix *X, const Matrix *Xt, size_t j0, size_t j1)
{
    enum { N = TRANSPOSE_N };
    size_t k = Xt->cols, m = X->cols, j = j0;
    for (; j + N <= j1; j += N) {
        size_t p = 0;
        for (; p + N <= k; p += N)
            transpose_square(&X->data[p * m + j], m, &Xt->data[j * k + p], k);
        for (; p < k; p++)
            for (size_t b = 0; b < N; b++) X->data[p * m + j + b] = Xt->data[(j + b) * k + p];
    }
    for (; j < j1; j++)
        for (size_t p = 0; p < k; p++) X->data[p * m + j] = Xt->data[j * k + p];
}

/* Asks the memory for image i of set, line by line, so that it comes to this
 * thread's cache: a hint, the results do not depend on it. */
static void prefetch_image(const MnistSet *set, size_t i)
{
#if defined(__GNUC__)
    size_t pixels = set->rows * set->cols;
    const unsigned char *image = set->pixels + i * pixels;
    for (size_t p = 0; p < pixels; p += 64) __builtin_prefetch(image + p);
    __builtin_prefetch(image + pixels - 1); /* an image need not start a line */
#else
    (void)set, (void)i;
#endif
}

/* How many images ahead of the one it converts the gather asks for one. */
enum { AHEAD = 4 };

/* One copy of the batch: its images as the rows of Xt (m×784), pixel by
 * pixel / 255, then copied into the columns of X (784×m), and their columns
 * of Y (10×m), one-hot, when Y is not NULL; then the images of the next
 * batch asked for (see below). */
static void gather_copy(Matrix *X, Matrix *Xt, Matrix *Y, const MnistSet *set, const size_t *index,
                        size_t m, const size_t *next, size_t next_m)
{
    size_t pixels = set->rows * set->cols;
    for (size_t j = 0; j < m; j++) {
        /* Asked for a step before (below), an image may have been pushed out
         * of the cache again by the products' streams: asked for once more
         * a few images ahead, it is on its way while the ones before it are
         * converted (one thread: 25-32 µs a gather, 33-49 without). */
        if (j + AHEAD < m) prefetch_image(set, index[j + AHEAD]);
        const unsigned char *image = set->pixels + index[j] * pixels;
        real *row = &Xt->data[j * pixels];
        for (size_t p = 0; p < pixels; p++) row[p] = mnist_pixel(image[p]);
        if (Y != NULL)
            for (size_t c = 0; c < Y->rows; c++) MAT_AT(Y, c, j) = c == set->labels[index[j]];
    }
    transpose_rows(X, Xt, 0, m);
    /* The memory is asked for the images of the next batch while this one is
     * computed: they are scattered over the 47 MB training set, and reading
     * each from main memory only when it is needed stalls the step. A hint:
     * the results do not depend on it. */
    for (size_t j = 0; j < next_m; j++) prefetch_image(set, next[j]);
}

/* Room for copies 0..T-1 of a batch of m images (thread 0's columns are X
 * itself): made on the first gather, and again only for a larger X. */
static void make_copies(FastWork *f, const Matrix *X, size_t T, size_t m)
{
    size_t pixels = X->rows, batch = X->capacity / pixels;
    for (size_t t = 0; t < T; t++) {
        if (f->Xt[t] == NULL || f->Xt[t]->capacity < X->capacity) {
            mat_free(f->Xt[t]), f->Xt[t] = mat_new(batch, pixels);
            if (t > 0) mat_free(f->X[t]), f->X[t] = mat_new(pixels, batch);
        }
        f->Xt[t]->rows = m;
        if (t > 0) mat_set_cols(f->X[t], m);
    }
}

/* The batch `index` (m images) into X, Xt and Y, and with threads into
 * each thread's own copies: every thread converts the whole batch for
 * itself. Shared, each thread would convert half, but both read all of X
 * in Z1 and all of Xt in dW1, so every line of them would pass between the
 * cores twice a step (400 KB), and a core could write a line only once the
 * other had let go of it: converting the 64 images twice costs less (two
 * threads, make bench-phases, 2026-12-02, the quiet runs of 30: the gather
 * 22-27 µs a step against 36-41 shared, the step 187-201 against 206-238).
 * The next batch (next_m images) is asked for by each thread, for its core. */
static void gather_both(FastWork *f, Matrix *X, Matrix *Y, const MnistSet *set, const size_t *index,
                        size_t m, const size_t *next, size_t next_m)
{
    size_t pixels = set->rows * set->cols;
    NN_REQUIRE(X->rows == pixels, "images of %zu pixels into X of %zu rows", pixels, X->rows);
    mat_set_cols(X, m), mat_set_cols(Y, m);
    size_t T = f->threads < m ? f->threads : 1;
    make_copies(f, X, T, m);
    f->copies = T;
    if (T == 1) {
        gather_copy(X, f->Xt[0], Y, set, index, m, next, next_m);
        return;
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads((int)T)
#endif
    for (size_t t = 0; t < T; t++)
        gather_copy(t == 0 ? X : f->X[t], f->Xt[t], t == 0 ? Y : NULL, set, index, m, next, next_m);
}

static void fast_gather(const ModelOps *ops, Matrix *X, Matrix *Y, const MnistSet *set,
                        const Batch *b)
{
    const FastOps *fast = (const FastOps *)ops;
    if (fast->use == FAST_TRAIN)
        gather_both(fast->work, X, Y, set, b->index, b->m, b->next, b->next_m);
    else /* as columns only: chapter 06's gather */
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
