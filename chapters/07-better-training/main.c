/* Chapter 07: better training.
 *
 * Trains a network of any depth with the techniques that lift it past 98%,
 * each behind one flag, so that each can be measured alone: He initialisation
 * (--init), momentum and Adam (--optimizer), L2 weight decay (--weight-decay),
 * dropout (--dropout), a cosine learning-rate schedule (--schedule), and early
 * stopping on the validation split, keeping the best model (--patience).
 * The defaults are the chapter's recipe.
 * Build and run: make ch07 && ./build/ch07-better-training    (--help lists the flags) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "curve.h"
#include "inspect.h"
#include "model_sgd.h"
#include "recipe.h"

typedef struct {
    Recipe recipe;
    const char *layers, *init, *optimizer, *schedule, *log_path, *data_dir, *curve;
    CurveWhen curve_when;
} Config;

/* The flags that name a choice, checked after parsing. */
static int check_choices(Config *c, NnError *err)
{
    NnError why;
    Recipe *r = &c->recipe;
    if (model_parse_sizes(c->layers, r->sizes, &r->size_count, &why) != 0)
        return nn_error(err, "--layers: %s", why.message);
    if (strcmp(c->init, "he") != 0 && strcmp(c->init, "uniform") != 0)
        return nn_error(err, "--init: \"%s\" is not an initialisation; use he or uniform", c->init);
    r->he_init = strcmp(c->init, "he") == 0;
    if (optimizer_parse(c->optimizer, &r->optimizer) != 0)
        return nn_error(err, "--optimizer: \"%s\" is not one; use sgd, momentum or adam",
                        c->optimizer);
    if (schedule_parse(c->schedule, &r->schedule) != 0)
        return nn_error(err, "--schedule: \"%s\" is not one; use constant or cosine", c->schedule);
    if (curve_parse(c->curve, &c->curve_when) != 0)
        return nn_error(err, "--curve: \"%s\" is not a choice; use auto, always or never", c->curve);
    return 0;
}

static int parse_flags(int argc, char **argv, Config *c)
{
    Recipe *r = &c->recipe;
    const ArgSpec specs[] = {
        {"layers", ARG_STRING, &c->layers, 0, 0, "layer sizes, input first, output last"},
        {"optimizer", ARG_STRING, &c->optimizer, 0, 0, "sgd, momentum or adam"},
        {"lr", ARG_DOUBLE, &r->learning_rate, 1e-6, 100, "learning rate α (at the start)"},
        {"schedule", ARG_STRING, &c->schedule, 0, 0, "constant, or cosine: α falls to 0"},
        {"weight-decay", ARG_DOUBLE, &r->weight_decay, 0, 1, "L2 weight decay λ (0: none)"},
        {"dropout", ARG_DOUBLE, &r->dropout, 0, 0.95, "probability of dropping a hidden unit"},
        {"patience", ARG_SIZE, &r->patience, 0, 100000,
         "stop after N epochs without a better validation loss, keep the best (0: never)"},
        {"init", ARG_STRING, &c->init, 0, 0, "he or uniform (the seed's, in (-0.5, 0.5))"},
        {"batch", ARG_SIZE, &r->batch, 1, 60000, "mini-batch size m"},
        {"epochs", ARG_SIZE, &r->epochs, 1, 100000, "passes over the training split, at most"},
        {"seed", ARG_SIZE, &r->seed, 0, 4e9, "random seed (initialisation, shuffling, dropout)"},
        {"print-every", ARG_SIZE, &r->print_every, 1, 100000, "print and log every Nth epoch"},
        {"log", ARG_STRING, &c->log_path, 0, 0, "the epoch log; steps go to <log>.steps.tsv"},
        {"curve", ARG_STRING, &c->curve, 0, 0,
         "auto (on a terminal), always or never: the ASCII loss curve"},
        {"data", ARG_STRING, &c->data_dir, 0, 0, "folder holding the MNIST files"},
    };
    NnError err;
    int status = args_parse(argc, argv, specs, sizeof specs / sizeof specs[0],
                            "Trains a network on MNIST with chapter 07's techniques.", &err);
    if (status == ARGS_OK && check_choices(c, &err) != 0) status = ARGS_ERROR;
    if (status == ARGS_ERROR) fprintf(stderr, "ch07-better-training: %s\n", err.message);
    return status;
}

/* Shows the trained model the test set and writes what the pictures need. */
static int inspect_test_set(Model *model, const MnistSet *test, const char *log_path)
{
    Inspection in = {0};
    Matrix *X = mat_new(model_inputs(model), model->batch);
    Matrix *Y = mat_new(model_outputs(model), model->batch);
    model_evaluate(model, test, 0, test->count, X, Y, inspect_batch, &in);
    mat_free(X), mat_free(Y);
    NnError err;
    if (inspect_write(&in, model->layers[0].W, test, log_path, &err) == 0) return 0;
    fprintf(stderr, "ch07-better-training: %s\n", err.message);
    return -1;
}

static void print_result(const Config *c, const RecipeResult *res, size_t test_count)
{
    if (c->recipe.patience > 0)
        printf("kept: the model of epoch %zu, the best validation loss\n", res->best_epoch);
    printf("final: test accuracy %.2f%% (%zu of %zu) after %zu epoch%s in %.1f s\nlog: %s\n",
           100 * res->test.accuracy, (size_t)lround(res->test.accuracy * (double)test_count),
           test_count, res->epochs_run, res->epochs_run == 1 ? "" : "s", res->seconds,
           args_shown_path(c->log_path));
}

/* Trains by the recipe, logging to c->log_path; returns the exit status. */
static int run(Config *c, const MnistSet *train, const MnistSet *test)
{
    Recipe *r = &c->recipe;
    size_t pixels = train->rows * train->cols, held_out = train->count >= 40000 ? 10000 : train->count / 4;
    if (r->sizes[0] != pixels || r->sizes[r->size_count - 1] != 10) {
        fprintf(stderr, "ch07-better-training: --layers %s: the first size must be %zu (the "
                        "pixels of an image) and the last 10 (the digits)\n", c->layers, pixels);
        return 1;
    }
    if (r->batch > train->count - held_out) r->batch = train->count - held_out;
    char described[512], title[600];
    recipe_describe(r, described, sizeof described);
    snprintf(title, sizeof title, "ch07 %s (%s)", described, REAL_NAME);
    TrainLog log;
    NnError err;
    if (trainlog_open(&log, c->log_path, title, &err) != 0) {
        fprintf(stderr, "ch07-better-training: %s\n", err.message);
        return 1;
    }
    printf("Chapter 07: training %s (%s)\n", described, REAL_NAME);
    printf("epoch  train loss  train acc  val loss  val acc  test acc     time\n");
    RecipeResult res;
    Model *model = recipe_train(r, train, test, &log, &res);
    int logged = trainlog_close(&log, c->log_path, &err);
    if (logged != 0) fprintf(stderr, "ch07-better-training: %s\n", err.message);
    if (res.bad_step != 0)
        fprintf(stderr,
                "ch07-better-training: the loss became %g at step %zu of epoch %zu: training "
                "diverged.\nTry a smaller learning rate (--lr %g).\n",
                res.bad_loss, res.bad_step, res.bad_epoch, r->learning_rate / 10);
    if (model != NULL && res.bad_step == 0 && logged == 0) {
        logged = inspect_test_set(model, test, c->log_path);
        if (logged == 0) curve_show(c->log_path, c->curve_when);
        print_result(c, &res, test->count);
    }
    model_free(model);
    return res.bad_step == 0 && logged == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    Config c = {.recipe = {.learning_rate = 0.001,
                           .weight_decay = 0,
                           .dropout = 0.2,
                           .batch = 64,
                           .epochs = 15,
                           .seed = 1,
                           .patience = 0,
                           .print_every = 1},
                .layers = "784,256,128,10",
                .init = "he",
                .optimizer = "adam",
                .schedule = "cosine",
                .log_path = NN_SOURCE_DIR "/build/logs/ch07.tsv",
                .data_dir = NN_SOURCE_DIR "/data",
                .curve = "auto"};
    int status = parse_flags(argc, argv, &c);
    if (status != ARGS_OK) return status == ARGS_HELP ? 0 : 2;
    MnistSet train, test;
    NnError err;
    if (mnist_load_both(c.data_dir, &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "ch07-better-training: %s\n", err.message);
        return 1;
    }
    status = run(&c, &train, &test);
    mnist_free(&train), mnist_free(&test);
    return status;
}
