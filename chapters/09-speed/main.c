/* Chapter 09: speed.
 *
 * Times chapter 01's products, the reference, against the fast ones of
 * lib/gemm.c at the shapes training 784-128-10 uses (mini-batch 64) and at
 * 1024³, in GFLOP/s, one thread and then as many as OMP_NUM_THREADS allows.
 * Build and run: make ch09 && ./build/ch09-speed */
#include <stdio.h>
#include <stdlib.h>

#include "fast_layer.h"
#include "gemm.h"
#include "model_sgd.h"
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

/* A 784-128-10 model, He-initialised from seed 1, for batches of 64. */
static Model *fresh_model(void)
{
    size_t sizes[] = {784, 128, 10};
    Model *model = model_new(sizes, 3, 64);
    Rng rng;
    rng_seed(&rng, 1);
    model_init_he(model, &rng);
    return model;
}

/* One epoch over all of train, plain SGD at 0.1, batch 64, the reference way
 * (chapter 06's model_epoch) or the fast one; prints its time and the test
 * accuracy after it. */
static void time_epoch(int fast, const MnistSet *train, const MnistSet *test, GemmWork *w)
{
    Model *model = fresh_model();
    real alpha = (real)0.1;
    ModelTrainer *t = model_trainer_new(model, model_sgd_update, &alpha);
    size_t *order = nn_alloc(train->count, sizeof *order, "the order"), correct = 0, bad = 0;
    for (size_t i = 0; i < train->count; i++) order[i] = i;
    Rng rng;
    rng_seed(&rng, 2);
    double start = timer_seconds();
    Matrix *Xt = mat_new(64, 784);
    if (fast)
        fast_epoch(w, model, Xt, t->Y, train, order, train->count, &rng, alpha, &correct, &bad);
    else
        model_epoch(t, train, order, train->count, &rng, &correct, &bad, NULL, NULL);
    double seconds = timer_seconds() - start;
    Score s = model_evaluate(model, test, 0, test->count, t->X, t->Y, NULL, NULL);
    printf("%-36s %8.3f s %10.0f img/s   test accuracy %.2f%%\n",
           fast ? "epoch, gemm" : "epoch, chapter 01's products", seconds,
           (double)train->count / seconds, 100 * s.accuracy);
    free(order), mat_free(Xt), model_trainer_free(t), model_free(model);
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
    MnistSet train, test;
    NnError err;
    if (mnist_load_both(NN_SOURCE_DIR "/data", &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "ch09-speed: %s\n", err.message);
        return 1;
    }
    printf("training 784-128-10, plain SGD, batch 64, one epoch of %zu images:\n", train.count);
    time_epoch(0, &train, &test, &w);
    time_epoch(1, &train, &test, &w);
    mnist_free(&train), mnist_free(&test);
    gemm_work_release(&w);
    return 0;
}
