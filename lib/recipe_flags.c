/* recipe_flags.c: parsing and describing the recipe's flags (recipe_flags.h). */
#include "recipe_flags.h"

#include <stdio.h>
#include <string.h>

#include "dense.h"
#include "fail.h"

void recipe_defaults(RecipeFlags *f, const char *log_path)
{
    *f = (RecipeFlags){.recipe = {.learning_rate = 0.001,
                                  .dropout = 0.2,
                                  .batch = 64,
                                  .epochs = 15,
                                  .seed = 1,
                                  .print_every = 1},
                       .layers = "784,256,128,10",
                       .init = {INIT_NAMES, INIT_HE},
                       .optimizer = {OPTIMIZER_NAMES, OPTIMIZER_ADAM},
                       .schedule = {SCHEDULE_NAMES, SCHEDULE_COSINE},
                       .log_path = log_path,
                       .data_dir = "data",
                       .curve = {CURVE_NAMES, CURVE_AUTO}};
}

static void recipe_specs(RecipeFlags *f, ArgSpec *specs)
{
    Recipe *r = &f->recipe;
    const ArgSpec all[RECIPE_SPECS] = {
        {"layers", ARG_STRING, &f->layers, 0, 0, "layer sizes, input first, output last"},
        {"optimizer", ARG_CHOICE, &f->optimizer, 0, 0, "the update rule"},
        {"lr", ARG_DOUBLE, &r->learning_rate, 1e-6, 100, "learning rate α (at the start)"},
        {"schedule", ARG_CHOICE, &f->schedule, 0, 0,
         "how α changes over the run (cosine: down to 0)"},
        {"weight-decay", ARG_DOUBLE, &r->weight_decay, 0, 1, "L2 weight decay λ (0: none)"},
        {"dropout", ARG_DOUBLE, &r->dropout, 0, 0.95, "probability of dropping a hidden unit"},
        {"patience", ARG_SIZE, &r->patience, 0, 100000,
         "stop after N epochs without a better validation loss, keep the best (0: never)"},
        {"init", ARG_CHOICE, &f->init, 0, 0, "how the weights start (uniform: the notebook's)"},
        {"batch", ARG_SIZE, &r->batch, 1, 60000, "mini-batch size m"},
        {"epochs", ARG_SIZE, &r->epochs, 1, 100000, "passes over the training split, at most"},
        {"seed", ARG_SIZE, &r->seed, 0, 4e9, "random seed (initialisation, shuffling, dropout)"},
        {"print-every", ARG_SIZE, &r->print_every, 1, 100000, "print and log every Nth epoch"},
        {"log", ARG_STRING, &f->log_path, 0, 0, "the epoch log; steps go to <log>.steps.tsv"},
        {"curve", ARG_CHOICE, &f->curve, 0, 0,
         "the ASCII loss curve at the end (auto: on a terminal)"},
        {"data", ARG_STRING, &f->data_dir, 0, 0, "folder holding the MNIST files"},
    };
    memcpy(specs, all, sizeof all);
}

/* Turns the flags into the recipe, or says what is wrong with the layers. */
static int recipe_check(RecipeFlags *f, NnError *err)
{
    NnError why;
    Recipe *r = &f->recipe;
    r->layers = f->layers, r->maker = f->maker;
    if ((f->maker != NULL ? f->maker->parse(f->layers, r->sizes, &r->size_count, &why)
                          : model_parse_sizes(f->layers, r->sizes, &r->size_count, &why)) != 0)
        return nn_error(err, "--layers: %s", why.message);
    if (r->sizes[0] != MNIST_PIXELS || r->sizes[r->size_count - 1] != MNIST_CLASSES)
        return nn_error(err,
                        "--layers %s: the first size must be %d (the pixels of an image) "
                        "and the last %d (the digits)",
                        f->layers, MNIST_PIXELS, MNIST_CLASSES);
    r->init = (InitKind)f->init.index;
    r->optimizer = (OptimizerKind)f->optimizer.index;
    r->schedule = (ScheduleKind)f->schedule.index;
    f->curve_when = (CurveWhen)f->curve.index;
    if (r->warmup > 0 && r->warmup >= r->epochs)
        return nn_error(err,
                        "--warmup %zu: the warm-up must end before the last epoch (--epochs %zu)",
                        r->warmup, r->epochs);
    const Parallel *p = r->parallel; /* chapter 11: what its processes cannot share */
    return p != NULL && p->refuses != NULL ? p->refuses(p, r, err) : 0;
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
    int n = r->maker != NULL ? snprintf(out, size, "%s", r->layers)
                             : snprintf(out, size, "%zu", r->sizes[0]);
    for (size_t i = 1; r->maker == NULL && i < r->size_count && n >= 0 && (size_t)n < size; i++)
        n += snprintf(out + n, size - (size_t)n, "-%zu", r->sizes[i]);
    if (n < 0 || (size_t)n >= size) return;
    char warmup[48] = "";
    if (r->warmup > 0)
        snprintf(warmup, sizeof warmup, " warmed up over %zu epoch%s", r->warmup,
                 r->warmup == 1 ? "" : "s");
    snprintf(out + n, size - (size_t)n,
             ", %s lr %g%s%s, batch %zu, %s init, decay %g, dropout %g, patience %zu, seed %zu",
             OPTIMIZER_NAMES[r->optimizer], r->learning_rate,
             r->schedule == SCHEDULE_COSINE ? " cosine" : "", warmup, r->batch, INIT_NAMES[r->init],
             r->weight_decay, r->dropout, r->patience, r->seed);
}
