/* Chapter 09: speed.
 *
 * Times chapter 01's products, the reference, against the fast ones of
 * lib/gemm.c at the shapes training 784-128-10 uses (mini-batch 64) and at
 * 1024³, in GFLOP/s, one thread and then as many as OMP_NUM_THREADS allows.
 * Build and run: make ch09 && ./build/ch09-speed */
#include <stdio.h>

#include "gemm.h"
#include "timer.h"

typedef struct {
    const char *what;
    size_t n, p, k;
    GemmOp op_a, op_b;
} Shape;

static const Shape shapes[] = {
    {"Z1 = W1·X       (128×784)·(784×64)", 128, 64, 784, GEMM_PLAIN, GEMM_PLAIN},
    {"dW1 = dZ1·Xᵀ    (128×64)·(784×64)ᵀ", 128, 784, 64, GEMM_PLAIN, GEMM_TRANSPOSED},
    {"dA1 = W2ᵀ·dZ2   (10×128)ᵀ·(10×64)", 128, 64, 10, GEMM_TRANSPOSED, GEMM_PLAIN},
    {"1024³", 1024, 1024, 1024, GEMM_PLAIN, GEMM_PLAIN},
};

/* Runs the product for at least 0.3 s; returns GFLOP/s. `fast` picks gemm. */
static double gflops(int fast, GemmWork *w, Matrix *C, const Matrix *A, const Matrix *B,
                     const Shape *s)
{
    int reps = 0;
    double start = timer_seconds(), elapsed;
    do {
        if (fast)
            gemm(w, C, A, s->op_a, B, s->op_b);
        else if (s->op_a == GEMM_TRANSPOSED)
            mat_mul_tn(C, A, B);
        else if (s->op_b == GEMM_TRANSPOSED)
            mat_mul_nt(C, A, B);
        else
            mat_mul(C, A, B);
        reps++;
        elapsed = timer_seconds() - start;
    } while (elapsed < 0.3);
    return 2.0 * (double)s->n * (double)s->p * (double)s->k * reps / elapsed / 1e9;
}

int main(void)
{
    GemmWork w;
    gemm_work_init(&w);
    printf("Chapter 09: matrix products in GFLOP/s (%s, tile %zu×%zu, %d thread%s)\n", REAL_NAME,
           gemm_tile_rows(), gemm_tile_cols(), gemm_threads(), gemm_threads() == 1 ? "" : "s");
    printf("%-36s %10s %10s\n", "product", "chapter 01", "gemm");
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const Shape *s = &shapes[i];
        Matrix *A = s->op_a == GEMM_PLAIN ? mat_new(s->n, s->k) : mat_new(s->k, s->n);
        Matrix *B = s->op_b == GEMM_PLAIN ? mat_new(s->k, s->p) : mat_new(s->p, s->k);
        Matrix *C = mat_new(s->n, s->p);
        mat_fill(A, 0.5f), mat_fill(B, 0.25f);
        double slow = s->k >= 1024 ? 0 : gflops(0, &w, C, A, B, s);
        printf("%-36s %10.1f %10.1f\n", s->what, slow, gflops(1, &w, C, A, B, s));
        mat_free(A), mat_free(B), mat_free(C);
    }
    gemm_work_release(&w);
    return 0;
}
