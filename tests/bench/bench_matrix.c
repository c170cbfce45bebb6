/* bench_matrix.c: `make bench`, the speed of the three matrix products in
 * GFLOP/s at the shapes training uses (784-128-10, mini-batch 32 and 64) and
 * at 512³. A benchmark, not a test: it measures and asserts nothing. */
#include <stdio.h>

#include "matrix.h"
#include "timer.h"

typedef void (*Product)(Matrix *C, const Matrix *A, const Matrix *B);

/* Runs C = op(A, B) repeatedly for at least 0.3 s; returns GFLOP/s. */
static double gflops(Product product, Matrix *C, const Matrix *A, const Matrix *B, size_t k)
{
    int reps = 0;
    double start = timer_seconds(), elapsed;
    do {
        product(C, A, B);
        reps++;
        elapsed = timer_seconds() - start;
    } while (elapsed < 0.3);
    return 2.0 * (double)C->rows * (double)C->cols * (double)k * reps / elapsed / 1e9;
}

/* One row: C (n×p) from A, B of the given shapes through `product`. */
static void bench(const char *what, Product product, size_t ar, size_t ac, size_t br, size_t bc,
                  size_t n, size_t p, size_t k)
{
    Matrix *A = mat_new(ar, ac), *B = mat_new(br, bc), *C = mat_new(n, p);
    mat_fill(A, 0.5f);
    mat_fill(B, 0.25f);
    printf("%8.2f GFLOP/s   C %4zu×%-4zu  %s\n", gflops(product, C, A, B, k), n, p, what);
    mat_free(A), mat_free(B), mat_free(C);
}

int main(void)
{
    printf("matrix products, %s, one thread\n", REAL_NAME);
    for (size_t m = 32; m <= 64; m *= 2) {
        printf("mini-batch m = %zu, h = 128:\n", m);
        bench("Z1 = W1·X      mat_mul    (h×784)·(784×m)", mat_mul, 128, 784, 784, m, 128, m, 784);
        bench("dW1 = dZ1·Xᵀ   mat_mul_nt (h×m)·(784×m)ᵀ", mat_mul_nt, 128, m, 784, m, 128, 784, m);
        bench("dA1 = W2ᵀ·dZ2  mat_mul_tn (10×h)ᵀ·(10×m)", mat_mul_tn, 10, 128, 10, m, 128, m, 10);
    }
    bench("512³ mat_mul", mat_mul, 512, 512, 512, 512, 512, 512, 512);
    bench("512³ mat_mul_nt", mat_mul_nt, 512, 512, 512, 512, 512, 512, 512);
    bench("512³ mat_mul_tn", mat_mul_tn, 512, 512, 512, 512, 512, 512, 512);
    return 0;
}
