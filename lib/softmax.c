/* softmax.c: stable and naive softmax over columns, and its Jacobian (softmax.h). */
#include "softmax.h"

#include <math.h>

#include "fail.h"

LogSumExp log_softmax_col(const Matrix *Z, size_t c, Matrix *P)
{
    real max = MAT_AT(Z, 0, c);
    for (size_t r = 1; r < Z->rows; r++)
        if (MAT_AT(Z, r, c) > max) max = MAT_AT(Z, r, c);
    real sum = 0;
    for (size_t r = 0; r < Z->rows; r++) {
        real e = (real)exp(MAT_AT(Z, r, c) - max); /* exp(z_r - max) ≤ 1 */
        if (P != NULL) MAT_AT(P, r, c) = e;
        sum += e;
    }
    if (P != NULL)
        for (size_t r = 0; r < Z->rows; r++) MAT_AT(P, r, c) /= sum;
    return (LogSumExp){max, log((double)sum)};
}

void softmax(Matrix *A, const Matrix *Z)
{
    mat_require_same_shape(__func__, A, Z);
    for (size_t c = 0; c < Z->cols; c++) log_softmax_col(Z, c, A);
}

void softmax_naive(Matrix *A, const Matrix *Z)
{
    mat_require_same_shape(__func__, A, Z);
    for (size_t c = 0; c < Z->cols; c++) {
        real sum = 0;
        for (size_t r = 0; r < Z->rows; r++) {
            MAT_AT(A, r, c) = (real)exp(MAT_AT(Z, r, c));
            sum += MAT_AT(A, r, c);
        }
        for (size_t r = 0; r < Z->rows; r++) MAT_AT(A, r, c) /= sum;
    }
}

void softmax_jacobian(Matrix *J, const Matrix *a)
{
    NN_REQUIRE(a->cols == 1 && J->rows == a->rows && J->cols == a->rows,
               "J (%zu×%zu) must be n×n for a (%zu×%zu) n×1", J->rows, J->cols, a->rows, a->cols);
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->rows; j++)
            MAT_AT(J, i, j) = a->data[i] * ((i == j ? 1 : 0) - a->data[j]);
}
