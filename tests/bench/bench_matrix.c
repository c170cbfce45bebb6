/* bench_matrix.c: `make bench`. First the core's peak rate of multiply-adds
 * (peak.h), measured; then the matrix products in GFLOP/s, chapter 01's and
 * chapter 09's (gemm), at the shapes of training 784-128-10 with mini-batch
 * 64 and at 1024³, with OpenBLAS's cblas_sgemm beside them when it is
 * installed (built with -DNN_HAVE_CBLAS); then the time of one training
 * epoch, both ways. Each rate is also shown as a share of the peak on as
 * many threads as gemm uses. A benchmark, not a test: it measures and asserts
 * nothing. Threads: OMP_NUM_THREADS (gemm) and OPENBLAS_NUM_THREADS (OpenBLAS). */
#include <stdio.h>
#include <stdlib.h>

/* OpenBLAS's cblas_sgemm is in float: a double build compares nothing. */
#if defined(NN_HAVE_CBLAS) && !defined(NN_REAL_DOUBLE)
#define COMPARE_BLAS 1
#include <cblas.h>
#include <strings.h>
#else
#define COMPARE_BLAS 0
#endif

#include "gemm.h"
#include "peak.h"
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
        if (s->op_a == GEMM_TRANSPOSED)
            mat_mul_tn(C, A, B);
        else if (s->op_b == GEMM_TRANSPOSED)
            mat_mul_nt(C, A, B);
        else
            mat_mul(C, A, B);
    } else {
#if COMPARE_BLAS
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

#if COMPARE_BLAS
static int named(const char *name, const char *const names[])
{
    for (; *names != NULL; names++)
        if (strcasecmp(name, *names) == 0) return 1;
    return 0;
}

/* OpenBLAS picks its kernel by the CPU it sees, and falls back to an old one
 * (Prescott, Core2, Nehalem, ...) for a CPU it does not know: the kernel's
 * name, and a warning when its vectors are narrower than the CPU's. The
 * names are openblas_get_corename's (upper case in a build for one CPU). */
static void bench_blas_kernel(void)
{
    static const char *const avx512[] = {"SkylakeX", "Cooperlake", "SapphireRapids", NULL};
    static const char *const avx2[] = {"Haswell",        "Zen", "SkylakeX", "Cooperlake",
                                       "SapphireRapids", NULL};
    const char *core = openblas_get_corename(), *cpu = NULL, *fair = NULL;
    const char *const *wide = NULL; /* the kernels that use all of the CPU's width */
#if defined(__x86_64__) || defined(__i386__)
    if (__builtin_cpu_supports("avx512f"))
        cpu = "AVX-512", fair = "SkylakeX", wide = avx512;
    else if (__builtin_cpu_supports("avx2"))
        cpu = "AVX2", fair = "Haswell", wide = avx2;
#endif
    printf("OpenBLAS's kernel: %s\n", core);
    if (wide != NULL && !named(core, wide))
        printf("WARNING: OpenBLAS chose its %s kernel, made for narrower vectors than this "
               "CPU's %s, so the comparison flatters gemm: for a fair one, rerun with "
               "OPENBLAS_CORETYPE=%s make bench\n",
               core, cpu, fair);
}
#endif

static void bench_products(GemmWork *w, double peak)
{
    int cblas = COMPARE_BLAS;
#if COMPARE_BLAS
    bench_blas_kernel();
#endif
    printf("matrix products, GFLOP/s (median of 5), %s, gemm on %d thread%s, tile %zu×%zu\n",
           REAL_NAME, gemm_threads(), gemm_threads() == 1 ? "" : "s", gemm_tile_rows(),
           gemm_tile_cols());
    printf("%-36s %10s %8s", "", "chapter 01", "gemm");
    if (cblas) printf(" %8s %10s", "OpenBLAS", "gemm/BLAS");
    printf(" %10s%s\n", "gemm/peak", cblas ? "  BLAS/peak" : "");
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
        printf(" %9.0f%%", 100 * fast / peak);
        if (cblas) printf(" %9.0f%%", 100 * blas / peak);
        printf("\n");
        mat_free(A), mat_free(B), mat_free(C);
    }
#ifndef NN_HAVE_CBLAS
    printf("(no OpenBLAS comparison: install libopenblas-dev, then make bench)\n");
#elif !COMPARE_BLAS
    printf("(no OpenBLAS comparison in double: cblas_sgemm is in float)\n");
#endif
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

/* The flops of one epoch: each image goes once through the five products of
 * a training step, whose multiply-adds for a batch of m are
 *   Z1 = W1·X 128·784·m, Z2 = W2·A1 10·128·m, dW2 = dZ2·A1ᵀ 10·128·m,
 *   dA1 = W2ᵀ·dZ2 128·10·m, dW1 = dZ1·Xᵀ 128·784·m,
 * so flops = 2 · (2·128·784 + 3·10·128) · images = 409,088 an image (2 flops
 * a multiply-add), 24.5 GFLOP for 60,000 images, whatever the batch. The
 * element-wise work (bias, ReLU, softmax, the update) is not counted. */
static double epoch_flops(size_t images)
{
    enum { INPUTS = 784, HIDDEN = 128, CLASSES = 10 };
    return 2.0 * (2.0 * HIDDEN * INPUTS + 3.0 * CLASSES * HIDDEN) * (double)images;
}

/* An epoch's time, its rate of flops (epoch_flops / seconds) and that rate's
 * share of the peak. */
static void print_epoch(const char *what, double seconds, double flops, double peak)
{
    printf("  %-43s %7.3f s %7.1f GFLOP/s %4.0f%% of the peak\n", what, seconds,
           flops / seconds / 1e9, 100 * flops / seconds / 1e9 / peak);
}

static void bench_epoch(double peak)
{
    MnistSet train, test;
    NnError err;
    if (mnist_load_both(NN_SOURCE_DIR "/data", &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "bench: %s\n", err.message);
        return;
    }
    FastWork f;
    fast_work_init(&f);
    double flops = epoch_flops(train.count);
    printf("one epoch of %zu images, 784-128-10, plain SGD, batch 64, %.1f GFLOP of products:\n",
           train.count, flops / 1e9);
    Epoch slow = {speed_run_new(train.count), NULL, &train},
          fast = {speed_run_new(train.count), &f, &train};
    double start = timer_seconds();
    run_epoch(&slow); /* once: it takes seconds */
    print_epoch("chapter 06's step (chapter 01's products):", timer_seconds() - start, flops, peak);
    print_epoch("chapter 09's step (gemm), median of 5:", 1 / timer_rate(run_epoch, &fast), flops,
                peak);
    printf("  %-43s %7.3f s\n", "at the peak, the products alone:", flops / peak / 1e9);
    speed_run_free(slow.run), speed_run_free(fast.run);
    fast_work_release(&f);
    mnist_free(&train), mnist_free(&test);
}

int main(void)
{
    GemmWork w;
    gemm_work_init(&w);
    double peak = peak_of_threads();
    bench_products(&w, peak);
    bench_epoch(peak);
    gemm_work_release(&w);
    return 0;
}
