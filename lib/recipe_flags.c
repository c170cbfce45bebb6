/* recipe_flags.c: parsing and describing the recipe's flags (recipe_flags.h). */
#include "recipe_flags.h"

#include <stdio.h>
#include <string.h>

#include "fail.h"

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
