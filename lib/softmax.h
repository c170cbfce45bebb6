/* softmax.h: turning a column of scores into probabilities.
 *
 *   softmax(z)_i = exp(z_i) / Σ_j exp(z_j)
 * Each column of the result is positive and sums to 1. Subtracting the
 * column's largest score first changes nothing mathematically (the factor
 * exp(-max) cancels) but keeps every exp() at most 1, so it cannot overflow. */
#ifndef NN_SOFTMAX_H
#define NN_SOFTMAX_H

#include "matrix.h"

/* A (n×m) = softmax of each column of Z (n×m), the stable way (A may be Z). */
void softmax(Matrix *A, const Matrix *Z);

/* The formula as written, without the shift: exp overflows to inf for scores
 * above about 89 (float) or 709 (double) and the column becomes NaN.
 * Kept to show why the stable version exists; nothing else uses it. */
void softmax_naive(Matrix *A, const Matrix *Z);

/* J (n×n) = the Jacobian of softmax at the column a = softmax(z) (n×1):
 * J_ij = ∂a_i/∂z_j = a_i (δ_ij - a_j). Chapter 04 uses it to derive dZ2 = A2 - Y. */
void softmax_jacobian(Matrix *J, const Matrix *a);

#endif
