/* Chapter 01: matrices.
 *
 * Shows every matrix operation the network will need on small examples you
 * can check by hand, then times the matrix product in GFLOP/s.
 * Build and run: make ch01 && ./build/ch01-matrices */
#include <stdio.h>

#include "fail.h"
#include "matrix.h"
#include "timer.h"

static void show_products(void)
{
    /* laid out as the matrices they hold */
    /* clang-format off */
    const real a[] = {1, 2, 3,
                      4, 5, 6};
    const real b[] = {7, 8,
                      9, 10,
                      11, 12};
    /* clang-format on */
    Matrix *A = mat_from(2, 3, a), *B = mat_from(3, 2, b);
    Matrix *AB = mat_new(2, 2), *AtA = mat_new(3, 3), *AAt = mat_new(2, 2);

    puts("== Products");
    mat_print(stdout, "A", A);
    mat_print(stdout, "B", B);
    mat_mul(AB, A, B); /* AB (2×2) = A (2×3) · B (3×2) */
    mat_print(stdout, "A·B", AB);
    mat_mul_tn(AtA, A, A); /* AtA (3×3) = A (2×3)ᵀ · A (2×3) */
    mat_print(stdout, "Aᵀ·A", AtA);
    mat_mul_nt(AAt, A, A); /* AAt (2×2) = A (2×3) · A (2×3)ᵀ */
    mat_print(stdout, "A·Aᵀ", AAt);

    mat_free(A), mat_free(B), mat_free(AB), mat_free(AtA), mat_free(AAt);
}

static void show_broadcast_and_sums(void)
{
    /* laid out as the matrices they hold */
    /* clang-format off */
    const real z[] = {1, 2, 3,
                      4, 5, 6};
    const real bias[] = {10,
                         100};
    /* clang-format on */
    Matrix *Z = mat_from(2, 3, z), *b = mat_from(2, 1, bias), *s = mat_new(2, 1);

    puts("\n== Bias broadcast and sums over columns");
    mat_print(stdout, "b", b);
    mat_add_col(Z, b); /* Z (2×3) += b (2×1), b added to every column */
    mat_print(stdout, "Z + b", Z);
    mat_sum_cols(s, Z); /* s (2×1) = Σ over the 3 columns of Z */
    mat_print(stdout, "Σ columns of (Z + b)", s);

    mat_free(Z), mat_free(b), mat_free(s);
}

static void show_elementwise(void)
{
    /* laid out as the matrices they hold */
    /* clang-format off */
    const real p[] = {1, -2,
                      3, -4};
    const real q[] = {2, 2,
                      0.5, 0.5};
    /* clang-format on */
    Matrix *P = mat_from(2, 2, p), *Q = mat_from(2, 2, q), *R = mat_new(2, 2);

    puts("\n== Element by element");
    mat_print(stdout, "P", P);
    mat_print(stdout, "Q", Q);
    mat_hadamard(R, P, Q);
    mat_print(stdout, "P ⊙ Q", R);
    mat_sub(R, P, Q);
    mat_print(stdout, "P - Q", R);
    mat_axpy(P, -0.5, Q); /* the update rule's shape: W = W - α·dW with α = 0.5 */
    mat_print(stdout, "P - 0.5·Q", P);

    mat_free(P), mat_free(Q), mat_free(R);
}

/* Times C = A·B for A (n×k) and B (k×p), repeated until a quarter second passes. */
static void time_product(const char *what, size_t n, size_t k, size_t p)
{
    Matrix *A = mat_new(n, k), *B = mat_new(k, p), *C = mat_new(n, p);
    mat_fill(A, 0.5);
    mat_fill(B, 0.25);
    mat_mul(C, A, B); /* once untimed, so the caches and the clock speed are warm */
    int reps = 0;
    double start = timer_seconds(), elapsed;
    do {
        mat_mul(C, A, B);
        reps++;
        elapsed = timer_seconds() - start;
    } while (elapsed < 0.25);
    double flops = 2.0 * (double)n * (double)k * (double)p * reps; /* a multiply and an add */
    printf("%-34s %4zu×%-4zu · %4zu×%-4zu %7.2f GFLOP/s\n", what, n, k, k, p,
           flops / elapsed / 1e9);
    mat_free(A), mat_free(B), mat_free(C);
}

int main(int argc, char **argv)
{
    nn_no_arguments(argc, argv, "ch01-matrices");
    show_products();
    show_broadcast_and_sums();
    show_elementwise();
    printf("\n== Speed of mat_mul (%s)\n", REAL_NAME);
    time_product("first layer, batch of 64: W1·X", 128, 784, 64);
    time_product("a square product", 512, 512, 512);
    return 0;
}
