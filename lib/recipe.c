/* recipe.c: chapter 07's training run (recipe.h). */
#include "recipe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dropout.h"
#include "early_stop.h"
#include "fail.h"
#include "loss.h"
#include "model_sgd.h"
#include "progress.h"
#include "report.h"
#include "sgd.h"
#include "timer.h"

/* Everything a run needs, made once before the first step. */
typedef struct {
    const Recipe *recipe;
    Model *model;
    ModelTrainer *trainer; /* the batch matrices, and the optimizer as its update rule */
    Optimizer *optimizer;
    Dropout *dropout; /* NULL without dropout */
    EarlyStop stop;
    Rng rng;
    const MnistSet *train, *test;
    size_t train_count, val_count;
    size_t *order;
    StepReport steps; /* the step log and the progress bar */
} Run;

static const char *const optimizer_names[] = {"sgd", "momentum", "adam"};

void recipe_defaults(RecipeFlags *f, const char *log_path)
{
    *f = (RecipeFlags){.recipe = {.learning_rate = 0.001,
                                  .dropout = 0.2,
                                  .batch = 64,
                                  .epochs = 15,
                                  .seed = 1,
                                  .print_every = 1},
                       .layers = "784,256,128,10",
                       .init = "he",
                       .optimizer = "adam",
                       .schedule = "cosine",
                       .log_path = log_path,
                       .data_dir = NN_SOURCE_DIR "/data",
                       .curve = "auto"};
}

static void recipe_specs(RecipeFlags *f, ArgSpec *specs)
{
    Recipe *r = &f->recipe;
    const ArgSpec all[RECIPE_SPECS] = {
        {"layers", ARG_STRING, &f->layers, 0, 0, "layer sizes, input first, output last"},
        {"optimizer", ARG_STRING, &f->optimizer, 0, 0, "sgd, momentum or adam"},
        {"lr", ARG_DOUBLE, &r->learning_rate, 1e-6, 100, "learning rate α (at the start)"},
        {"schedule", ARG_STRING, &f->schedule, 0, 0, "constant, or cosine: α falls to 0"},
        {"weight-decay", ARG_DOUBLE, &r->weight_decay, 0, 1, "L2 weight decay λ (0: none)"},
        {"dropout", ARG_DOUBLE, &r->dropout, 0, 0.95, "probability of dropping a hidden unit"},
        {"patience", ARG_SIZE, &r->patience, 0, 100000,
         "stop after N epochs without a better validation loss, keep the best (0: never)"},
        {"init", ARG_STRING, &f->init, 0, 0, "he or uniform (the seed's, in (-0.5, 0.5))"},
        {"batch", ARG_SIZE, &r->batch, 1, 60000, "mini-batch size m"},
        {"epochs", ARG_SIZE, &r->epochs, 1, 100000, "passes over the training split, at most"},
        {"seed", ARG_SIZE, &r->seed, 0, 4e9, "random seed (initialisation, shuffling, dropout)"},
        {"print-every", ARG_SIZE, &r->print_every, 1, 100000, "print and log every Nth epoch"},
        {"log", ARG_STRING, &f->log_path, 0, 0, "the epoch log; steps go to <log>.steps.tsv"},
        {"curve", ARG_STRING, &f->curve, 0, 0,
         "auto (on a terminal), always or never: the ASCII loss curve"},
        {"data", ARG_STRING, &f->data_dir, 0, 0, "folder holding the MNIST files"},
    };
    memcpy(specs, all, sizeof all);
}

/* Turns the choices, as typed, into the recipe, or says which is wrong. */
static int recipe_check(RecipeFlags *f, NnError *err)
{
    NnError why;
    Recipe *r = &f->recipe;
    if (model_parse_sizes(f->layers, r->sizes, &r->size_count, &why) != 0)
        return nn_error(err, "--layers: %s", why.message);
    if (r->sizes[0] != 784 || r->sizes[r->size_count - 1] != 10)
        return nn_error(err, "--layers %s: the first size must be 784 (the pixels of an image) "
                             "and the last 10 (the digits)", f->layers);
    if (strcmp(f->init, "he") != 0 && strcmp(f->init, "uniform") != 0)
        return nn_error(err, "--init: \"%s\" is not an initialisation; use he or uniform", f->init);
    r->he_init = strcmp(f->init, "he") == 0;
    if (optimizer_parse(f->optimizer, &r->optimizer) != 0)
        return nn_error(err, "--optimizer: \"%s\" is not one; use sgd, momentum or adam",
                        f->optimizer);
    if (schedule_parse(f->schedule, &r->schedule) != 0)
        return nn_error(err, "--schedule: \"%s\" is not one; use constant or cosine", f->schedule);
    if (curve_parse(f->curve, &f->curve_when) != 0)
        return nn_error(err, "--curve: \"%s\" is not a choice; use auto, always or never", f->curve);
    return 0;
}

int recipe_parse(int argc, char **argv, RecipeFlags *f, const ArgSpec *extra, size_t n,
                 const char *about, NnError *err)
{
    enum { MOST_EXTRA = 8 };
    NN_REQUIRE(n <= MOST_EXTRA, "%zu extra flags", n);
    ArgSpec specs[RECIPE_SPECS + MOST_EXTRA];
    recipe_specs(f, specs);
    if (n > 0) memcpy(specs + RECIPE_SPECS, extra, n * sizeof *extra);
    int status = args_parse(argc, argv, specs, RECIPE_SPECS + n, about, err);
    if (status == ARGS_OK && recipe_check(f, err) != 0) status = ARGS_ERROR;
    return status;
}

void recipe_describe(const Recipe *r, char *out, size_t size)
{
    int n = snprintf(out, size, "%zu", r->sizes[0]);
    for (size_t i = 1; i < r->size_count && n >= 0 && (size_t)n < size; i++)
        n += snprintf(out + n, size - (size_t)n, "-%zu", r->sizes[i]);
    if (n < 0 || (size_t)n >= size) return;
    snprintf(out + n, size - (size_t)n,
             ", %s lr %g%s, batch %zu, %s init, decay %g, dropout %g, patience %zu, seed %zu",
             optimizer_names[r->optimizer], r->learning_rate,
             r->schedule == SCHEDULE_COSINE ? " cosine" : "", r->batch,
             r->he_init ? "he" : "uniform", r->weight_decay, r->dropout, r->patience, r->seed);
}

/* One step on examples index[0..m-1]: forward (with dropout's masks, if on),
 * loss, backward, and the optimizer's update. Returns the loss before it. */
static double step(Run *run, const size_t *index, size_t m, size_t *correct)
{
    ModelTrainer *t = run->trainer;
    mat_set_cols(t->X, m), mat_set_cols(t->Y, m);
    mnist_gather(t->X, t->Y, run->train, index, m); /* X (784×m), Y (10×m) */
    const Matrix *logits;
    if (run->dropout != NULL) {
        dropout_draw(run->dropout, &run->rng, m);
        logits = dropout_forward(run->dropout, run->model, t->X);
    } else {
        logits = model_forward(run->model, t->X);
    }
    double loss = cross_entropy(logits, t->Y);
    *correct += count_correct(logits, t->Y);
    if (run->dropout != NULL)
        dropout_backward(run->dropout, run->model, t->X, t->Y);
    else
        model_backward(run->model, t->X, t->Y);
    optimizer_update(run->optimizer, run->model);
    return loss;
}

/* One epoch in a new random order; the mean loss, or the first that diverged
 * (its step in *bad_step). */
static double epoch(Run *run, size_t e, size_t *correct, size_t *bad_step)
{
    size_t batch = run->recipe->batch, n = run->train_count;
    run->steps.epoch = e;
    progress_start(&run->steps.bar, e, run->recipe->epochs, (n + batch - 1) / batch);
    rng_shuffle(&run->rng, run->order, n);
    double total = 0;
    for (size_t first = 0, s = 1; first < n; first += batch, s++) {
        size_t m = n - first < batch ? n - first : batch;
        double loss = step(run, &run->order[first], m, correct);
        if (!isfinite(loss) || loss > SGD_DIVERGED_LOSS) {
            *bad_step = s;
            progress_finish(&run->steps.bar);
            return loss;
        }
        total += loss * (double)m;
        report_step(&run->steps, s, loss, first + m);
    }
    progress_finish(&run->steps.bar);
    run->steps.steps_before += run->steps.bar.total;
    return total / (double)n;
}

static Score measure(Run *run, const MnistSet *set, size_t first, size_t count)
{
    ModelTrainer *t = run->trainer;
    return model_evaluate(run->model, set, first, count, t->X, t->Y, NULL, NULL);
}

/* Measures the model after epoch e, prints and logs the line, and tells early
 * stopping. Returns true when training should stop. */
static int after_epoch(Run *run, size_t e, double loss, size_t correct, double seconds,
                       RecipeResult *result)
{
    const Recipe *r = run->recipe;
    int shown = e % r->print_every == 0 || e == r->epochs;
    if (!shown && r->patience == 0) return 0;
    Score val = measure(run, run->train, run->train_count, run->val_count);
    int stop = early_stop_update(&run->stop, run->model, e, val.loss);
    if (!shown && !stop) return 0;
    Score test = measure(run, run->test, 0, run->test->count);
    EpochRecord record = {e, loss, (double)correct / (double)run->train_count, val.loss,
                          val.accuracy, test.loss, test.accuracy, seconds};
    if (run->steps.log != NULL) trainlog_epoch(run->steps.log, &record);
    report_epoch(&record, run->stop.best_epoch == e ? "  *" : "");
    result->val = val, result->test = test, result->best_epoch = e;
    return stop;
}

static void setup(Run *run, const Recipe *r, const MnistSet *train, const MnistSet *test,
                  TrainLog *log)
{
    *run = (Run){.recipe = r, .train = train, .test = test, .steps = {.log = log}};
    run->val_count = validation_count(train->count);
    run->train_count = train->count - run->val_count;
    NN_REQUIRE(r->batch >= 1 && r->batch <= run->train_count, "batch %zu for %zu images",
               r->batch, run->train_count);
    rng_seed(&run->rng, r->seed);
    run->model = model_new(r->sizes, r->size_count, r->batch);
    if (r->he_init)
        model_init_he(run->model, &run->rng);
    else
        model_init_uniform(run->model, &run->rng);
    size_t steps = (run->train_count + r->batch - 1) / r->batch * r->epochs;
    Schedule schedule = {r->schedule, r->learning_rate, steps};
    run->optimizer = optimizer_new(run->model, r->optimizer, schedule, r->weight_decay);
    run->trainer = model_trainer_new(run->model, optimizer_update, run->optimizer);
    run->dropout = r->dropout > 0 ? dropout_new(run->model, 1 - r->dropout) : NULL;
    early_stop_init(&run->stop, run->model, r->patience);
    run->order = nn_alloc(run->train_count, sizeof *run->order, "the shuffled order");
    for (size_t i = 0; i < run->train_count; i++) run->order[i] = i;
}

static void teardown(Run *run)
{
    model_trainer_free(run->trainer);
    optimizer_free(run->optimizer);
    dropout_free(run->dropout);
    early_stop_release(&run->stop);
    free(run->order);
}

/* The model to hand back: the best by validation when early stopping is on
 * or the loss diverged, else the last; NULL when there is no good one. */
static Model *result_model(Run *run, RecipeResult *result)
{
    int diverged = result->bad_step != 0;
    if ((diverged || run->recipe->patience > 0) && run->stop.best_epoch == 0) {
        model_free(run->model);
        return NULL;
    }
    if (diverged || run->recipe->patience > 0) {
        early_stop_restore(&run->stop, run->model);
        result->best_epoch = run->stop.best_epoch;
        result->val = measure(run, run->train, run->train_count, run->val_count);
        result->test = measure(run, run->test, 0, run->test->count);
    }
    return run->model;
}

Model *recipe_train(const Recipe *recipe, const MnistSet *train, const MnistSet *test,
                    TrainLog *log, RecipeResult *result)
{
    Run run;
    setup(&run, recipe, train, test, log);
    *result = (RecipeResult){0};
    double start = timer_seconds();
    for (size_t e = 1; e <= recipe->epochs; e++) {
        size_t correct = 0, bad_step = 0;
        double loss = epoch(&run, e, &correct, &bad_step);
        result->epochs_run = e;
        result->seconds = timer_seconds() - start;
        if (bad_step != 0) {
            result->bad_step = bad_step, result->bad_epoch = e, result->bad_loss = loss;
            break;
        }
        if (after_epoch(&run, e, loss, correct, result->seconds, result)) break;
    }
    Model *model = result_model(&run, result);
    teardown(&run);
    return model;
}

static void print_final(const Recipe *r, const RecipeResult *res, const char *log_path,
                        size_t test_count)
{
    if (r->patience > 0)
        printf("kept: the model of epoch %zu, the best validation loss\n", res->best_epoch);
    report_final(res->test.accuracy, test_count, res->epochs_run, res->seconds, log_path);
}

Model *recipe_run(const Recipe *recipe, const MnistSet *train, const MnistSet *test,
                  const RunOptions *o, RecipeResult *res)
{
    Recipe r = *recipe;
    size_t trained_on = train->count - validation_count(train->count);
    if (r.batch > trained_on) r.batch = trained_on;
    char described[512], title[600];
    recipe_describe(&r, described, sizeof described);
    snprintf(title, sizeof title, "ch%.2s %s (%s)", o->title + strlen("Chapter "), described,
             REAL_NAME); /* "ch07 784-256-128-10, ...": the plots' titles */
    TrainLog log;
    NnError err;
    if (trainlog_open(&log, o->log_path, title, &err) != 0) {
        fprintf(stderr, "%s: %s\n", o->program, err.message);
        return NULL;
    }
    printf("%s: training %s (%s)\n", o->title, described, REAL_NAME);
    report_header();
    Model *model = recipe_train(&r, train, test, &log, res);
    int failed = trainlog_close(&log, o->log_path, &err) != 0;
    if (!failed && model != NULL && res->bad_step == 0)
        failed = model_inspect(model, test, o->log_path, &err) != 0;
    if (failed) fprintf(stderr, "%s: %s\n", o->program, err.message);
    if (res->bad_step != 0)
        report_diverged(o->program, res->bad_loss, res->bad_step, res->bad_epoch, r.learning_rate);
    if (failed || res->bad_step != 0) {
        model_free(model);
        return NULL;
    }
    curve_show(o->log_path, o->curve);
    print_final(&r, res, o->log_path, test->count);
    return model;
}
