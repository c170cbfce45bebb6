/* fast_layer.c: the fast forward and backward passes (fast_layer.h). */
#include "fast_layer.h"

#include <math.h>

#include "loss.h"
#include "model_sgd.h"
#include "softmax.h"

/* The columns of op(M): the batch size of a layer's input. */
static size_t batch_of(const Matrix *M, GemmOp op)
{
    return op == GEMM_PLAIN ? M->cols : M->rows;
}

/* Z (n×m) = W·op(X) + b and A = ReLU(Z) (A is Z for the last layer), in one
 * product whose tiles get their bias and ReLU as they leave the registers. */
static void forward_layer(GemmWork *w, Layer *l, const Matrix *X, GemmOp op)
{
    size_t m = batch_of(X, op);
    mat_set_cols(l->Z, m), mat_set_cols(l->A, m);
    gemm_bias_relu(w, l->Z, l->activation == LAYER_RELU ? l->A : NULL, l->W, X, op, l->b);
}

const Matrix *fast_forward(GemmWork *w, Model *model, const Matrix *X, GemmOp op)
{
    forward_layer(w, &model->layers[0], X, op);
    for (size_t l = 1; l < model->count; l++)
        forward_layer(w, &model->layers[l], model->layers[l - 1].A, GEMM_PLAIN);
    return model->layers[model->count - 1].A;
}

/* Here dA already holds the 1/m of the mean (fast_backward puts it in dA_L,
 * and dX passes it down): dZ = dA ⊙ g'(Z) and db = Σ_columns dZ in one pass,
 * then dW = dZ·Xᵀ and dX = Wᵀ·dZ, with no scaling left to do. */
static void backward_layer(GemmWork *w, Layer *l, const Matrix *X, GemmOp op, Matrix *dX)
{
    size_t m = batch_of(X, op);
    mat_set_cols(l->dZ, m);
    for (size_t i = 0; i < l->units; i++) {
        const real *da = &l->dA->data[i * m], *z = &l->Z->data[i * m];
        real *dz = &l->dZ->data[i * m], sum = 0;
        for (size_t j = 0; j < m; j++) {
            dz[j] = (l->activation == LAYER_LINEAR || z[j] > 0) ? da[j] : 0;
            sum += dz[j];
        }
        l->db->data[i] = sum; /* db (n×1) = Σ_columns dZ, the 1/m inside */
    }
    /* dW (n×k) = dZ · Xᵀ, where Xᵀ is op(X)ᵀ: the rows of images as they are. */
    gemm(w, l->dW, l->dZ, GEMM_PLAIN, X, op == GEMM_PLAIN ? GEMM_TRANSPOSED : GEMM_PLAIN);
    if (dX == NULL) return;
    mat_set_cols(dX, m);
    gemm(w, dX, l->W, GEMM_TRANSPOSED, l->dZ, GEMM_PLAIN); /* dX (k×m) = Wᵀ · dZ */
}

void fast_backward(GemmWork *w, Model *model, const Matrix *X, GemmOp op, const Matrix *Y)
{
    Layer *last = &model->layers[model->count - 1];
    mat_set_cols(model->P, Y->cols), mat_set_cols(last->dA, Y->cols);
    softmax(model->P, last->Z);
    mat_sub(last->dA, model->P, Y);                  /* dA_L = P - Y */
    mat_scale(last->dA, (real)1 / (real)Y->cols);    /*      · 1/m, once for every layer */
    for (size_t l = model->count; l-- > 1;)
        backward_layer(w, &model->layers[l], model->layers[l - 1].A, GEMM_PLAIN,
                       model->layers[l - 1].dA);
    backward_layer(w, &model->layers[0], X, op, NULL); /* no dX for the input */
}

/* Xt (m×784): the batch's images as rows, pixel by pixel / 255, and Y (10×m)
 * one-hot: every image is read and written in one contiguous stretch. */
static void gather_rows(Matrix *Xt, Matrix *Y, const MnistSet *set, const size_t *index, size_t m)
{
    size_t pixels = set->rows * set->cols;
    mat_set_cols(Y, m);
    Xt->rows = m; /* Xt's capacity holds the largest batch */
    mat_fill(Y, 0);
    for (size_t j = 0; j < m; j++) {
        const unsigned char *image = set->pixels + index[j] * pixels;
        real *row = &Xt->data[j * pixels];
        for (size_t p = 0; p < pixels; p++) row[p] = (real)image[p] / (real)255;
        MAT_AT(Y, set->labels[index[j]], j) = 1;
    }
}

double fast_epoch(GemmWork *w, Model *model, Matrix *Xt, Matrix *Y, const MnistSet *set,
                  size_t *order, size_t n, Rng *rng, real alpha, size_t *correct,
                  size_t *bad_step)
{
    size_t batch = model->batch;
    rng_shuffle(rng, order, n);
    double total = 0;
    for (size_t first = 0, step = 1; first < n; first += batch, step++) {
        size_t m = n - first < batch ? n - first : batch;
        gather_rows(Xt, Y, set, &order[first], m);
        const Matrix *logits = fast_forward(w, model, Xt, GEMM_TRANSPOSED);
        double loss = cross_entropy(logits, Y);
        *correct += count_correct(logits, Y);
        if (!isfinite(loss) || loss > SGD_DIVERGED_LOSS) {
            *bad_step = step;
            return loss;
        }
        fast_backward(w, model, Xt, GEMM_TRANSPOSED, Y);
        model_sgd_update(&alpha, model);
        total += loss * (double)m;
    }
    return total / (double)n;
}
