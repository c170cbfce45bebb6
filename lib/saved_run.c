/* saved_run.c: train, save, load back, check (saved_run.h). */
#include "saved_run.h"

#include <stdio.h>
#include <unistd.h>

#include "args.h"
#include "inspect.h"
#include "model_file.h"
#include "output.h"
#include "recipe_flags.h"
#include "recipe_run.h"

/* Loads the file just saved and checks it scores what the trained model did
 * on the test set: every parameter came back, bit for bit. */
static int check_round_trip(const SavedRun *p, const char *path, const ModelMaker *maker,
                            const MnistSet *test, size_t batch, const RecipeResult *trained)
{
    NnError err;
    Model *loaded = model_load(path, batch, maker, &err); /* the same batches: the same sums */
    if (loaded == NULL) {
        fprintf(stderr, "%s: loading it back: %s\n", p->program, err.message);
        return -1;
    }
    Matrix *X = mat_new(MNIST_PIXELS, batch), *Y = mat_new(MNIST_CLASSES, batch);
    Score again =
        model_evaluate(loaded, p->engine->evaluate, test, 0, test->count, X, Y, NULL, NULL);
    mat_free(X), mat_free(Y), model_free(loaded);
    int same = again.loss == trained->test.loss && again.accuracy == trained->test.accuracy;
    printf("loaded it back: test accuracy %.2f%%, loss %.6f: %s\n", 100 * again.accuracy,
           again.loss, same ? "the same" : "DIFFERENT");
    return same ? 0 : -1;
}

/* Saves model, made by maker (NULL: chapter 06's sizes), at path and checks
 * the file; returns the exit status. */
static int save(const SavedRun *p, const char *path, const ModelMaker *maker, const Model *model,
                const MnistSet *test, const RecipeResult *result)
{
    NnError err;
    if (model_save(model, path, maker, &err) != 0) {
        fprintf(stderr, "%s: %s\n", p->program, err.message);
        return 1;
    }
    char layers[MODEL_TEXT_MAX + 1];
    if (maker != NULL)
        maker->describe(model, layers, sizeof layers);
    else
        model_describe(model, layers, sizeof layers);
    printf("saved: %s (%s, %zu parameters, %s)\n", path, layers, model_parameter_count(model),
           REAL_NAME);
    return check_round_trip(p, path, maker, test, model->batch, result) == 0 ? 0 : 1;
}

/* After a failed run: says that nothing was written over the model at path. */
static void report_not_saved(const SavedRun *p, const char *path)
{
    if (access(path, F_OK) == 0)
        fprintf(stderr, "%s: the model was not saved; the earlier file at %s is unchanged\n",
                p->program, path);
    else
        fprintf(stderr, "%s: the model was not saved to %s\n", p->program, path);
}

/* Whether `out`, a file the run will write, is the model's path or a file
 * the run read (its data); -1 having said so, to stderr. */
static int refuse_clash(const SavedRun *p, const char *out, const char *model_path)
{
    if (output_same_file(out, model_path)) {
        fprintf(stderr,
                "%s: %s would be written over the model at %s: give --log and --save "
                "different names\n",
                p->program, out, model_path);
        return -1;
    }
    NnError err;
    if (output_not_an_input(out, &err) == 0) return 0;
    fprintf(stderr, "%s: %s\n", p->program, err.message);
    return -1;
}

/* Before any training, the data read: the model can be saved at path, and
 * no other file the run writes is the model or the data; -1 having said
 * why. */
static int check_paths(const SavedRun *p, const RecipeFlags *f, const char *model_path)
{
    NnError err;
    if (output_check(model_path, &err) != 0) {
        fprintf(stderr, "%s: --save: %s (nothing was trained)\n", p->program, err.message);
        return -1;
    }
    if (refuse_clash(p, f->log_path, model_path) != 0) return -1;
    for (size_t i = 0; i <= INSPECT_FILES; i++) { /* the step log (trainlog.h), then inspect.h's */
        const char *name = i == 0 ? "steps" : INSPECT_FILE_NAMES[i - 1];
        char sibling[OUTPUT_PATH_MAX];
        if (trainlog_sibling(sibling, sizeof sibling, f->log_path, name, &err) != 0 ||
            refuse_clash(p, sibling, model_path) != 0)
            return -1;
    }
    return 0;
}

int saved_run_main(int argc, char **argv, const SavedRun *p)
{
    RecipeFlags f;
    recipe_defaults(&f, p->log_path);
    if (p->defaults != NULL) p->defaults(&f);
    const char *save_path = p->save_path;
    const ArgSpec save_flag = {"save", ARG_STRING, &save_path, 0, 0, "where to save the model"};
    NnError err;
    int status = recipe_parse(argc, argv, &f, &save_flag, 1, p->about, &err);
    if (status == ARGS_ERROR) fprintf(stderr, "%s: %s\n", p->program, err.message);
    if (status != ARGS_OK) return status == ARGS_HELP ? 0 : 2;
    MnistSet train, test;
    if (mnist_load_both(f.data_dir, &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "%s: %s\n", p->program, err.message);
        return 1;
    }
    if (check_paths(p, &f, save_path) != 0) {
        mnist_free(&train), mnist_free(&test);
        return 1;
    }
    RunOptions options = {p->program, p->chapter, p->engine, f.log_path, f.curve_when};
    RecipeResult result;
    Model *model = recipe_run(&f.recipe, &train, &test, &options, &result);
    status = model != NULL ? save(p, save_path, f.maker, model, &test, &result) : 1;
    if (model != NULL && result.unwritten) status = 1; /* the model saved all the same */
    if (model == NULL) report_not_saved(p, save_path);
    model_free(model);
    mnist_free(&train), mnist_free(&test);
    return status;
}
