/* matrix.c: the matrix operations, as plain loops that read like the math.
 *
 * The products keep the textbook sum C_ij = Σ_k A_ik B_kj, adding the terms in
 * the order k = 0, 1, 2, ..., so every product gives the same bits as the
 * formula computed by hand. Chapter 01 explains the loop orders. */
#include "matrix.h"

#include <stdlib.h>
#include <string.h>

#include "fail.h"

Matrix *mat_new(size_t rows, size_t cols)
{
    NN_REQUIRE(rows > 0 && cols > 0, "a matrix needs at least one row and one column, got %zu×%zu",
               rows, cols);
    Matrix *M = nn_alloc(1, sizeof *M, "a matrix header");
    M->rows = rows;
    M->cols = cols;
    M->data = nn_alloc_lines(rows, cols * sizeof(real), "a matrix");
    M->capacity = rows * cols;
    memset(M->data, 0, rows * cols * sizeof(real));
    return M;
}

Matrix *mat_from(size_t rows, size_t cols, const real *values)
{
    Matrix *M = mat_new(rows, cols);
    memcpy(M->data, values, rows * cols * sizeof(real));
    return M;
}

void mat_free(Matrix *M)
{
    if (M == NULL) return;
    free(M->data);
    free(M);
}

void mat_set_cols(Matrix *M, size_t cols)
{
    NN_REQUIRE(cols > 0 && M->rows * cols <= M->capacity,
               "%zu columns of %zu rows do not fit in %zu values", cols, M->rows, M->capacity);
    M->cols = cols;
}

void mat_fill(Matrix *M, real value)
{
    for (size_t i = 0; i < M->rows * M->cols; i++) M->data[i] = value;
}

void mat_require_same_shape(const char *func, const Matrix *A, const Matrix *B)
{
    if (A->rows != B->rows || A->cols != B->cols)
        nn_bug(func, "shapes differ: %zu×%zu and %zu×%zu", A->rows, A->cols, B->rows, B->cols);
}

void mat_copy(Matrix *dst, const Matrix *src)
{
    mat_require_same_shape(__func__, dst, src);
    memcpy(dst->data, src->data, src->rows * src->cols * sizeof(real));
}

void mat_mul(Matrix *C, const Matrix *A, const Matrix *B)
{
    NN_REQUIRE(A->cols == B->rows && C->rows == A->rows && C->cols == B->cols,
               "C (%zu×%zu) = A (%zu×%zu) · B (%zu×%zu): shapes do not fit", C->rows, C->cols,
               A->rows, A->cols, B->rows, B->cols);
    NN_REQUIRE(C != A && C != B, "C must not be A or B");
    size_t n = A->rows, k = A->cols, p = B->cols;
    /* Loop order i, k, j: row i of C is built as Σ_k A_ik · (row k of B), so
     * the inner loop walks C and B along their rows. Same sums as i, j, k. */
    mat_fill(C, 0);
    for (size_t i = 0; i < n; i++) {
        real *C_i = &C->data[i * p];
        for (size_t kk = 0; kk < k; kk++) {
            real a = A->data[i * k + kk];
            const real *B_k = &B->data[kk * p];
            for (size_t j = 0; j < p; j++) C_i[j] += a * B_k[j];
        }
    }
}

void mat_mul_tn(Matrix *C, const Matrix *A, const Matrix *B)
{
    NN_REQUIRE(A->rows == B->rows && C->rows == A->cols && C->cols == B->cols,
               "C (%zu×%zu) = A (%zu×%zu)ᵀ · B (%zu×%zu): shapes do not fit", C->rows, C->cols,
               A->rows, A->cols, B->rows, B->cols);
    NN_REQUIRE(C != A && C != B, "C must not be A or B");
    size_t n = A->cols, k = A->rows, p = B->cols;
    /* (Aᵀ)_ik = A_ki: walk A by rows (kk outer) so no transpose is formed. */
    mat_fill(C, 0);
    for (size_t kk = 0; kk < k; kk++) {
        const real *B_k = &B->data[kk * p];
        for (size_t i = 0; i < n; i++) {
            real a = A->data[kk * n + i];
            real *C_i = &C->data[i * p];
            for (size_t j = 0; j < p; j++) C_i[j] += a * B_k[j];
        }
    }
}

void mat_mul_nt(Matrix *C, const Matrix *A, const Matrix *B)
{
    NN_REQUIRE(A->cols == B->cols && C->rows == A->rows && C->cols == B->rows,
               "C (%zu×%zu) = A (%zu×%zu) · B (%zu×%zu)ᵀ: shapes do not fit", C->rows, C->cols,
               A->rows, A->cols, B->rows, B->cols);
    NN_REQUIRE(C != A && C != B, "C must not be A or B");
    size_t n = A->rows, k = A->cols, p = B->rows;
    /* (Bᵀ)_kj = B_jk, so C_ij is the dot product of row i of A and row j of B. */
    for (size_t i = 0; i < n; i++) {
        const real *A_i = &A->data[i * k];
        for (size_t j = 0; j < p; j++) {
            const real *B_j = &B->data[j * k];
            real sum = 0;
            for (size_t kk = 0; kk < k; kk++) sum += A_i[kk] * B_j[kk];
            MAT_AT(C, i, j) = sum;
        }
    }
}

void mat_add_col(Matrix *Z, const Matrix *b)
{
    NN_REQUIRE(b->cols == 1 && b->rows == Z->rows, "Z (%zu×%zu) += b (%zu×%zu): b must be %zu×1",
               Z->rows, Z->cols, b->rows, b->cols, Z->rows);
    for (size_t r = 0; r < Z->rows; r++)
        for (size_t c = 0; c < Z->cols; c++) MAT_AT(Z, r, c) += b->data[r];
}

void mat_sum_cols(Matrix *s, const Matrix *A)
{
    NN_REQUIRE(s->cols == 1 && s->rows == A->rows, "s (%zu×%zu) = Σ A (%zu×%zu): s must be %zu×1",
               s->rows, s->cols, A->rows, A->cols, A->rows);
    for (size_t r = 0; r < A->rows; r++) {
        real sum = 0;
        for (size_t c = 0; c < A->cols; c++) sum += MAT_AT(A, r, c);
        s->data[r] = sum;
    }
}

void mat_add(Matrix *C, const Matrix *A, const Matrix *B)
{
    mat_require_same_shape(__func__, A, B);
    mat_require_same_shape(__func__, C, A);
    for (size_t i = 0; i < A->rows * A->cols; i++) C->data[i] = A->data[i] + B->data[i];
}

void mat_sub(Matrix *C, const Matrix *A, const Matrix *B)
{
    mat_require_same_shape(__func__, A, B);
    mat_require_same_shape(__func__, C, A);
    for (size_t i = 0; i < A->rows * A->cols; i++) C->data[i] = A->data[i] - B->data[i];
}

void mat_hadamard(Matrix *C, const Matrix *A, const Matrix *B)
{
    mat_require_same_shape(__func__, A, B);
    mat_require_same_shape(__func__, C, A);
    for (size_t i = 0; i < A->rows * A->cols; i++) C->data[i] = A->data[i] * B->data[i];
}

void mat_scale(Matrix *A, real k)
{
    for (size_t i = 0; i < A->rows * A->cols; i++) A->data[i] *= k;
}

void mat_axpy(Matrix *Y, real a, const Matrix *X)
{
    mat_require_same_shape(__func__, Y, X);
    for (size_t i = 0; i < Y->rows * Y->cols; i++) Y->data[i] += a * X->data[i];
}

Matrix mat_rows(const Matrix *M, size_t r0, size_t r1)
{
    NN_REQUIRE(r0 <= r1 && r1 <= M->rows, "rows %zu..%zu of a %zu×%zu matrix", r0, r1, M->rows,
               M->cols);
    return (Matrix){r1 - r0, M->cols, M->data + r0 * M->cols, (r1 - r0) * M->cols};
}

size_t mat_argmax_col(const Matrix *M, size_t c)
{
    NN_REQUIRE(c < M->cols, "column %zu of a %zu×%zu matrix", c, M->rows, M->cols);
    size_t best = 0;
    for (size_t r = 1; r < M->rows; r++)
        if (MAT_AT(M, r, c) > MAT_AT(M, best, c)) best = r;
    return best;
}

void mat_print(FILE *out, const char *name, const Matrix *M)
{
    fprintf(out, "%s (%zu×%zu) =\n", name, M->rows, M->cols);
    for (size_t r = 0; r < M->rows; r++) {
        fputs("   ", out);
        for (size_t c = 0; c < M->cols; c++) fprintf(out, " %8.3f", (double)MAT_AT(M, r, c));
        fputc('\n', out);
    }
}
