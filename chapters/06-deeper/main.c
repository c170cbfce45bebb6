/* Chapter 06: networks of any depth.
 *
 * Trains a network described on the command line, `--layers 784,256,128,10`:
 * a list of dense layers, ReLU between them, softmax with cross-entropy on
 * top, with chapter 05's mini-batch SGD. The forward pass is one loop over the
 * layers and the backward pass one loop back. `--layers 784,128,10` is chapter
 * 05's network, and trains to the same numbers.
 * Build and run: make ch06 && ./build/ch06-deeper        (--help lists the flags) */
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "curve.h"
#include "dense.h"
#include "epoch.h"
#include "model.h"
#include "model_sgd.h"
#include "report.h"
#include "timer.h"
#include "trainlog.h"

typedef struct {
    size_t sizes[MODEL_MAX_SIZES], size_count;
    size_t batch, epochs, seed, print_every;
    double learning_rate;
    ArgChoice init, curve; /* InitKind, CurveWhen */
    const char *layers, *log_path, *data_dir;
} Config;

static int check_choices(Config *c, NnError *err)
{
    NnError why;
    if (model_parse_sizes(c->layers, c->sizes, &c->size_count, &why) != 0)
        return nn_error(err, "--layers: %s", why.message);
    return 0;
}

static int parse_flags(int argc, char **argv, Config *c)
{
    const ArgSpec specs[] = {
        {"layers", ARG_STRING, &c->layers, 0, 0, "layer sizes, input first, output last"},
        {"lr", ARG_DOUBLE, &c->learning_rate, 1e-6, 100, "learning rate α"},
        {"batch", ARG_SIZE, &c->batch, 1, 60000, "mini-batch size m"},
        {"epochs", ARG_SIZE, &c->epochs, 1, 100000, "passes over the training split"},
        {"seed", ARG_SIZE, &c->seed, 0, 4e9, "random seed (initialisation, shuffling)"},
        {"init", ARG_CHOICE, &c->init, 0, 0, "how the weights start (uniform: the notebook's)"},
        {"print-every", ARG_SIZE, &c->print_every, 1, 100000,
         "evaluate, log and print every Nth epoch"},
        {"log", ARG_STRING, &c->log_path, 0, 0, "the epoch log; steps go to <log>.steps.tsv"},
        {"curve", ARG_CHOICE, &c->curve, 0, 0,
         "the ASCII loss curve at the end (auto: on a terminal)"},
        {"data", ARG_STRING, &c->data_dir, 0, 0, "folder holding the MNIST files"},
    };
    NnError err;
    int status = args_parse(argc, argv, specs, sizeof specs / sizeof specs[0],
                            "Trains a network of any depth on MNIST with mini-batch SGD.", &err);
    if (status == ARGS_OK && check_choices(c, &err) != 0) status = ARGS_ERROR;
    if (status == ARGS_ERROR) fprintf(stderr, "ch06-deeper: %s\n", err.message);
    return status;
}

typedef struct {
    Model *model;
    ModelTrainer *trainer;
    real learning_rate;
    MnistSet train, test;
    size_t *order; /* the training split's indices, shuffled each epoch */
    size_t train_count, val_count;
    TrainLog log;
} Run;

/* The layers, one line each: what the lesson's table shows. */
static void print_layers(const Model *model)
{
    for (size_t l = 0; l < model->count; l++) {
        const Layer *layer = &model->layers[l];
        printf("  layer %zu: %4zu -> %-4zu %-6s W (%zu×%zu), b (%zu×1)\n", l + 1, layer->inputs,
               layer->units, layer->activation == LAYER_RELU ? "ReLU" : "logits", layer->units,
               layer->inputs, layer->units);
    }
}

static void print_header(const Config *c, const Run *r)
{
    char sizes[256];
    model_describe(r->model, sizes, sizeof sizes);
    printf("Chapter 06: training %s, %zu layer%s, %zu parameters (%s)\n", sizes, r->model->count,
           r->model->count == 1 ? "" : "s", model_parameter_count(r->model), REAL_NAME);
    print_layers(r->model);
    printf("data: %zu training images (%zu to train on, the last %zu to validate), %zu test "
           "images\n",
           r->train.count, r->train_count, r->val_count, r->test.count);
    printf("settings: learning rate %g, batch %zu, epochs %zu, init %s, seed %zu\n",
           c->learning_rate, c->batch, c->epochs, INIT_NAMES[c->init.index], c->seed);
    report_header();
    fflush(stdout); /* before any message on stderr */
}

static void measure_epoch(Run *r, size_t epoch, double loss, size_t correct, double seconds,
                          EpochRecord *record)
{
    ModelTrainer *t = r->trainer;
    Score val = model_evaluate(r->model, &MODEL_LOOPS, &r->train, r->train_count, r->val_count,
                               t->X, t->Y, NULL, NULL);
    Score test =
        model_evaluate(r->model, &MODEL_LOOPS, &r->test, 0, r->test.count, t->X, t->Y, NULL, NULL);
    *record = (EpochRecord){epoch,         loss,         (double)correct / (double)r->train_count,
                            val.loss,      val.accuracy, test.loss,
                            test.accuracy, seconds};
    trainlog_epoch(&r->log, record);
    report_epoch(record, "");
}

/* Trains for c->epochs epochs; returns 0, or -1 if the loss diverged. */
static int train(const Config *c, Run *r, Rng *rng, EpochRecord *last)
{
    StepReport steps = {.log = &r->log};
    EpochPlan plan = {r->order, r->train_count, c->batch, rng, c->epochs, &steps};
    double start = timer_seconds();
    for (size_t epoch = 1; epoch <= c->epochs; epoch++) {
        size_t correct = 0, bad_step = 0;
        double loss = epoch_run(&plan, epoch, model_step, r->trainer, &correct, &bad_step);
        if (bad_step != 0) {
            report_diverged("ch06-deeper", loss, bad_step, epoch, c->learning_rate);
            return -1;
        }
        if (epoch % c->print_every != 0 && epoch != c->epochs) continue;
        measure_epoch(r, epoch, loss, correct, timer_seconds() - start, last);
    }
    return 0;
}

/* The model the flags describe, its parameters drawn from rng. */
static int make_model(Config *c, Run *r, Rng *rng, NnError *err)
{
    size_t pixels = r->train.rows * r->train.cols;
    if (c->sizes[0] != pixels || c->sizes[c->size_count - 1] != MNIST_CLASSES)
        return nn_error(err,
                        "--layers %s: the first size must be %zu (the pixels of an image) and "
                        "the last 10 (the digits)",
                        c->layers, pixels);
    if (c->batch > r->train_count) c->batch = r->train_count;
    rng_seed(rng, c->seed);
    r->model = model_new(c->sizes, c->size_count, c->batch);
    model_init(r->model, (InitKind)c->init.index, rng);
    r->learning_rate = (real)c->learning_rate;
    r->trainer = model_trainer_new(r->model, &r->train, &MODEL_LOOPS, model_sgd(&r->learning_rate));
    return 0;
}

static int setup(Config *c, Run *r, Rng *rng)
{
    NnError err;
    if (mnist_load_both(c->data_dir, &r->train, &r->test, NULL, &err) != 0) goto fail;
    r->val_count = validation_count(r->train.count); /* the last 10,000 images */
    r->train_count = r->train.count - r->val_count;
    if (make_model(c, r, rng, &err) != 0) goto fail;
    char run[512], sizes[256];
    model_describe(r->model, sizes, sizeof sizes);
    snprintf(run, sizeof run, "ch06 %s, batch %zu, lr %g, %s init, seed %zu (%s)", sizes, c->batch,
             c->learning_rate, INIT_NAMES[c->init.index], c->seed, REAL_NAME);
    if (trainlog_open(&r->log, c->log_path, run, &err) != 0) goto fail;
    r->order = epoch_order_new(r->train_count);
    return 0;
fail:
    fprintf(stderr, "ch06-deeper: %s\n", err.message);
    return -1;
}

static void teardown(Run *r)
{
    model_trainer_free(r->trainer);
    model_free(r->model);
    free(r->order);
    mnist_free(&r->train);
    mnist_free(&r->test);
}

int main(int argc, char **argv)
{
    Config c = {.layers = "784,256,128,10",
                .batch = 32,
                .epochs = 10,
                .seed = 1,
                .print_every = 1,
                .learning_rate = 0.1,
                .init = {INIT_NAMES, INIT_HE},
                .log_path = "build/logs/ch06.tsv",
                .data_dir = "data",
                .curve = {CURVE_NAMES, CURVE_AUTO}};
    int status = parse_flags(argc, argv, &c);
    if (status != ARGS_OK) return status == ARGS_HELP ? 0 : 2;
    Run r = {0};
    Rng rng;
    if (setup(&c, &r, &rng) != 0) {
        teardown(&r);
        return 1;
    }
    print_header(&c, &r);
    EpochRecord last = {0};
    int trained = train(&c, &r, &rng, &last);
    NnError err;
    int logged = trainlog_close(&r.log, &err);
    if (logged != 0) fprintf(stderr, "ch06-deeper: %s\n", err.message);
    if (trained == 0 && logged == 0 &&
        model_inspect(r.model, &MODEL_LOOPS, &r.test, c.log_path, &err) != 0) {
        fprintf(stderr, "ch06-deeper: %s\n", err.message);
        logged = -1;
    }
    if (trained == 0 && logged == 0) curve_show(c.log_path, (CurveWhen)c.curve.index);
    if (trained == 0)
        report_final(last.test_accuracy, r.test.count, c.epochs, last.seconds, c.log_path);
    teardown(&r);
    return trained == 0 && logged == 0 ? 0 : 1;
}
