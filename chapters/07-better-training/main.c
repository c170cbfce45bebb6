/* Chapter 07: better training.
 *
 * Trains a network of any depth with the techniques that lift it past 98%,
 * each behind one flag, so that each can be measured alone: He initialisation
 * (--init), momentum and Adam (--optimizer), L2 weight decay (--weight-decay),
 * dropout (--dropout), a cosine learning-rate schedule (--schedule), and early
 * stopping on the validation split, keeping the best model (--patience).
 * The defaults are the chapter's recipe (lib/recipe.c).
 * Build and run: make ch07 && ./build/ch07-better-training    (--help lists the flags) */
#include <stdio.h>

#include "args.h"
#include "recipe.h"

typedef struct {
    RecipeFlags recipe;
    const char *log_path, *data_dir, *curve;
} Config;

static int parse_flags(int argc, char **argv, Config *c, CurveWhen *curve)
{
    ArgSpec specs[RECIPE_SPECS + 3];
    size_t n = recipe_specs(&c->recipe, specs);
    specs[n++] = (ArgSpec){"log", ARG_STRING, &c->log_path, 0, 0,
                           "the epoch log; steps go to <log>.steps.tsv"};
    specs[n++] = (ArgSpec){"curve", ARG_STRING, &c->curve, 0, 0,
                           "auto (on a terminal), always or never: the ASCII loss curve"};
    specs[n++] = (ArgSpec){"data", ARG_STRING, &c->data_dir, 0, 0, "folder holding the MNIST files"};
    NnError err;
    int status = args_parse(argc, argv, specs, n,
                            "Trains a network on MNIST with chapter 07's techniques.", &err);
    if (status == ARGS_OK && recipe_check(&c->recipe, &err) != 0) status = ARGS_ERROR;
    if (status == ARGS_OK && curve_parse(c->curve, curve) != 0) {
        nn_error(&err, "--curve: \"%s\" is not a choice; use auto, always or never", c->curve);
        status = ARGS_ERROR;
    }
    if (status == ARGS_ERROR) fprintf(stderr, "ch07-better-training: %s\n", err.message);
    return status;
}

int main(int argc, char **argv)
{
    Config c = {.log_path = NN_SOURCE_DIR "/build/logs/ch07.tsv",
                .data_dir = NN_SOURCE_DIR "/data",
                .curve = "auto"};
    recipe_defaults(&c.recipe);
    RunOptions options = {"ch07-better-training", "Chapter 07", c.log_path, CURVE_AUTO};
    int status = parse_flags(argc, argv, &c, &options.curve);
    if (status != ARGS_OK) return status == ARGS_HELP ? 0 : 2;
    options.log_path = c.log_path;
    MnistSet train, test;
    NnError err;
    if (mnist_load_both(c.data_dir, &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "ch07-better-training: %s\n", err.message);
        return 1;
    }
    RecipeResult result;
    Model *model = recipe_run(&c.recipe.recipe, &train, &test, &options, &result);
    model_free(model);
    mnist_free(&train), mnist_free(&test);
    return model != NULL ? 0 : 1;
}
