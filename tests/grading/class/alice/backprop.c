/* backprop.c: the backward pass, one line of C per formula (backprop.h). */
#include "backprop.h"

#include <stdlib.h>

#include "fail.h"
#include "relu.h"

Grads *grads_new(const Net *net, size_t m)
{
    Grads *g = nn_alloc(1, sizeof *g, "the gradients");
    g->dW1 = mat_new(net->hidden, net->inputs);
    g->db1 = mat_new(net->hidden, 1);
    g->dW2 = mat_new(net->outputs, net->hidden);
    g->db2 = mat_new(net->outputs, 1);
    g->dZ1 = mat_new(net->hidden, m);
    g->dZ2 = mat_new(net->outputs, m);
    g->dA1 = mat_new(net->hidden, m);
    return g;
}

void grads_free(Grads *g)
{
    if (g == NULL) return;
    mat_free(g->dW1), mat_free(g->db1), mat_free(g->dW2), mat_free(g->db2);
    mat_free(g->dZ1), mat_free(g->dZ2), mat_free(g->dA1);
    free(g);
}

void backprop(Grads *g, const Net *net, const Forward *f, const Matrix *X, const Matrix *Y)
{
    real inv_m = (real)1 / (real)X->cols;
    mat_set_cols(g->dZ2, X->cols), mat_set_cols(g->dZ1, X->cols), mat_set_cols(g->dA1, X->cols);

    mat_sub(g->dZ2, f->A2, Y);            /* dZ2 (10×m) = A2 - Y */
    mat_mul_nt(g->dW2, g->dZ2, f->A1);    /* dW2 (10×h) = dZ2 (10×m) · A1ᵀ (m×h) */
    mat_scale(g->dW2, inv_m);             /*            · 1/m */
    mat_sum_cols(g->db2, g->dZ2);         /* db2 (10×1) = Σ_columns dZ2 */
    mat_scale(g->db2, inv_m);             /*            · 1/m */
    mat_mul_tn(g->dA1, net->W2, g->dZ2);  /* dA1 (h×m)  = W2ᵀ (h×10) · dZ2 (10×m) */
    relu_backward(g->dZ1, g->dA1, f->Z1); /* dZ1 (h×m)  = dA1 ⊙ ReLU'(Z1) */
    mat_mul_nt(g->dW1, g->dZ1, X);        /* dW1 (h×784) = dZ1 (h×m) · Xᵀ (m×784) */
    mat_scale(g->dW1, inv_m);             /*             · 1/m */
    mat_sum_cols(g->db1, g->dZ1);         /* db1 (h×1)  = Σ_columns dZ1 */
    mat_scale(g->db1, inv_m);             /*            · 1/m */
}

/* A helper of her own, not static: a warning, not an error. */
int alice_twice(int x)
{
    return 2 * x;
}
