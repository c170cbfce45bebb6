/* bench_conv.c: `make bench-conv`, chapter 10's speed. The machine's peak
 * (peak.h); then each convolution layer of the chapter's network, forward and
 * backward, in GFLOP/s of its products and as a share of that peak; then one
 * training epoch of the whole network, timed as tests/bench/conv_torch.py
 * times PyTorch's (the same network, initialisation, Adam step, batch 64,
 * the first 50,000 training images, no dropout), and the test accuracy after
 * it. A benchmark, not a test: it measures and asserts nothing. Threads:
 * OMP_NUM_THREADS. */
#include <stdio.h>
#include <stdlib.h>

#include "conv_layer.h"
#include "convnet.h"
#include "optimizer.h"
#include "peak.h"
#include "timer.h"

static const char LENET[] = "784,conv20k5,pool2,conv50k5,pool2,500,10";
enum { BATCH = 64, TRAIN_IMAGES = 50000 };

/* What the timings run: the network, a batch, the chapter's engine. */
typedef struct {
    Model *model;
    Matrix *X, *Y;
    ConvEngine engine;
    size_t layer;
} Bench;

static void forward_layer(void *ctx)
{
    Bench *b = ctx;
    const ModelOps *ops = b->engine.engine.train;
    const Matrix *input = b->layer == 0 ? b->X : b->model->layers[b->layer - 1].A;
    ops->forward(ops, b->model, b->layer, input);
}

static void backward_layer(void *ctx)
{
    Bench *b = ctx;
    const ModelOps *ops = b->engine.engine.train;
    size_t l = b->layer;
    const Matrix *input = l == 0 ? b->X : b->model->layers[l - 1].A;
    ops->backward(ops, b->model, l, input, l == 0 ? NULL : b->model->layers[l - 1].dA, NULL);
}

/* Each convolution layer's products, forward (Z = W·cols) and backward
 * (dW = dZ·colsᵀ, and dcols = Wᵀ·dZ but in the first layer), timed with
 * everything around them (im2col, pooling, col2im). */
static void bench_layers(Bench *b, double peak)
{
    printf("the convolution layers of %s, batch %d, GFLOP/s of their products:\n", LENET, BATCH);
    model_forward_with(b->model, b->X, b->engine.engine.train);
    for (size_t l = 0; l < b->model->count; l++) {
        const Layer *layer = &b->model->layers[l];
        if (layer->conv == NULL) continue;
        b->layer = l;
        /* multiply-adds of Z (F × OH·OW·m) = W (F × C·K·K) · cols: each of Z's F·OH·OW·m entries */
        double fma = (double)layer->W->cols * (double)layer->Z->rows * BATCH;
        double forward = 2 * fma * timer_rate(forward_layer, b) / 1e9;
        mat_fill(layer->dA, (real)1e-3);
        double backward = 2 * fma * (l == 0 ? 1 : 2) * timer_rate(backward_layer, b) / 1e9;
        char name[64];
        snprintf(name, sizeof name, "layer %zu, %zu filters of %zu×%zu×%zu", l + 1,
                 layer->conv->filters, layer->conv->in.channels, layer->conv->in.kernel,
                 layer->conv->in.kernel);
        printf("  %-34s forward %6.1f (%3.0f%% of the peak), backward %6.1f (%3.0f%%)\n", name,
               forward, 100 * forward / peak, backward, 100 * backward / peak);
    }
}

/* One epoch of Adam over the first TRAIN_IMAGES images: its seconds. */
static double train_epoch(Bench *b, const MnistSet *train, Rng *rng)
{
    Schedule constant = {SCHEDULE_CONSTANT, 0.001, 1, 0};
    Optimizer *adam = optimizer_new(b->model, OPTIMIZER_ADAM, constant, 0);
    ModelTrainer *t =
        model_trainer_new(b->model, train, b->engine.engine.train, optimizer_as_update(adam));
    EpochPlan plan = {epoch_order_new(TRAIN_IMAGES), TRAIN_IMAGES, BATCH, rng, 1, NULL};
    size_t correct = 0, bad = 0;
    double start = timer_seconds();
    double loss = epoch_run(&plan, 1, model_step, t, &correct, &bad);
    double seconds = timer_seconds() - start;
    if (bad != 0) printf("  (the epoch diverged at step %zu, loss %g)\n", bad, loss);
    free(plan.order);
    model_trainer_free(t);
    optimizer_free(adam);
    return seconds;
}

int main(void)
{
    MnistSet train, test;
    NnError err;
    ConvNetSpec spec;
    if (convnet_parse(LENET, &spec, &err) != 0 ||
        mnist_load_both(NN_SOURCE_DIR "/data", &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "bench-conv: %s\n", err.message);
        return 1;
    }
    double peak = peak_of_threads();
    Bench b = {.model = convnet_new(&spec, BATCH),
               .X = mat_new(MNIST_PIXELS, BATCH),
               .Y = mat_new(MNIST_CLASSES, BATCH)};
    conv_engine_init(&b.engine);
    Rng rng;
    rng_seed(&rng, 1);
    model_init_he(b.model, &rng);
    rng_fill_uniform(&rng, b.X, 0, 1);
    bench_layers(&b, peak);
    model_init_he(b.model, &rng);
    double seconds = train_epoch(&b, &train, &rng);
    Score score = model_evaluate(b.model, b.engine.engine.evaluate, &test, 0, test.count, b.X, b.Y,
                                 NULL, NULL);
    printf("  ours, %d thread(s): one epoch %.1f s, test accuracy %.2f%%\n", gemm_threads(),
           seconds, 100 * score.accuracy);
    model_free(b.model), mat_free(b.X), mat_free(b.Y);
    conv_engine_release(&b.engine);
    mnist_free(&train), mnist_free(&test);
    return 0;
}
