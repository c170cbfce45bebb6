/* bench_phases.c: `make bench-phases`. Where chapter 09's training step
 * spends its time, phase by phase: the yardstick run of `make bench`
 * (784-128-10, plain SGD, batch 64: speed_run.h) with the fast ops wrapped
 * in ops that time each call, as dropout wraps them (model.h): the gather,
 * each layer's forward pass, each layer's backward pass and step. What the
 * step does between the calls, on one thread (softmax and the loss, the
 * right guesses, dA_L = P - Y), and the epoch loop's own work, is the rest:
 * the epoch's time less the calls'. Microseconds per step, over 3 epochs
 * after one to warm up, on the threads OMP_NUM_THREADS gives. A benchmark,
 * not a test: it measures and asserts nothing. */
#include <stdio.h>
#include <stdlib.h>

#include "speed_run.h"
#include "timer.h"

enum { EPOCHS = 3 };

/* The fast ops, and the seconds spent in each (layer l's in forward[l] and
 * backward[l], l below the model's count of layers). */
typedef struct {
    ModelOps ops; /* first: the model calls these */
    const ModelOps *inner;
    double gather, forward[MODEL_MAX_SIZES], backward[MODEL_MAX_SIZES];
    size_t steps;
} TimedOps;

static void timed_gather(const ModelOps *ops, Matrix *X, Matrix *Y, const MnistSet *set,
                         const Batch *batch)
{
    TimedOps *t = (TimedOps *)ops;
    double start = timer_seconds();
    t->inner->gather(t->inner, X, Y, set, batch);
    t->gather += timer_seconds() - start;
    t->steps++;
}

static void timed_forward(const ModelOps *ops, Model *model, size_t l, const Matrix *input)
{
    TimedOps *t = (TimedOps *)ops;
    double start = timer_seconds();
    t->inner->forward(t->inner, model, l, input);
    t->forward[l] += timer_seconds() - start;
}

static void timed_backward(const ModelOps *ops, Model *model, size_t l, const Matrix *input,
                           Matrix *dX, const Update *update)
{
    TimedOps *t = (TimedOps *)ops;
    double start = timer_seconds();
    t->inner->backward(t->inner, model, l, input, dX, update);
    t->backward[l] += timer_seconds() - start;
}

static TimedOps timed(const ModelOps *inner)
{
    return (TimedOps){{timed_gather, timed_forward, timed_backward}, inner, 0, {0}, {0}, 0};
}

static void print_phases(const TimedOps *t, size_t layers, double seconds)
{
    double us = 1e6 / (double)t->steps, calls = t->gather;
    printf("per step, µs: gather %.1f", t->gather * us);
    for (size_t l = 0; l < layers; l++) {
        printf(", forward %zu %.1f", l + 1, t->forward[l] * us);
        calls += t->forward[l] + t->backward[l];
    }
    for (size_t l = layers; l-- > 0;) printf(", backward %zu %.1f", l + 1, t->backward[l] * us);
    printf(", the rest %.1f; in all %.1f (an epoch %.3f s)\n", (seconds - calls) * us, seconds * us,
           seconds / EPOCHS);
}

int main(void)
{
    MnistSet train, test;
    NnError err;
    if (mnist_load_both(NN_SOURCE_DIR "/data", &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "bench-phases: %s\n", err.message);
        return 1;
    }
    SpeedRun *r = speed_run_new(train.count);
    FastWork f;
    fast_work_init(&f);
    FastOps fast = fast_ops(&f, FAST_TRAIN);
    printf("chapter 09's step, 784-128-10, plain SGD, batch 64, on %zu thread%s, %d epochs:\n",
           f.threads, f.threads == 1 ? "" : "s", EPOCHS);
    double loss, seconds = 0;
    size_t correct;
    TimedOps t = timed(&fast.ops);
    speed_run_epoch_with(r, &t.ops, &train, &loss, &correct); /* to warm up */
    t = timed(&fast.ops);
    for (int e = 0; e < EPOCHS; e++)
        seconds += speed_run_epoch_with(r, &t.ops, &train, &loss, &correct);
    print_phases(&t, r->model->count, seconds);
    fast_work_release(&f), speed_run_free(r);
    mnist_free(&train), mnist_free(&test);
    return 0;
}
