/* Chapter 09: speed.
 *
 * The matrix product C = A·B, step by step from the textbook loop to
 * lib/gemm.c, each step timed in GFLOP/s on the product the first layer does
 * in training (W1 (128×784) times a batch X (784×64)) and at 512³; the
 * first layer's forward pass with and without its bias and ReLU fused into
 * the product; one training epoch of 784-128-10 (batch 64, plain SGD) with
 * chapter 06's step and with chapter 09's; then ten epochs with the fast
 * step. Threads: OMP_NUM_THREADS.
 * Build and run: make ch09 && ./build/ch09-speed */
#include <stdio.h>

#include "fail.h"
#include "fast_layer.h"
#include "gemm.h"
#include "relu.h"
#include "speed_run.h"
#include "timer.h"

/* Step 1, the textbook: C_ij = Σ_k A_ik B_kj, the sum for one entry at a
 * time. The inner loop walks B down a column: a new cache line per term. */
static void mul_ijk(Matrix *C, const Matrix *A, const Matrix *B, GemmWork *w)
{
    (void)w;
    size_t n = A->rows, k = A->cols, p = B->cols;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++) {
            real sum = 0;
            for (size_t kk = 0; kk < k; kk++) sum += A->data[i * k + kk] * B->data[kk * p + j];
            C->data[i * p + j] = sum;
        }
}

/* Step 2, chapter 01's order, i-k-j: the inner loop walks a row of B and a
 * row of C, both in a line, and the compiler makes it vector instructions. */
static void mul_ikj(Matrix *C, const Matrix *A, const Matrix *B, GemmWork *w)
{
    (void)w;
    mat_mul(C, A, B);
}

/* Step 3, the same loop with `restrict`: a promise that C, A and B do not
 * overlap, so the compiler need not reload b[j] after every store to c[j]. */
static void mul_restrict(Matrix *C, const Matrix *A, const Matrix *B, GemmWork *w)
{
    (void)w;
    size_t n = A->rows, k = A->cols, p = B->cols;
    mat_fill(C, 0);
    for (size_t i = 0; i < n; i++) {
        real *restrict c = &C->data[i * p];
        for (size_t kk = 0; kk < k; kk++) {
            real a = A->data[i * k + kk];
            const real *restrict b = &B->data[kk * p];
            for (size_t j = 0; j < p; j++) c[j] += a * b[j];
        }
    }
}

/* Step 4, cache blocking: the same i-k-j loop over tiles of TK rows of B
 * and TJ columns, so that the tile of B, TK×TJ, stays in the L1/L2 cache
 * while every row of A uses it. */
static void mul_blocked(Matrix *C, const Matrix *A, const Matrix *B, GemmWork *w)
{
    (void)w;
    enum { TK = 128, TJ = 256 };
    size_t n = A->rows, k = A->cols, p = B->cols;
    mat_fill(C, 0);
    for (size_t k0 = 0; k0 < k; k0 += TK)
        for (size_t j0 = 0; j0 < p; j0 += TJ) {
            size_t k1 = k0 + TK < k ? k0 + TK : k, j1 = j0 + TJ < p ? j0 + TJ : p;
            for (size_t i = 0; i < n; i++) {
                real *restrict c = &C->data[i * p];
                for (size_t kk = k0; kk < k1; kk++) {
                    real a = A->data[i * k + kk];
                    const real *restrict b = &B->data[kk * p];
                    for (size_t j = j0; j < j1; j++) c[j] += a * b[j];
                }
            }
        }
}

/* Step 5: packing and the register-tiled micro-kernel (lib/gemm.c),
 * on one thread or on all of them. */
static void mul_gemm(Matrix *C, const Matrix *A, const Matrix *B, GemmWork *w)
{
    gemm(w, C, A, GEMM_PLAIN, B, GEMM_PLAIN);
}

typedef void (*Product)(Matrix *C, const Matrix *A, const Matrix *B, GemmWork *w);

/* One product and its operands, for timer_rate. */
typedef struct {
    Product product;
    Matrix *C, *A, *B;
    GemmWork *w;
} Timed;

static void run_product(void *ctx)
{
    Timed *t = ctx;
    t->product(t->C, t->A, t->B, t->w);
}

/* GFLOP/s of `product` on C (n×p) = A (n×k) · B (k×p) (timer_rate: the
 * median of five timings of at least 0.1 s each). */
static double gflops(Product product, size_t n, size_t p, size_t k, GemmWork *w)
{
    Timed t = {product, mat_new(n, p), mat_new(n, k), mat_new(k, p), w};
    mat_fill(t.A, 0.5f), mat_fill(t.B, 0.25f);
    double rate = timer_rate(run_product, &t);
    mat_free(t.A), mat_free(t.B), mat_free(t.C);
    return 2.0 * (double)n * (double)p * (double)k * rate / 1e9;
}

/* One epoch of the yardstick run (speed_run.h) with chapter 06's step (f
 * NULL) or chapter 09's; prints its time and the test accuracy after it. */
static void time_epoch(FastWork *f, const MnistSet *train, const MnistSet *test)
{
    SpeedRun *r = speed_run_new(train->count);
    double loss;
    size_t correct;
    double seconds = speed_run_epoch(r, f, train, &loss, &correct);
    printf("  %-30s %7.3f s %9.0f images/s   test accuracy %.2f%%\n",
           f != NULL ? "chapter 09's step (gemm)" : "chapter 06's step", seconds,
           (double)train->count / seconds, 100 * speed_run_test(r, test));
    speed_run_free(r);
}

/* Step 6: a layer's forward pass, Z = W·X + b, A = ReLU(Z), at the first
 * layer's shape: the product, then two more passes over Z; or all in one.
 * Its b and A, made by main (a Product has no room for them). */
static Matrix *layer_b, *layer_A;

static void layer_apart(Matrix *Z, const Matrix *W, const Matrix *X, GemmWork *w)
{
    gemm(w, Z, W, GEMM_PLAIN, X, GEMM_PLAIN);
    mat_add_col(Z, layer_b);
    relu(layer_A, Z);
}

static void layer_fused(Matrix *Z, const Matrix *W, const Matrix *X, GemmWork *w)
{
    gemm_bias_relu(w, Z, layer_A, W, X, GEMM_PLAIN, layer_b);
}

/* Ten epochs of the yardstick run with the fast step: the time of each and
 * the test accuracy at the end. */
static void train_fast(const MnistSet *train, const MnistSet *test, FastWork *f)
{
    SpeedRun *r = speed_run_new(train->count);
    double total = 0;
    for (int e = 1; e <= 10; e++) {
        double loss;
        size_t correct;
        double seconds = speed_run_epoch(r, f, train, &loss, &correct);
        total += seconds;
        printf("  epoch %2d  loss %.4f  train accuracy %.2f%%  %.3f s\n", e, loss,
               100.0 * (double)correct / (double)train->count, seconds);
    }
    printf("test accuracy %.2f%% after 10 epochs in %.2f s\n", 100 * speed_run_test(r, test),
           total);
    speed_run_free(r);
}

int main(int argc, char **argv)
{
    nn_no_arguments(argc, argv, "ch09-speed");
    char tile[64]; /* this build's gemm tile: in float 8×32 with AVX-512, 6×16 with AVX2 */
    snprintf(tile, sizeof tile, "5. + packing, %zu×%zu register tile", gemm_tile_rows(),
             gemm_tile_cols());
    const struct {
        const char *step;
        Product product;
    } steps[] = {
        {"1. i-j-k, the textbook", mul_ijk},
        {"2. i-k-j, rows in a line", mul_ikj},
        {"3. + restrict", mul_restrict},
        {"4. + cache blocking", mul_blocked},
        {tile, mul_gemm},
    };
    static const struct {
        const char *step;
        Product product;
    } layer[] = {
        {"Z = W·X, Z += b, A = ReLU(Z)", layer_apart},
        {"6. the same, fused: one pass", layer_fused},
    };
    GemmWork w;
    gemm_work_init(&w);
    printf("Chapter 09: C = A·B in GFLOP/s (%s, gemm on %d thread%s)\n", REAL_NAME, gemm_threads(),
           gemm_threads() == 1 ? "" : "s");
    printf("  %-34s %16s %10s\n", "", "(128×784)·(784×64)", "512³");
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        printf("  %-34s %16.1f %10.1f\n", steps[i].step, gflops(steps[i].product, 128, 64, 784, &w),
               gflops(steps[i].product, 512, 512, 512, &w));
    printf("the first layer's forward pass (128×784)·(784×64), GFLOP/s of its product:\n");
    layer_b = mat_new(128, 1), layer_A = mat_new(128, 64);
    mat_fill(layer_b, 0.125f);
    for (size_t i = 0; i < sizeof layer / sizeof layer[0]; i++)
        printf("  %-34s %16.1f\n", layer[i].step, gflops(layer[i].product, 128, 64, 784, &w));
    mat_free(layer_b), mat_free(layer_A);
    MnistSet train, test;
    NnError err;
    if (mnist_load_both("data", &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "ch09-speed: %s\n", err.message);
        return 1;
    }
    printf("one epoch of %zu images, 784-128-10, plain SGD, batch 64:\n", train.count);
    FastWork f;
    fast_work_init(&f);
    time_epoch(NULL, &train, &test);
    time_epoch(&f, &train, &test);
    printf("ten epochs with chapter 09's step:\n");
    train_fast(&train, &test, &f);
    fast_work_release(&f);
    mnist_free(&train), mnist_free(&test);
    gemm_work_release(&w);
    return 0;
}
