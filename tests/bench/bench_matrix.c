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

/* One product and its operands, for timer_rate. */
typedef struct {
    Way way;
    GemmWork *w;
    Matrix *C;
    const Matrix *A, *B;
    const Shape *s;
} Timed;

static void run_product(void *ctx)
{
    const Timed *t = ctx;
    product(t->way, t->w, t->C, t->A, t->B, t->s);
}

/* GFLOP/s of one way at one shape: timer_rate's median of five timings of at
 * least 0.1 s each. */
static double gflops(Way way, GemmWork *w, Matrix *C, const Matrix *A, const Matrix *B,
                     const Shape *s)
{
    Timed t = {way, w, C, A, B, s};
    return 2.0 * (double)s->n * (double)s->p * (double)s->k * timer_rate(run_product, &t) / 1e9;
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

/* An epoch of the yardstick run (speed_run.h) with chapter 06's step (f
 * NULL) or chapter 09's. */
typedef struct {
    SpeedRun *run;
    FastWork *f;
    const MnistSet *train;
} Epoch;

static void run_epoch(void *ctx)
{
    Epoch *e = ctx;
    double loss;
    size_t correct;
    speed_run_epoch(e->run, e->f, e->train, &loss, &correct);
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
    Epoch slow = {speed_run_new(train.count), NULL, &train},
          fast = {speed_run_new(train.count), &f, &train};
    double start = timer_seconds();
    run_epoch(&slow); /* once: it takes seconds */
    printf("  chapter 06's step (chapter 01's products): %7.3f s\n", timer_seconds() - start);
    printf("  chapter 09's step (gemm), median of 5:     %7.3f s\n",
           1 / timer_rate(run_epoch, &fast));
    speed_run_free(slow.run), speed_run_free(fast.run);
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
