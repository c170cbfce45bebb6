/* relu.h: the rectified linear unit, ReLU(z) = max(0, z), and its derivative.
 *
 * ReLU'(z) is 1 for z > 0 and 0 for z < 0. At z = 0 it has a kink and no
 * derivative; we take 0 there, as NumPy's `Z > 0` does. */
#ifndef NN_RELU_H
#define NN_RELU_H

#include "matrix.h"

/* A = ReLU(Z), element by element (A may be Z). */
void relu(Matrix *A, const Matrix *Z);

/* dZ = dA ⊙ ReLU'(Z): the gradient flowing back through a ReLU (dZ may be dA). */
void relu_backward(Matrix *dZ, const Matrix *dA, const Matrix *Z);

#endif
