/* fast_layer.c: the fast forward and backward passes (fast_layer.h). */
#include "fast_layer.h"

#include <math.h>
#include <stdlib.h>

#include "fail.h"
#include "loss.h"
#include "model_sgd.h"

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

/* The first row of share t of n rows among T: a multiple of 8, so each
 * share is whole tiles of the product. */
static size_t share_start(size_t n, size_t t, size_t T)
{
    return t == T ? n : n * t / T / 8 * 8;
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

const Matrix *fast_forward(FastWork *f, Model *model, const Matrix *X, GemmOp op)
{
    forward_layer(f, &model->layers[0], X, op);
    for (size_t l = 1; l < model->count; l++)
        forward_layer(f, &model->layers[l], model->layers[l - 1].A, GEMM_PLAIN);
    return model->layers[model->count - 1].A;
}

/* The parts of a layer's backward pass a share can do on its own rows. */
enum { DZ = 1, DW_AND_STEP = 2 };

/* Here dA already holds the 1/m of the mean (fast_backward puts it in dA_L,
 * and dX passes it down), so no scaling is left to do. Share t of T, its
 * rows only: dZ = dA ⊙ g'(Z) and db = Σ_columns dZ in one pass; then
 * dW = dZ·Xᵀ and the step W = W - α dW, b = b - α db. */
static void backward_share(FastWork *f, size_t t, size_t T, Layer *l, const Matrix *X, GemmOp op,
                           real alpha, int parts)
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
    Matrix dZ = rows_of(l->dZ, r0, r1), dW = rows_of(l->dW, r0, r1), W = rows_of(l->W, r0, r1);
    /* dW (n×k) = dZ · Xᵀ, where Xᵀ is op(X)ᵀ: the rows of images as they are. */
    gemm(&f->work[t], &dW, &dZ, GEMM_PLAIN, X, op == GEMM_PLAIN ? GEMM_TRANSPOSED : GEMM_PLAIN);
    for (size_t i = 0; i < W.rows * W.cols; i++) W.data[i] -= alpha * dW.data[i];
    for (size_t i = r0; i < r1; i++) l->b->data[i] -= alpha * l->db->data[i];
}

static void backward_shares(FastWork *f, size_t T, Layer *l, const Matrix *X, GemmOp op,
                            real alpha, int parts)
{
    if (T == 1) {
        backward_share(f, 0, 1, l, X, op, alpha, parts);
        return;
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads((int)T)
#endif
    for (size_t t = 0; t < T; t++) backward_share(f, t, T, l, X, op, alpha, parts);
}

/* A layer's backward pass and step. dX = Wᵀ·dZ needs all of dZ, and W
 * before its step, so it comes between the two parts; the first layer has
 * no dX and does both parts at once. */
static void backward_layer(FastWork *f, Layer *l, const Matrix *X, GemmOp op, Matrix *dX,
                           real alpha)
{
    size_t m = batch_of(X, op), T = shares(f, l, m);
    mat_set_cols(l->dZ, m);
    if (dX == NULL) {
        backward_shares(f, T, l, X, op, alpha, DZ | DW_AND_STEP);
        return;
    }
    backward_shares(f, T, l, X, op, alpha, DZ);
    mat_set_cols(dX, m);
    gemm(&f->work[0], dX, l->W, GEMM_TRANSPOSED, l->dZ, GEMM_PLAIN); /* dX (k×m) = Wᵀ · dZ */
    backward_shares(f, T, l, X, op, alpha, DW_AND_STEP);
}

double fast_loss(Model *model, const Matrix *Y)
{
    const Matrix *Z = model->layers[model->count - 1].Z;
    Matrix *P = model->P;
    mat_set_cols(P, Z->cols);
    double total = 0;
    for (size_t c = 0; c < Z->cols; c++) {
        real max = MAT_AT(Z, 0, c);
        for (size_t r = 1; r < Z->rows; r++)
            if (MAT_AT(Z, r, c) > max) max = MAT_AT(Z, r, c);
        real sum = 0;
        for (size_t r = 0; r < Z->rows; r++) { /* softmax's exponentials, once */
            MAT_AT(P, r, c) = (real)exp(MAT_AT(Z, r, c) - max);
            sum += MAT_AT(P, r, c);
        }
        double log_sum = log((double)sum);
        for (size_t r = 0; r < Z->rows; r++) {
            total -= MAT_AT(Y, r, c) * ((double)(MAT_AT(Z, r, c) - max) - log_sum); /* -y ln a */
            MAT_AT(P, r, c) /= sum;
        }
    }
    return total / (double)Z->cols;
}

void fast_backward(FastWork *f, Model *model, const Matrix *X, GemmOp op, const Matrix *Y,
                   real alpha)
{
    Layer *last = &model->layers[model->count - 1];
    mat_set_cols(last->dA, Y->cols);
    mat_sub(last->dA, model->P, Y);               /* dA_L = P - Y, P from fast_loss */
    mat_scale(last->dA, (real)1 / (real)Y->cols); /*      · 1/m, once for every layer */
    for (size_t l = model->count; l-- > 1;)
        backward_layer(f, &model->layers[l], model->layers[l - 1].A, GEMM_PLAIN,
                       model->layers[l - 1].dA, alpha);
    backward_layer(f, &model->layers[0], X, op, NULL, alpha); /* no dX for the input */
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
    mat_set_cols(Y, m);
    Xt->rows = m; /* Xt's capacity holds the largest batch */
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

double fast_epoch(FastWork *f, Model *model, Matrix *Xt, Matrix *Y, const MnistSet *set,
                  size_t *order, size_t n, Rng *rng, real alpha, size_t *correct,
                  size_t *bad_step)
{
    size_t batch = model->batch;
    rng_shuffle(rng, order, n);
    double total = 0;
    for (size_t first = 0, step = 1; first < n; first += batch, step++) {
        size_t m = n - first < batch ? n - first : batch;
        size_t next_m = n - first - m < batch ? n - first - m : batch;
        gather_rows(f, Xt, Y, set, &order[first], m, &order[first + m], next_m);
        const Matrix *logits = fast_forward(f, model, Xt, GEMM_TRANSPOSED);
        double loss = fast_loss(model, Y);
        *correct += count_correct(logits, Y);
        if (!isfinite(loss) || loss > SGD_DIVERGED_LOSS) {
            *bad_step = step;
            return loss;
        }
        fast_backward(f, model, Xt, GEMM_TRANSPOSED, Y, alpha);
        total += loss * (double)m;
    }
    return total / (double)n;
}
