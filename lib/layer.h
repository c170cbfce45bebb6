/* layer.h: one dense layer and its activation, the forward and the backward
 * pass side by side.
 *
 * A layer of n units reading k inputs, for a batch X (k×m):
 *   forward:   Z (n×m) = W (n×k) · X (k×m) + b (n×1)
 *              A (n×m) = g(Z)                  g = ReLU, or the identity
 *   backward:  given dA (n×m), the gradient of the summed loss m·L by A,
 *              dZ (n×m) = dA ⊙ g'(Z)           (the identity: dZ = dA)
 *              dW (n×k) = (1/m) dZ · Xᵀ
 *              db (n×1) = (1/m) Σ_columns dZ
 *              dX (k×m) = Wᵀ · dZ              the previous layer's dA
 * These are chapter 04's six formulas, written once for any layer: chapter
 * 05's network is a ReLU layer (784→h) then an identity layer (h→10), whose
 * output A = Z are the logits, and for it dA = A2 - Y. */
#ifndef NN_LAYER_H
#define NN_LAYER_H

#include <stddef.h>

#include "matrix.h"
#include "rng.h"

typedef enum { LAYER_RELU, LAYER_LINEAR } Activation;

typedef struct {
    size_t inputs, units; /* k, n */
    Activation activation;
    Matrix *W, *b;   /* (n×k), (n×1): the parameters */
    Matrix *dW, *db; /* their gradients, same shapes */
    Matrix *Z, *A;   /* (n×m): kept from the forward pass for the backward (A is Z when linear) */
    Matrix *dZ, *dA; /* (n×m) */
    /* Chapter 10: a convolution layer's shape (conv_layer.h), which
     * layer_release frees; NULL for a dense layer. */
    struct ConvShape *conv;
} Layer;

/* A layer with zero parameters and workspace for batches of up to m examples. */
void layer_init(Layer *l, size_t inputs, size_t units, Activation activation, size_t m);
void layer_release(Layer *l);

/* Z = W·X + b and A = g(Z) for the batch X (k×m'), m' ≤ the layer's m. */
void layer_forward(Layer *l, const Matrix *X);

/* From l->dA (filled by the next layer, or by the loss): dZ, dW and db, and,
 * unless dX is NULL (the first layer needs none), dX = Wᵀ·dZ. X is the input
 * the forward pass read. */
void layer_backward(Layer *l, const Matrix *X, Matrix *dX);

#endif
