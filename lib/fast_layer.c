/* fast_layer.c: the fast forward and backward passes (fast_layer.h). */
#include "fast_layer.h"

#include <math.h>

#include "loss.h"
#include "model_sgd.h"
#include "softmax.h"

/* Z (n×m) = W·X, then, in one pass, Z += b and A = ReLU(Z) (A may be Z). */
static void forward_layer(GemmWork *w, Layer *l, const Matrix *X)
{
    mat_set_cols(l->Z, X->cols), mat_set_cols(l->A, X->cols);
    gemm(w, l->Z, l->W, GEMM_PLAIN, X, GEMM_PLAIN); /* Z (n×m) = W (n×k) · X (k×m) */
    size_t m = X->cols;
    for (size_t i = 0; i < l->units; i++) {
        real b = l->b->data[i], *z = &l->Z->data[i * m], *a = &l->A->data[i * m];
        if (l->activation == LAYER_RELU)
            for (size_t j = 0; j < m; j++) z[j] += b, a[j] = z[j] > 0 ? z[j] : 0;
        else
            for (size_t j = 0; j < m; j++) z[j] += b;
    }
}

const Matrix *fast_forward(GemmWork *w, Model *model, const Matrix *X)
{
    const Matrix *input = X;
    for (size_t l = 0; l < model->count; l++) {
        forward_layer(w, &model->layers[l], input);
        input = model->layers[l].A;
    }
    return input;
}

/* Here dA already holds the 1/m of the mean (fast_backward puts it in dA_L,
 * and dX passes it down): dZ = dA ⊙ g'(Z) and db = Σ_columns dZ in one pass,
 * then dW = dZ·Xᵀ and dX = Wᵀ·dZ, with no scaling left to do. */
static void backward_layer(GemmWork *w, Layer *l, const Matrix *X, Matrix *dX)
{
    size_t m = X->cols;
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
    gemm(w, l->dW, l->dZ, GEMM_PLAIN, X, GEMM_TRANSPOSED); /* dW (n×k) = dZ · Xᵀ */
    if (dX == NULL) return;
    mat_set_cols(dX, m);
    gemm(w, dX, l->W, GEMM_TRANSPOSED, l->dZ, GEMM_PLAIN); /* dX (k×m) = Wᵀ · dZ */
}

void fast_backward(GemmWork *w, Model *model, const Matrix *X, const Matrix *Y)
{
    Layer *last = &model->layers[model->count - 1];
    mat_set_cols(model->P, Y->cols), mat_set_cols(last->dA, Y->cols);
    softmax(model->P, last->Z);
    mat_sub(last->dA, model->P, Y);                  /* dA_L = P - Y */
    mat_scale(last->dA, (real)1 / (real)Y->cols);    /*      · 1/m, once for every layer */
    for (size_t l = model->count; l-- > 0;)
        backward_layer(w, &model->layers[l], l > 0 ? model->layers[l - 1].A : X,
                       l > 0 ? model->layers[l - 1].dA : NULL);
}

double fast_epoch(GemmWork *w, Model *model, Matrix *X, Matrix *Y, const MnistSet *set,
                  size_t *order, size_t n, Rng *rng, real alpha, size_t *correct,
                  size_t *bad_step)
{
    size_t batch = model->batch;
    rng_shuffle(rng, order, n);
    double total = 0;
    for (size_t first = 0, step = 1; first < n; first += batch, step++) {
        size_t m = n - first < batch ? n - first : batch;
        mat_set_cols(X, m), mat_set_cols(Y, m);
        mnist_gather(X, Y, set, &order[first], m);
        const Matrix *logits = fast_forward(w, model, X);
        double loss = cross_entropy(logits, Y);
        *correct += count_correct(logits, Y);
        if (!isfinite(loss) || loss > SGD_DIVERGED_LOSS) {
            *bad_step = step;
            return loss;
        }
        fast_backward(w, model, X, Y);
        model_sgd_update(&alpha, model);
        total += loss * (double)m;
    }
    return total / (double)n;
}
