/* softmax.h: turning a column of scores into probabilities.
 *
 *   softmax(z)_i = exp(z_i) / Σ_j exp(z_j)
 * Each column of the result is positive and sums to 1. Subtracting the
 * column's largest score first changes nothing mathematically (the factor
 * exp(-max) cancels) but keeps every exp() at most 1, so it cannot overflow. */
#ifndef NN_SOFTMAX_H
#define NN_SOFTMAX_H

#include "matrix.h"

/* The one stable log-softmax behind softmax, the loss, the fast step and the
 * inspection files. For column c of Z (n×m), with max its largest entry and
 * s = Σ_r exp(Z_rc - max):
 *     ln softmax(z)_r = (z_r - max) - ln s
 * Returns max and ln s; if P is not NULL, P's column c becomes softmax(z),
 * exp(z_r - max) / s (P may be Z). */
typedef struct {
    real max;       /* the column's largest entry */
    double log_sum; /* ln Σ_r exp(z_r - max), at least 0 */
} LogSumExp;
LogSumExp log_softmax_col(const Matrix *Z, size_t c, Matrix *P);

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
