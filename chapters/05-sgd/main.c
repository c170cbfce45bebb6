/* Chapter 05: training with mini-batch stochastic gradient descent.
 *
 * Trains the 784-h-10 network on MNIST: shuffles the training images each
 * epoch, steps through them a mini-batch at a time, and after every epoch
 * measures the loss and accuracy on the training images, on a held-out
 * validation split (the last 10,000 training images) and on the test set.
 * Writes a tab-separated log the plots read.
 * Build and run: make ch05 && ./build/ch05-sgd        (--help lists the flags)
 * `--preset original` reproduces the notebook. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "epoch.h"
#include "curve.h"
#include "dense.h"
#include "evaluate.h"
#include "inspect.h"
#include "mnist.h"
#include "net.h"
#include "report.h"
#include "rng.h"
#include "sgd.h"
#include "timer.h"
#include "trainlog.h"

typedef struct {
    size_t hidden, batch, epochs, seed, print_every;
    double learning_rate;
    ArgChoice init, preset, curve; /* InitKind, Preset, CurveWhen */
    const char *log_path, *data_dir;
} Config;

typedef enum { PRESET_NONE, PRESET_ORIGINAL } Preset;
static const char *const PRESET_NAMES[] = {"none", "original", NULL};

/* The notebook: 784-10-10, full-batch gradient descent (one batch holding
 * the whole training split), learning rate 0.1, 500 iterations, parameters
 * uniform in (-0.5, 0.5). */
static void apply_original_preset(Config *c)
{
    c->hidden = 10;
    c->batch = SIZE_MAX; /* the whole training split: setup cuts it to that */
    c->epochs = 500;
    c->learning_rate = 0.1;
    c->init.index = INIT_UNIFORM;
    c->print_every = 50;
}

static int parse_flags(int argc, char **argv, Config *c)
{
    const ArgSpec specs[] = {
        {"hidden", ARG_SIZE, &c->hidden, 1, 4096, "hidden units h"},
        {"lr", ARG_DOUBLE, &c->learning_rate, 1e-6, 100, "learning rate α"},
        {"batch", ARG_SIZE, &c->batch, 1, 60000, "mini-batch size m"},
        {"epochs", ARG_SIZE, &c->epochs, 1, 100000, "passes over the training split"},
        {"seed", ARG_SIZE, &c->seed, 0, 4e9, "random seed (initialisation, shuffling)"},
        {"init", ARG_CHOICE, &c->init, 0, 0, "how the weights start (uniform: the notebook's)"},
        {"preset", ARG_CHOICE, &c->preset, 0, 0, "settings by name (original: the notebook's)"},
        {"print-every", ARG_SIZE, &c->print_every, 1, 100000,
         "evaluate, log and print every Nth epoch"},
        {"log", ARG_STRING, &c->log_path, 0, 0, "the epoch log; steps go to <log>.steps.tsv"},
        {"curve", ARG_CHOICE, &c->curve, 0, 0,
         "the ASCII loss curve at the end (auto: on a terminal)"},
        {"data", ARG_STRING, &c->data_dir, 0, 0, "folder holding the MNIST files"},
    };
    NnError err;
    int status = args_parse(argc, argv, specs, sizeof specs / sizeof specs[0],
                            "Trains the 784-h-10 network on MNIST with mini-batch SGD.", &err);
    if (status == ARGS_ERROR) fprintf(stderr, "ch05-sgd: %s\n", err.message);
    return status;
}

typedef struct {
    Net *net;
    Trainer *trainer;
    MnistSet train, test;
    size_t *order; /* the training split's indices, shuffled each epoch */
    size_t train_count, val_count;
    TrainLog log;
} Run;

static void print_header(const Config *c, const Run *r)
{
    printf("Chapter 05: training 784-%zu-10 with %s (%s)\n", c->hidden,
           c->batch < r->train_count ? "mini-batch SGD" : "full-batch gradient descent", REAL_NAME);
    printf("data: %zu training images (%zu to train on, the last %zu to validate), %zu test "
           "images\n",
           r->train.count, r->train_count, r->val_count, r->test.count);
    printf("settings: hidden %zu, learning rate %g, batch %zu, epochs %zu, init %s, seed %zu\n",
           c->hidden, c->learning_rate, c->batch, c->epochs, INIT_NAMES[c->init.index], c->seed);
    report_header();
    fflush(stdout); /* before any message on stderr */
}

/* Measures the network on the validation split and the test set after an
 * epoch whose mean training loss and right guesses are given; logs and prints it. */
static void measure_epoch(Run *r, size_t epoch, double loss, size_t correct, double seconds,
                          EpochRecord *record)
{
    Trainer *t = r->trainer;
    Score val = evaluate(r->net, &r->train, r->train_count, r->val_count, t->X, t->Y, t->f);
    Score test = evaluate(r->net, &r->test, 0, r->test.count, t->X, t->Y, t->f);
    *record = (EpochRecord){.epoch = epoch,
                            .train_loss = loss,
                            .train_accuracy = (double)correct / (double)r->train_count,
                            .val_loss = val.loss,
                            .val_accuracy = val.accuracy,
                            .test_loss = test.loss,
                            .test_accuracy = test.accuracy,
                            .seconds = seconds};
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
        double loss = epoch_run(&plan, epoch, sgd_step, r->trainer, &correct, &bad_step);
        if (bad_step != 0) {
            report_diverged("ch05-sgd", loss, bad_step, epoch, c->learning_rate);
            return -1;
        }
        if (epoch % c->print_every != 0 && epoch != c->epochs) continue;
        measure_epoch(r, epoch, loss, correct, timer_seconds() - start, last);
    }
    return 0;
}

static int setup(Config *c, Run *r, Rng *rng)
{
    NnError err;
    if (mnist_load_both(c->data_dir, &r->train, &r->test, NULL, &err) != 0) {
        fprintf(stderr, "ch05-sgd: %s\n", err.message);
        return -1;
    }
    r->val_count = validation_count(r->train.count); /* the last 10,000 images */
    r->train_count = r->train.count - r->val_count;
    if (c->batch > r->train_count) c->batch = r->train_count;
    char run[256];
    snprintf(run, sizeof run, "ch05 784-%zu-10, batch %zu, lr %g, %s init, seed %zu (%s)",
             c->hidden, c->batch, c->learning_rate, INIT_NAMES[c->init.index], c->seed, REAL_NAME);
    if (trainlog_open(&r->log, c->log_path, run, &err) != 0) {
        fprintf(stderr, "ch05-sgd: %s\n", err.message);
        return -1;
    }
    rng_seed(rng, c->seed);
    r->net = net_new(r->train.rows * r->train.cols, c->hidden, MNIST_CLASSES);
    if (c->init.index == INIT_HE)
        net_init_he(r->net, rng);
    else
        net_init_uniform(r->net, rng);
    r->trainer = trainer_new(r->net, &r->train, c->batch, (real)c->learning_rate);
    r->order = epoch_order_new(r->train_count);
    return 0;
}

/* Shows the trained network the test set and writes what the pictures of it
 * need next to the log (inspect.h). */
static int inspect_test_set(const Config *c, Run *r)
{
    Inspection in = {0};
    Trainer *t = r->trainer;
    evaluate_observed(r->net, &r->test, 0, r->test.count, t->X, t->Y, t->f, inspect_batch, &in);
    NnError err;
    if (inspect_write(&in, r->net->W1, &r->test, c->log_path, &err) == 0) return 0;
    fprintf(stderr, "ch05-sgd: %s\n", err.message);
    return -1;
}

static void teardown(Run *r)
{
    net_free(r->net);
    trainer_free(r->trainer);
    free(r->order);
    mnist_free(&r->train);
    mnist_free(&r->test);
}

int main(int argc, char **argv)
{
    Config c = {.hidden = 128,
                .batch = 32,
                .epochs = 10,
                .seed = 1,
                .print_every = 1,
                .learning_rate = 0.2,
                .init = {INIT_NAMES, INIT_HE},
                .preset = {PRESET_NAMES, PRESET_NONE},
                .log_path = "build/logs/ch05.tsv",
                .data_dir = "data",
                .curve = {CURVE_NAMES, CURVE_AUTO}};
    int status = parse_flags(argc, argv, &c);
    if (status == ARGS_OK && c.preset.index == PRESET_ORIGINAL) {
        apply_original_preset(&c);
        status = parse_flags(argc, argv, &c); /* the flags given win over the preset's */
    }
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
    if (logged != 0) fprintf(stderr, "ch05-sgd: %s\n", err.message);
    if (trained == 0 && logged == 0) logged = inspect_test_set(&c, &r);
    if (trained == 0 && logged == 0) curve_show(c.log_path, (CurveWhen)c.curve.index);
    if (trained == 0)
        report_final(last.test_accuracy, r.test.count, c.epochs, last.seconds, c.log_path);
    teardown(&r);
    return trained == 0 && logged == 0 ? 0 : 1;
}
