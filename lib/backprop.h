/* backprop.h: the backward pass of the two-layer network, formula by formula.
 *
 * Given a forward pass (Z1, A1, Z2, A2 = softmax(Z2)) over a batch X (784×m)
 * with one-hot labels Y (10×m), the gradients of the mean cross-entropy are
 *   dZ2 (10×m)  = A2 - Y
 *   dW2 (10×h)  = (1/m) dZ2 · A1ᵀ
 *   db2 (10×1)  = (1/m) Σ_columns dZ2
 *   dZ1 (h×m)   = W2ᵀ · dZ2 ⊙ ReLU'(Z1)
 *   dW1 (h×784) = (1/m) dZ1 · Xᵀ
 *   db1 (h×1)   = (1/m) Σ_columns dZ1
 * dZ2 and dZ1 are the gradients of the summed loss m·L (one example each per
 * column); the 1/m of the mean enters in dW and db.
 *
 * For instructors: a student's version of backprop.c implements backprop()
 * below and is graded with `make test CH=04 STUDENT_backprop=their/backprop.c`. */
#ifndef NN_BACKPROP_H
#define NN_BACKPROP_H

#include "matrix.h"
#include "net.h"

typedef struct {
    Matrix *dW1, *db1; /* (h×784), (h×1): same shapes as W1, b1 */
    Matrix *dW2, *db2; /* (10×h), (10×1): same shapes as W2, b2 */
    Matrix *dZ1, *dZ2; /* (h×m), (10×m) */
    Matrix *dA1;       /* (h×m): W2ᵀ · dZ2, before the ReLU derivative */
} Grads;

/* Workspace for the gradients of `net` over batches of up to m examples. */
Grads *grads_new(const Net *net, size_t m);
void grads_free(Grads *g);

/* Fills every field of g from the forward pass f over X with labels Y.
 * f->A2 must hold softmax(f->Z2). */
void backprop(Grads *g, const Net *net, const Forward *f, const Matrix *X, const Matrix *Y);

#endif
