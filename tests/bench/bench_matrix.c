/* bench_matrix.c: `make bench`. The matrix products in GFLOP/s, chapter 01's
 * and chapter 09's (gemm), at the shapes of training 784-128-10 with
 * mini-batch 64 and at 1024³, with OpenBLAS's cblas_sgemm beside them when it
 * is installed (built with -DNN_HAVE_CBLAS); then the time of one training
 * epoch, both ways. A benchmark, not a test: it measures and asserts nothing.
 * Threads: OMP_NUM_THREADS (gemm) and OPENBLAS_NUM_THREADS (OpenBLAS). */
#include <stdio.h>
#include <stdlib.h>

#ifdef NN_HAVE_CBLAS
#include <cblas.h>
#endif

#include "gemm.h"
#include "speed_run.h"
#include "timer.h"

typedef struct {
    const char *what;
    size_t n, p, k;
    GemmOp op_a, op_b;
} Shape;

/* The products of one training step, in the layouts the fast step uses (the
 * batch's images are the rows of Xt, 64×784), then a large square one. */
static const Shape shapes[] = {
    {"Z1 = W1·Xtᵀ    (128×784)·(64×784)ᵀ", 128, 64, 784, GEMM_PLAIN, GEMM_TRANSPOSED},
    {"Z2 = W2·A1     (10×128)·(128×64)", 10, 64, 128, GEMM_PLAIN, GEMM_PLAIN},
    {"dW2 = dZ2·A1ᵀ  (10×64)·(128×64)ᵀ", 10, 128, 64, GEMM_PLAIN, GEMM_TRANSPOSED},
    {"dA1 = W2ᵀ·dZ2  (10×128)ᵀ·(10×64)", 128, 64, 10, GEMM_TRANSPOSED, GEMM_PLAIN},
    {"dW1 = dZ1·Xt   (128×64)·(64×784)", 128, 784, 64, GEMM_PLAIN, GEMM_PLAIN},
    {"1024³", 1024, 1024, 1024, GEMM_PLAIN, GEMM_PLAIN},
};

typedef enum { CHAPTER_01, GEMM, CBLAS } Way;

static void product(Way way, GemmWork *w, Matrix *C, const Matrix *A, const Matrix *B,
                    const Shape *s)
{
    if (way == GEMM) {
        gemm(w, C, A, s->op_a, B, s->op_b);
    } else if (way == CHAPTER_01) {
        if (s->op_a == GEMM_TRANSPOSED) mat_mul_tn(C, A, B);
        else if (s->op_b == GEMM_TRANSPOSED) mat_mul_nt(C, A, B);
        else mat_mul(C, A, B);
    } else {
#ifdef NN_HAVE_CBLAS
        cblas_sgemm(CblasRowMajor, s->op_a == GEMM_PLAIN ? CblasNoTrans : CblasTrans,
                    s->op_b == GEMM_PLAIN ? CblasNoTrans : CblasTrans, (int)s->n, (int)s->p,
                    (int)s->k, 1, A->data, (int)A->cols, B->data, (int)B->cols, 0, C->data,
                    (int)C->cols);
#endif
    }
}

/* The median of five numbers (it sorts them). */
static double median5(double x[5])
{
    for (int i = 1; i < 5; i++) /* insertion sort */
        for (int j = i; j > 0 && x[j] < x[j - 1]; j--) {
            double y = x[j];
            x[j] = x[j - 1], x[j - 1] = y;
        }
    return x[2];
}

/* The median of five timings of at least 0.1 s each, in GFLOP/s. */
static double gflops(Way way, GemmWork *w, Matrix *C, const Matrix *A, const Matrix *B,
                     const Shape *s)
{
    double rate[5];
    for (int t = 0; t < 5; t++) {
        int reps = 0;
        double start = timer_seconds(), elapsed;
        do {
            product(way, w, C, A, B, s);
            reps++;
            elapsed = timer_seconds() - start;
        } while (elapsed < 0.1);
        rate[t] = 2.0 * (double)s->n * (double)s->p * (double)s->k * reps / elapsed / 1e9;
    }
    return median5(rate);
}

static void bench_products(GemmWork *w)
{
    int cblas = 0;
#ifdef NN_HAVE_CBLAS
    cblas = sizeof(real) == sizeof(float);
#endif
    printf("matrix products, GFLOP/s (median of 5), %s, gemm on %d thread%s, tile %zu×%zu\n",
           REAL_NAME, gemm_threads(), gemm_threads() == 1 ? "" : "s", gemm_tile_rows(),
           gemm_tile_cols());
    printf("%-36s %10s %8s %8s %10s\n", "", "chapter 01", "gemm", "OpenBLAS", "gemm/BLAS");
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const Shape *s = &shapes[i];
        Matrix *A = s->op_a == GEMM_PLAIN ? mat_new(s->n, s->k) : mat_new(s->k, s->n);
        Matrix *B = s->op_b == GEMM_PLAIN ? mat_new(s->k, s->p) : mat_new(s->p, s->k);
        Matrix *C = mat_new(s->n, s->p);
        mat_fill(A, 0.5f), mat_fill(B, 0.25f);
        double fast = gflops(GEMM, w, C, A, B, s), blas = cblas ? gflops(CBLAS, w, C, A, B, s) : 0;
        if (s->k >= 1024) /* chapter 01's loops would take minutes there */
            printf("%-36s %12s %8.1f", s->what, "—", fast); /* — is 3 bytes, 1 column */
        else
            printf("%-36s %10.1f %8.1f", s->what, gflops(CHAPTER_01, w, C, A, B, s), fast);
        if (cblas) printf(" %8.1f %9.0f%%", blas, 100 * fast / blas);
        printf("\n");
        mat_free(A), mat_free(B), mat_free(C);
    }
    if (!cblas) printf("(no OpenBLAS comparison: install libopenblas-dev, then make bench)\n");
}

/* One epoch of the yardstick run (speed_run.h), chapter 06's step (f NULL)
 * or chapter 09's, from the same start each time: its seconds. */
static double epoch_seconds(FastWork *f, const MnistSet *train)
{
    SpeedRun *r = speed_run_new(train->count);
    double loss;
    size_t correct;
    double seconds = speed_run_epoch(r, f, train, &loss, &correct);
    speed_run_free(r);
    return seconds;
}

static void bench_epoch(void)
{
    MnistSet train, test;
    NnError err;
    if (mnist_load_both(NN_SOURCE_DIR "/data", &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "bench: %s\n", err.message);
        return;
    }
    FastWork f;
    fast_work_init(&f);
    printf("one epoch of %zu images, 784-128-10, plain SGD, batch 64:\n", train.count);
    printf("  chapter 06's step (chapter 01's products): %7.3f s\n", epoch_seconds(NULL, &train));
    double t[5];
    for (int i = 0; i < 5; i++) t[i] = epoch_seconds(&f, &train);
    printf("  chapter 09's step (gemm), median of 5:     %7.3f s\n", median5(t));
    fast_work_release(&f);
    mnist_free(&train), mnist_free(&test);
}

int main(void)
{
    GemmWork w;
    gemm_work_init(&w);
    bench_products(&w);
    bench_epoch();
    gemm_work_release(&w);
    return 0;
}
