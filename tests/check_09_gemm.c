/* check_09_gemm.c: the fast products against chapter 01's, the reference, on
 * many shapes: tiny, odd, larger than a cache block in every direction, and
 * the network's own; every transpose; the workspace reused across shapes. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "gemm.h"
#include "transpose.h"
#include "support/testkit.h"

/* n×p = op(A) (n×k) · op(B) (k×p) */
static const size_t shapes[][3] = {
    {1, 1, 1},      {7, 13, 3},      {65, 129, 785}, {2, 3, 1},      {1, 40, 9},
    {17, 1, 300},   {8, 32, 256},    {9, 33, 257},   {96, 64, 784},  {97, 4097, 2},
    {256, 64, 784}, {10, 64, 256},   {256, 784, 64}, {784, 64, 256}, {300, 5, 520},
    {20, 2000, 25}, {50, 1100, 500}, {13, 4200, 30}, /* few rows: the threads share the columns */
};
enum { SHAPES = sizeof shapes / sizeof shapes[0] };

/* C (n×p) = op(A) · op(B) by chapter 01's products, the reference. */
static void reference(Matrix *C, const Matrix *A, GemmOp op_a, const Matrix *B, GemmOp op_b)
{
    Matrix *At = NULL, *Bt = NULL;
    if (op_a == GEMM_TRANSPOSED) { /* Aᵀ, formed the slow, obvious way */
        At = mat_new(A->cols, A->rows);
        for (size_t i = 0; i < A->rows; i++)
            for (size_t j = 0; j < A->cols; j++) MAT_AT(At, j, i) = MAT_AT(A, i, j);
    }
    if (op_b == GEMM_TRANSPOSED) {
        Bt = mat_new(B->cols, B->rows);
        for (size_t i = 0; i < B->rows; i++)
            for (size_t j = 0; j < B->cols; j++) MAT_AT(Bt, j, i) = MAT_AT(B, i, j);
    }
    mat_mul(C, At != NULL ? At : A, Bt != NULL ? Bt : B);
    mat_free(At), mat_free(Bt);
}

/* Fails unless fast and reference agree within the rounding of k terms:
 * |fast - ref| ≤ 4 k ε Σ|a||b|, entry by entry (ε of the scalar type). */
static void assert_close(const Matrix *fast, const Matrix *ref, const Matrix *absolute, size_t k,
                         const char *what)
{
    double eps = sizeof(real) == 4 ? 1.2e-7 : 2.3e-16;
    for (size_t i = 0; i < fast->rows * fast->cols; i++) {
        double bound = 4 * (double)k * eps * absolute->data[i] + 1e-30;
        ck_assert_msg(fabs((double)fast->data[i] - (double)ref->data[i]) <= bound,
                      "%s: entry %zu is %.9g, the reference %.9g (bound %.3g)", what, i,
                      (double)fast->data[i], (double)ref->data[i], bound);
    }
}

static void check_shape(GemmWork *w, size_t n, size_t p, size_t k, GemmOp op_a, GemmOp op_b)
{
    Matrix *A = op_a == GEMM_PLAIN ? mat_new(n, k) : mat_new(k, n);
    Matrix *B = op_b == GEMM_PLAIN ? mat_new(k, p) : mat_new(p, k);
    Matrix *C = mat_new(n, p), *R = mat_new(n, p), *S = mat_new(n, p);
    fill_uniform(A, n * 31 + k, -1, 1);
    fill_uniform(B, p * 17 + k, -1, 1);
    mat_fill(C, 12345); /* whatever was in C must not matter */
    gemm(w, C, A, op_a, B, op_b);
    reference(R, A, op_a, B, op_b);
    /* Σ|a||b|: the same product of the absolute values, for the bound. */
    for (size_t i = 0; i < A->rows * A->cols; i++) A->data[i] = fabs(A->data[i]);
    for (size_t i = 0; i < B->rows * B->cols; i++) B->data[i] = fabs(B->data[i]);
    reference(S, A, op_a, B, op_b);
    char what[96];
    snprintf(what, sizeof what, "%zu×%zu = op%s(A) · op%s(B), k = %zu", n, p,
             op_a == GEMM_PLAIN ? "" : "ᵀ", op_b == GEMM_PLAIN ? "" : "ᵀ", k);
    assert_close(C, R, S, k, what);
    mat_free(A), mat_free(B), mat_free(C), mat_free(R), mat_free(S);
}

START_TEST(fast_products_match_the_reference)
{
    GemmWork w;
    gemm_work_init(&w);
    const size_t *s = shapes[_i];
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) check_shape(&w, s[0], s[1], s[2], (GemmOp)ta, (GemmOp)tb);
    gemm_work_release(&w);
}
END_TEST

START_TEST(one_workspace_serves_every_shape_in_any_order)
{
    GemmWork w;
    gemm_work_init(&w);
    for (size_t i = SHAPES; i-- > 0;)
        check_shape(&w, shapes[i][0], shapes[i][1], shapes[i][2], 0, 0);
    for (size_t i = 0; i < SHAPES; i++)
        check_shape(&w, shapes[i][0], shapes[i][1], shapes[i][2], 1, 0);
    gemm_work_release(&w);
}
END_TEST

START_TEST(an_empty_sum_gives_zeros)
{
    GemmWork w;
    gemm_work_init(&w);
    Matrix *A = mat_new(3, 1), *B = mat_new(1, 4), *C = mat_new(3, 4);
    A->cols = 0, B->rows = 0; /* k = 0 */
    mat_fill(C, 7);
    gemm(&w, C, A, GEMM_PLAIN, B, GEMM_PLAIN);
    for (size_t i = 0; i < 12; i++) ck_assert(C->data[i] == 0);
    A->cols = 1, B->rows = 1;
    mat_free(A), mat_free(B), mat_free(C);
    gemm_work_release(&w);
}
END_TEST

/* C = C + a·op(A)·op(B) in one pass: the bits of gemm then mat_axpy when k
 * is one block (k ≤ 256; a plain SGD step on a batch), and close to the
 * reference for any k. */
START_TEST(a_scaled_product_is_added_as_axpy_would)
{
    const size_t *s = shapes[_i];
    size_t n = s[0], p = s[1], k = s[2];
    const real a = (real)-0.1;
    GemmWork w;
    gemm_work_init(&w);
    for (int op = 0; op < 4; op++) {
        GemmOp op_a = (GemmOp)(op / 2), op_b = (GemmOp)(op % 2);
        Matrix *A = op_a == GEMM_PLAIN ? mat_new(n, k) : mat_new(k, n);
        Matrix *B = op_b == GEMM_PLAIN ? mat_new(k, p) : mat_new(p, k);
        Matrix *C0 = mat_new(n, p), *C = mat_new(n, p), *P = mat_new(n, p), *R = mat_new(n, p);
        fill_uniform(A, n + 5 * k, -1, 1), fill_uniform(B, p + 3 * k, -1, 1);
        fill_uniform(C0, n * p, -1, 1), mat_copy(C, C0);
        gemm_axpy(&w, C, a, A, op_a, B, op_b);
        /* k in one block: the bits of gemm, then mat_axpy */
        gemm(&w, P, A, op_a, B, op_b);
        mat_copy(R, C0), mat_axpy(R, a, P);
        for (size_t i = 0; k <= 256 && i < n * p; i++)
            ck_assert_msg(C->data[i] == R->data[i], "entry %zu: %.9g, gemm then axpy %.9g", i,
                          (double)C->data[i], (double)R->data[i]);
        /* any k: C0 + a·(the reference product), within its rounding bound */
        reference(P, A, op_a, B, op_b);
        mat_copy(R, C0), mat_axpy(R, a, P);
        for (size_t i = 0; i < A->rows * A->cols; i++) A->data[i] = fabs(A->data[i]);
        for (size_t i = 0; i < B->rows * B->cols; i++) B->data[i] = fabs(B->data[i]);
        reference(P, A, op_a, B, op_b); /* Σ|a||b|, and |C0| + |a|·that for the bound */
        for (size_t i = 0; i < n * p; i++) P->data[i] = fabs(C0->data[i]) + fabs(a) * P->data[i];
        assert_close(C, R, P, k + 1, "C + a·op(A)·op(B)");
        mat_free(A), mat_free(B), mat_free(C0), mat_free(C), mat_free(P), mat_free(R);
    }
    gemm_work_release(&w);
}
END_TEST

START_TEST(bias_and_relu_are_fused_right)
{
    const size_t *s = shapes[_i];
    size_t n = s[0], p = s[1], k = s[2];
    for (int relu = 0; relu < 2; relu++) {
        for (int op = 0; op < 2; op++) {
            GemmWork w;
            gemm_work_init(&w);
            Matrix *W = mat_new(n, k), *X = op == 0 ? mat_new(k, p) : mat_new(p, k);
            Matrix *b = mat_new(n, 1), *Z = mat_new(n, p), *A = mat_new(n, p);
            Matrix *R = mat_new(n, p), *S = mat_new(n, p);
            fill_uniform(W, n + k, -1, 1), fill_uniform(X, p + k, -1, 1), fill_uniform(b, n, -1, 1);
            gemm_bias_relu(&w, Z, relu ? A : NULL, W, X, (GemmOp)op, b);
            reference(R, W, GEMM_PLAIN, X, (GemmOp)op);
            mat_add_col(R, b); /* the reference: Z = W·X + b, then ReLU */
            for (size_t i = 0; i < W->rows * W->cols; i++) W->data[i] = fabs(W->data[i]);
            for (size_t i = 0; i < X->rows * X->cols; i++) X->data[i] = fabs(X->data[i]);
            reference(S, W, GEMM_PLAIN, X, (GemmOp)op);
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < p; j++) MAT_AT(S, i, j) += fabs(b->data[i]);
            assert_close(Z, R, S, k + 1, "Z = W·X + b");
            for (size_t i = 0; relu && i < n * p; i++) {
                real want = Z->data[i] > 0 ? Z->data[i] : 0;
                ck_assert_msg(A->data[i] == want, "A = ReLU(Z) at %zu: %g for %g", i,
                              (double)A->data[i], (double)Z->data[i]);
            }
            mat_free(W), mat_free(X), mat_free(b), mat_free(Z), mat_free(A), mat_free(R),
                mat_free(S);
            gemm_work_release(&w);
        }
    }
}
END_TEST

/* transpose_square moves the N×N square at `from` (rows ldf apart) into
 * `to` (rows ldt apart) transposed, and writes nothing else: each number
 * distinct, with room around both squares. */
START_TEST(a_square_is_transposed_in_place_of_nothing_else)
{
    enum { N = TRANSPOSE_N };
    const size_t lds[][2] = {{N, N}, {N + 1, 3 * N + 5}, {64, 784}, {2 * N, 2 * N}};
    size_t ldt = lds[_i][0], ldf = lds[_i][1];
    real *from = nn_alloc(N * ldf + 2, sizeof *from, "from"),
         *to = nn_alloc(N * ldt + 2, sizeof *to, "to");
    for (size_t i = 0; i < N * ldf + 2; i++) from[i] = (real)i;
    for (size_t i = 0; i < N * ldt + 2; i++) to[i] = -1;
    transpose_square(to + 1, ldt, from + 1, ldf); /* squares starting off a vector's alignment */
    for (size_t p = 0; p < N; p++)
        for (size_t j = 0; j < N; j++)
            ck_assert_msg(to[1 + p * ldt + j] == from[1 + j * ldf + p],
                          "ld %zu, %zu: to[%zu][%zu] is %g, not from[%zu][%zu] = %g", ldt, ldf, p,
                          j, (double)to[1 + p * ldt + j], j, p, (double)from[1 + j * ldf + p]);
    size_t outside = 0;
    for (size_t i = 0; i < N * ldt + 2; i++) {
        int inside = i >= 1 && i - 1 < N * ldt && (i - 1) % ldt < N;
        outside += !inside && to[i] != -1;
    }
    ck_assert_msg(outside == 0, "ld %zu, %zu: %zu numbers outside the square were written", ldt,
                  ldf, outside);
    free(from), free(to);
}
END_TEST

START_TEST(the_tile_fits_the_registers)
{
    /* Two vector registers across, and at most 16 of them (SSE2, AVX2) or 32 (AVX-512). */
    size_t across = gemm_tile_cols() * sizeof(real);
#if defined(__AVX512F__)
    ck_assert_uint_eq(across, 2 * 64);
#elif defined(__AVX__)
    ck_assert_uint_eq(across, 2 * 32);
#else
    ck_assert_uint_eq(across, 2 * 16);
#endif
    ck_assert_uint_le(gemm_tile_rows() * 2, across == 128 ? 32 : 16);
    ck_assert_int_ge(gemm_threads(), 1);
}
END_TEST

Suite *suite_09_gemm(void);
Suite *suite_09_gemm(void)
{
    Suite *s = suite_create("09 gemm");
    TCase *tc = tcase_create("against the reference");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, fast_products_match_the_reference, 0, SHAPES);
    tcase_add_test(tc, one_workspace_serves_every_shape_in_any_order);
    tcase_add_loop_test(tc, bias_and_relu_are_fused_right, 0, SHAPES);
    tcase_add_loop_test(tc, a_scaled_product_is_added_as_axpy_would, 0, SHAPES);
    tcase_add_test(tc, an_empty_sum_gives_zeros);
    tcase_add_test(tc, the_tile_fits_the_registers);
    tcase_add_loop_test(tc, a_square_is_transposed_in_place_of_nothing_else, 0, 4);
    suite_add_tcase(s, tc);
    return s;
}
