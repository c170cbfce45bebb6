/* layer.c: a dense layer's forward and backward pass (layer.h). */
#include "layer.h"

#include <stdlib.h>

#include "dense.h"
#include "fail.h"
#include "relu.h"

void layer_init(Layer *l, size_t inputs, size_t units, Activation activation, size_t m)
{
    NN_REQUIRE(inputs > 0 && units > 0 && m > 0, "a layer of %zu×%zu for batches of %zu", units,
               inputs, m);
    *l = (Layer){.inputs = inputs, .units = units, .activation = activation};
    l->W = mat_new(units, inputs), l->b = mat_new(units, 1);
    l->dW = mat_new(units, inputs), l->db = mat_new(units, 1);
    l->Z = mat_new(units, m);
    l->A = activation == LAYER_LINEAR ? l->Z : mat_new(units, m);
    l->dZ = mat_new(units, m), l->dA = mat_new(units, m);
}

void layer_release(Layer *l)
{
    if (l->A != l->Z) mat_free(l->A);
    mat_free(l->W), mat_free(l->b), mat_free(l->dW), mat_free(l->db);
    mat_free(l->Z), mat_free(l->dZ), mat_free(l->dA);
    free(l->conv);
    *l = (Layer){0};
}

void layer_forward(Layer *l, const Matrix *X)
{
    mat_set_cols(l->Z, X->cols), mat_set_cols(l->A, X->cols);
    dense_forward(l->Z, l->W, X, l->b);                /* Z (n×m) = W (n×k) · X (k×m) + b */
    if (l->activation == LAYER_RELU) relu(l->A, l->Z); /* A (n×m) = ReLU(Z) */
}

void layer_backward(Layer *l, const Matrix *X, Matrix *dX)
{
    size_t m = X->cols;
    real inv_m = (real)1 / (real)m;
    mat_set_cols(l->dZ, m), mat_set_cols(l->dA, m);
    if (l->activation == LAYER_RELU)
        relu_backward(l->dZ, l->dA, l->Z); /* dZ (n×m) = dA ⊙ ReLU'(Z) */
    else
        mat_copy(l->dZ, l->dA);  /* dZ (n×m) = dA */
    mat_mul_nt(l->dW, l->dZ, X); /* dW (n×k) = dZ (n×m) · Xᵀ (m×k) */
    mat_scale(l->dW, inv_m);     /*          · 1/m */
    mat_sum_cols(l->db, l->dZ);  /* db (n×1) = Σ_columns dZ */
    mat_scale(l->db, inv_m);     /*          · 1/m */
    if (dX == NULL) return;
    mat_set_cols(dX, m);
    mat_mul_tn(dX, l->W, l->dZ); /* dX (k×m) = Wᵀ (k×n) · dZ (n×m) */
}
