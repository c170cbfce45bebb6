/* Chapter 08: using the network.
 *
 * Trains chapter 07's recipe (the same flags), saves the model in the format
 * of lib/model_file.h, written to a temporary name and renamed so that a
 * crash never leaves half a file, then loads the file back and checks that
 * the loaded model scores exactly what the trained one did. Then `predict`
 * (predict.c, the chapter's second program) reads digits with it.
 * Build and run: make ch08 && ./build/ch08-using-the-network   (--help lists the flags) */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "model_file.h"
#include "model_sgd.h"
#include "recipe.h"

typedef struct {
    RecipeFlags recipe;
    const char *save_path, *log_path, *data_dir, *curve;
} Config;

static int parse_flags(int argc, char **argv, Config *c, CurveWhen *curve)
{
    ArgSpec specs[RECIPE_SPECS + 4];
    size_t n = recipe_specs(&c->recipe, specs);
    specs[n++] = (ArgSpec){"save", ARG_STRING, &c->save_path, 0, 0, "where to save the model"};
    specs[n++] = (ArgSpec){"log", ARG_STRING, &c->log_path, 0, 0,
                           "the epoch log; steps go to <log>.steps.tsv"};
    specs[n++] = (ArgSpec){"curve", ARG_STRING, &c->curve, 0, 0,
                           "auto (on a terminal), always or never: the ASCII loss curve"};
    specs[n++] = (ArgSpec){"data", ARG_STRING, &c->data_dir, 0, 0, "folder holding the MNIST files"};
    NnError err;
    int status = args_parse(argc, argv, specs, n,
                            "Trains chapter 07's recipe on MNIST and saves the model.", &err);
    if (status == ARGS_OK && recipe_check(&c->recipe, &err) != 0) status = ARGS_ERROR;
    if (status == ARGS_OK && curve_parse(c->curve, curve) != 0) {
        nn_error(&err, "--curve: \"%s\" is not a choice; use auto, always or never", c->curve);
        status = ARGS_ERROR;
    }
    if (status == ARGS_ERROR) fprintf(stderr, "ch08-using-the-network: %s\n", err.message);
    return status;
}

/* Loads the file just saved and checks it scores what the trained model did
 * on the test set: every parameter came back, bit for bit. */
static int check_round_trip(const char *path, const MnistSet *test, size_t batch,
                            const RecipeResult *trained)
{
    NnError err;
    Model *loaded = model_load(path, batch, &err); /* the same batches: the same sums */
    if (loaded == NULL) {
        fprintf(stderr, "ch08-using-the-network: loading it back: %s\n", err.message);
        return -1;
    }
    Matrix *X = mat_new(784, batch), *Y = mat_new(10, batch);
    Score again = model_evaluate(loaded, test, 0, test->count, X, Y, NULL, NULL);
    mat_free(X), mat_free(Y), model_free(loaded);
    int same = again.loss == trained->test.loss && again.accuracy == trained->test.accuracy;
    printf("loaded it back: test accuracy %.2f%%, loss %.6f: %s\n", 100 * again.accuracy,
           again.loss, same ? "the same" : "DIFFERENT");
    return same ? 0 : -1;
}

/* Saves model at c->save_path and checks the file; returns the exit status. */
static int save(const Config *c, const Model *model, const MnistSet *test,
                const RecipeResult *result)
{
    NnError err;
    if (model_save(model, c->save_path, &err) != 0) {
        fprintf(stderr, "ch08-using-the-network: %s\n", err.message);
        return 1;
    }
    char sizes[256];
    model_describe(model, sizes, sizeof sizes);
    printf("saved: %s (%s, %zu parameters, %s)\n", args_shown_path(c->save_path), sizes,
           model_parameter_count(model), REAL_NAME);
    return check_round_trip(c->save_path, test, model->batch, result) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    Config c = {.save_path = NN_SOURCE_DIR "/build/model.nn",
                .log_path = NN_SOURCE_DIR "/build/logs/ch08.tsv",
                .data_dir = NN_SOURCE_DIR "/data",
                .curve = "auto"};
    recipe_defaults(&c.recipe);
    RunOptions options = {"ch08-using-the-network", "Chapter 08", NULL, CURVE_AUTO};
    int status = parse_flags(argc, argv, &c, &options.curve);
    if (status != ARGS_OK) return status == ARGS_HELP ? 0 : 2;
    options.log_path = c.log_path;
    MnistSet train, test;
    NnError err;
    if (mnist_load_both(c.data_dir, &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "ch08-using-the-network: %s\n", err.message);
        return 1;
    }
    RecipeResult result;
    Model *model = recipe_run(&c.recipe.recipe, &train, &test, &options, &result);
    status = model != NULL ? save(&c, model, &test, &result) : 1;
    model_free(model);
    mnist_free(&train), mnist_free(&test);
    return status;
}
