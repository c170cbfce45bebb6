/* check_01_matrices.c: chapter 01's suite, the matrix type and its operations.
 *
 * Every product is checked against an answer worked out by hand, and against
 * the textbook triple loop on random shapes (odd and tiny ones included).
 * A shape mismatch must stop the program: those tests expect SIGABRT. */
#include <check.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>

#include "matrix.h"
#include "support/testkit.h"

/* A = [1 2 3; 4 5 6] (2×3), B = [7 8; 9 10; 11 12] (3×2): A·B = [58 64; 139 154]. */
static const real A_vals[] = {1, 2, 3, 4, 5, 6};
static const real B_vals[] = {7, 8, 9, 10, 11, 12};

START_TEST(product_by_hand)
{
    Matrix *A = mat_from(2, 3, A_vals), *B = mat_from(3, 2, B_vals), *C = mat_new(2, 2);
    mat_mul(C, A, B);
    const real expected[] = {58, 64, 139, 154};
    assert_matrix_equals(C, expected, 0);
    mat_free(A), mat_free(B), mat_free(C);
}
END_TEST

START_TEST(transposed_products_by_hand)
{
    /* Aᵀ·A (3×3) = [17 22 27; 22 29 36; 27 36 45]; A·Aᵀ (2×2) = [14 32; 32 77]. */
    Matrix *A = mat_from(2, 3, A_vals), *AtA = mat_new(3, 3), *AAt = mat_new(2, 2);
    mat_mul_tn(AtA, A, A);
    mat_mul_nt(AAt, A, A);
    const real AtA_expected[] = {17, 22, 27, 22, 29, 36, 27, 36, 45};
    const real AAt_expected[] = {14, 32, 32, 77};
    assert_matrix_equals(AtA, AtA_expected, 0);
    assert_matrix_equals(AAt, AAt_expected, 0);
    mat_free(A), mat_free(AtA), mat_free(AAt);
}
END_TEST

/* The textbook triple loop, i-j-k, with Aᵀ / Bᵀ read by index: the reference. */
static real reference_entry(const Matrix *A, int ta, const Matrix *B, int tb, size_t i, size_t j,
                            size_t k)
{
    real sum = 0;
    for (size_t kk = 0; kk < k; kk++) {
        real a = ta ? MAT_AT(A, kk, i) : MAT_AT(A, i, kk);
        real b = tb ? MAT_AT(B, j, kk) : MAT_AT(B, kk, j);
        sum += a * b;
    }
    return sum;
}

static void check_product_shape(size_t n, size_t k, size_t p, int ta, int tb)
{
    Matrix *A = ta ? mat_new(k, n) : mat_new(n, k);
    Matrix *B = tb ? mat_new(p, k) : mat_new(k, p);
    Matrix *C = mat_new(n, p);
    fill_uniform(A, n * 31 + k, -1, 1);
    fill_uniform(B, p * 17 + k, -1, 1);
    if (ta)
        mat_mul_tn(C, A, B);
    else if (tb)
        mat_mul_nt(C, A, B);
    else
        mat_mul(C, A, B);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++) {
            real want = reference_entry(A, ta, B, tb, i, j, k);
            /* Same terms in the same order: the same bits, unless the compiler fused a
             * multiply-add, which moves the last bit or two. */
            ck_assert_msg(fabs((double)(MAT_AT(C, i, j) - want)) <= 1e-5 * (1 + fabs((double)want)),
                          "%s %zux%zux%zu: C[%zu][%zu] = %g, reference %g",
                          ta   ? "mat_mul_tn"
                          : tb ? "mat_mul_nt"
                               : "mat_mul",
                          n, k, p, i, j, (double)MAT_AT(C, i, j), (double)want);
        }
    mat_free(A), mat_free(B), mat_free(C);
}

static const size_t shapes[][3] = {{1, 1, 1}, {7, 13, 3}, {2, 1, 5}, {10, 64, 1}, {65, 129, 33}};

START_TEST(products_match_reference)
{
    const size_t *s = shapes[_i];
    check_product_shape(s[0], s[1], s[2], 0, 0);
    check_product_shape(s[0], s[1], s[2], 1, 0);
    check_product_shape(s[0], s[1], s[2], 0, 1);
}
END_TEST

START_TEST(bias_broadcast_and_column_sums)
{
    Matrix *Z = mat_from(2, 3, A_vals);
    const real b_vals[] = {10, 100};
    Matrix *b = mat_from(2, 1, b_vals), *s = mat_new(2, 1);
    mat_add_col(Z, b);
    const real Z_expected[] = {11, 12, 13, 104, 105, 106};
    assert_matrix_equals(Z, Z_expected, 0);
    mat_sum_cols(s, Z);
    const real s_expected[] = {36, 315};
    assert_matrix_equals(s, s_expected, 0);
    mat_free(Z), mat_free(b), mat_free(s);
}
END_TEST

START_TEST(elementwise_operations)
{
    Matrix *A = mat_from(2, 3, A_vals), *B = mat_from(2, 3, A_vals), *C = mat_new(2, 3);
    mat_hadamard(C, A, B);
    const real squares[] = {1, 4, 9, 16, 25, 36};
    assert_matrix_equals(C, squares, 0);
    mat_sub(C, C, A); /* n² - n */
    const real diffs[] = {0, 2, 6, 12, 20, 30};
    assert_matrix_equals(C, diffs, 0);
    mat_add(C, C, B); /* n² */
    assert_matrix_equals(C, squares, 0);
    mat_scale(C, 0.5);
    mat_axpy(C, -2, A); /* n²/2 - 2n */
    const real axpy[] = {-1.5, -2, -1.5, 0, 2.5, 6};
    assert_matrix_equals(C, axpy, 0);
    mat_fill(C, 3);
    mat_copy(A, C);
    const real threes[] = {3, 3, 3, 3, 3, 3};
    assert_matrix_equals(A, threes, 0);
    mat_free(A), mat_free(B), mat_free(C);
}
END_TEST

START_TEST(new_matrix_is_zero)
{
    Matrix *M = mat_new(3, 4);
    ck_assert_uint_eq(M->rows, 3);
    ck_assert_uint_eq(M->cols, 4);
    for (size_t i = 0; i < 12; i++) ck_assert(M->data[i] == 0);
    mat_free(M);
    mat_free(NULL);
}
END_TEST

START_TEST(product_shape_mismatch_stops)
{
    Matrix *A = mat_new(2, 3), *B = mat_new(2, 3), *C = mat_new(2, 3);
    mat_mul(C, A, B); /* (2×3)·(2×3) does not fit: must abort */
}
END_TEST

START_TEST(bias_shape_mismatch_stops)
{
    Matrix *Z = mat_new(2, 3), *b = mat_new(3, 1);
    mat_add_col(Z, b);
}
END_TEST

Suite *suite_01_matrices(void);
Suite *suite_01_matrices(void)
{
    Suite *s = suite_create("01 matrices");
    TCase *tc = tcase_create("operations");
    tcase_add_test(tc, product_by_hand);
    tcase_add_test(tc, transposed_products_by_hand);
    tcase_add_loop_test(tc, products_match_reference, 0, sizeof shapes / sizeof shapes[0]);
    tcase_add_test(tc, bias_broadcast_and_column_sums);
    tcase_add_test(tc, elementwise_operations);
    tcase_add_test(tc, new_matrix_is_zero);
    tcase_add_test_raise_signal(tc, product_shape_mismatch_stops, SIGABRT);
    tcase_add_test_raise_signal(tc, bias_shape_mismatch_stops, SIGABRT);
    suite_add_tcase(s, tc);
    return s;
}
