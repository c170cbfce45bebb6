/* matrix.h: the matrix type and every operation the network needs.
 *
 * A Matrix is `rows × cols` reals in row-major order: element (r, c) lives at
 * data[r * cols + c]. A column vector is a (n × 1) matrix. Every function takes
 * its output first and checks the shapes of its arguments: a mismatch is a bug
 * and stops the program with the function's name and the shapes (fail.h).
 * No function here allocates except mat_new, so a training loop that makes its
 * matrices once allocates nothing while it runs. */
#ifndef NN_MATRIX_H
#define NN_MATRIX_H

#include <stddef.h>
#include <stdio.h>

#include "real.h"

typedef struct {
    size_t rows, cols;
    real *data;      /* rows * cols values, row after row */
    size_t capacity; /* values allocated: rows * cols at creation */
} Matrix;

/* Element (r, c) of M, as an lvalue. */
#define MAT_AT(M, r, c) ((M)->data[(r) * (M)->cols + (c)])

/* A new rows × cols matrix of zeros; free it with mat_free. */
Matrix *mat_new(size_t rows, size_t cols);
/* A new rows × cols matrix holding `values` (rows * cols of them, row by row). */
Matrix *mat_from(size_t rows, size_t cols, const real *values);
/* Frees M and its data; mat_free(NULL) does nothing. */
void mat_free(Matrix *M);

/* Stops the program, naming `func` and both shapes, unless A and B have the
 * same shape: the check of every element-by-element operation. */
void mat_require_same_shape(const char *func, const Matrix *A, const Matrix *B);

/* Reuses M's memory as a rows × cols matrix with fewer (or again more)
 * columns, up to its capacity: the last batch of an epoch can be smaller. */
void mat_set_cols(Matrix *M, size_t cols);

void mat_fill(Matrix *M, real value);
/* dst = src (same shape). */
void mat_copy(Matrix *dst, const Matrix *src);

/* C (n×p) = A (n×k) · B (k×p) */
void mat_mul(Matrix *C, const Matrix *A, const Matrix *B);
/* C (n×p) = A (k×n)ᵀ · B (k×p), without forming Aᵀ: dZ1 = W2ᵀ · dZ2. */
void mat_mul_tn(Matrix *C, const Matrix *A, const Matrix *B);
/* C (n×p) = A (n×k) · B (p×k)ᵀ, without forming Bᵀ: dW = dZ · Aᵀ. */
void mat_mul_nt(Matrix *C, const Matrix *A, const Matrix *B);

/* Z (n×m) += b (n×1), the column b added to every column of Z (broadcast). */
void mat_add_col(Matrix *Z, const Matrix *b);
/* s (n×1) = Σ over the columns of A (n×m): s_r = Σ_c A_rc. */
void mat_sum_cols(Matrix *s, const Matrix *A);

/* C = A + B, C = A - B, C = A ⊙ B (element by element, all the same shape;
 * C may be A or B). */
void mat_add(Matrix *C, const Matrix *A, const Matrix *B);
void mat_sub(Matrix *C, const Matrix *A, const Matrix *B);
void mat_hadamard(Matrix *C, const Matrix *A, const Matrix *B);
/* A = k · A */
void mat_scale(Matrix *A, real k);
/* Y = Y + a · X: the shape of the update rule W = W - α dW. */
void mat_axpy(Matrix *Y, real a, const Matrix *X);

/* Rows r0..r1-1 of M as a matrix of their own, sharing M's numbers (a view:
 * never freed): what a thread that owns some rows of a layer works on. */
Matrix mat_rows(const Matrix *M, size_t r0, size_t r1);

/* The row of the largest entry in column c (the first such row on a tie):
 * for a column of scores, the network's guess. */
size_t mat_argmax_col(const Matrix *M, size_t c);

/* Prints `name (rows×cols) =` and the values, one row per line. */
void mat_print(FILE *out, const char *name, const Matrix *M);

#endif
