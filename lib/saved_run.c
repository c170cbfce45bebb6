/* saved_run.c: train, save, load back, check (saved_run.h). */
#include "saved_run.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "fail.h"
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

/* The model's layers as maker writes them (NULL: chapter 06's sizes). */
static void describe(const ModelMaker *maker, const Model *model, char *out, size_t size)
{
    if (maker != NULL)
        maker->describe(model, out, size);
    else
        model_describe(model, out, size);
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
    describe(maker, model, layers, sizeof layers);
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

/* Chapter 11: a process that helps the first one train (recipe.h's
 * Parallel): the same training, with no log, no files and nothing saved. */
static Model *train_helping(const SavedRun *p, const Recipe *recipe, const MnistSet *train,
                            const MnistSet *test, RecipeResult *result)
{
    Recipe r = recipe_fitted(recipe, train);
    return recipe_train(&r, p->engine, train, test, NULL, result);
}

Model *saved_run_start(const RecipeFlags *f, const char *path, NnError *err)
{
    const Recipe *r = &f->recipe;
    NnError why;
    Model *start = model_load(path, 1, f->maker, &why);
    if (start == NULL) return nn_error(err, "--resume: %s", why.message), NULL;
    Model *made =
        r->maker != NULL ? r->maker->make(r->layers, 1) : model_new(r->sizes, r->size_count, 1);
    char saved[MODEL_TEXT_MAX + 1], wanted[MODEL_TEXT_MAX + 1];
    describe(f->maker, start, saved, sizeof saved);
    describe(f->maker, made, wanted, sizeof wanted);
    model_free(made);
    if (strcmp(saved, wanted) == 0) return start;
    nn_error(err, "--resume %s: its layers are %s, the run's %s: give --layers %s", path, saved,
             wanted, saved);
    model_free(start);
    return NULL;
}

/* --save-every: the model so far saved where the run saves its last. */
typedef struct {
    const SavedRun *program;
    const char *path;
    const ModelMaker *maker;
} Keeping;

static int keep_model(void *ctx, const Model *model, size_t epoch)
{
    const Keeping *k = ctx;
    NnError err;
    if (model_save(model, k->path, k->maker, &err) == 0) return 0;
    fprintf(stderr, "%s: --save-every, after epoch %zu: %s\n", k->program->program, epoch,
            err.message);
    return -1;
}

/* The program's own flags, besides the recipe's: where the model goes, and
 * (chapter 11) where a run resumes from and how often it keeps its model. */
typedef struct {
    const char *save, *resume;
    size_t every;
} SavedFlags;

/* Reads the recipe's flags and the program's into *f and *s; returns
 * recipe_parse's status, having said what was wrong. */
static int parse_flags(int argc, char **argv, const SavedRun *p, RecipeFlags *f, SavedFlags *s)
{
    recipe_defaults(f, p->log_path);
    if (p->defaults != NULL) p->defaults(f);
    *s = (SavedFlags){p->save_path, NULL, 0};
    ArgSpec flags[3 + RECIPE_MOST_PROGRAM_FLAGS] = {
        {"save", ARG_STRING, &s->save, 0, 0, "where to save the model"},
        {"resume", ARG_STRING, &s->resume, 0, 0, SAVED_RUN_RESUME_HELP},
        {"save-every", ARG_SIZE, &s->every, 0, 100000,
         "save the model so far every N epochs, at --save, to --resume from (0: at the end only)"}};
    size_t n = f->resumable ? 3 : 1;
    NN_REQUIRE(f->program_flag_count <= RECIPE_MOST_PROGRAM_FLAGS, "%zu flags",
               f->program_flag_count);
    for (size_t i = 0; i < f->program_flag_count; i++) flags[n++] = f->program_flags[i];
    NnError err;
    int status = recipe_parse(argc, argv, f, flags, n, p->about, &err);
    if (status == ARGS_ERROR) fprintf(stderr, "%s: %s\n", p->program, err.message);
    return status;
}

/* Trains by the recipe (a helping process of chapter 11's silently), checks
 * that the processes agree, and saves the model at save_path (rank 0 only);
 * returns the exit status. */
static int train_and_save(const SavedRun *p, const RecipeFlags *f, const char *save_path,
                          const MnistSet *train, const MnistSet *test)
{
    const Parallel *parallel = f->recipe.parallel; /* NULL, or chapter 11's processes */
    int helper = parallel != NULL && parallel->helper;
    RunOptions options = {p->program, p->chapter, p->engine, f->log_path, f->curve_when};
    RecipeResult result;
    Model *model = helper ? train_helping(p, &f->recipe, train, test, &result)
                          : recipe_run(&f->recipe, train, test, &options, &result);
    if (model != NULL && parallel != NULL && parallel->agree(parallel, model) != 0)
        model_free(model), model = NULL; /* the processes disagree: nothing is saved */
    int status = model == NULL ? 1
                 : helper      ? 0
                               : save(p, save_path, f->maker, model, test, &result);
    if (model != NULL && result.unwritten) status = 1; /* the model saved all the same */
    if (model == NULL && !helper) report_not_saved(p, save_path);
    model_free(model);
    return status;
}

int saved_run_main(int argc, char **argv, const SavedRun *p)
{
    RecipeFlags f;
    SavedFlags s;
    int status = parse_flags(argc, argv, p, &f, &s);
    if (status != ARGS_OK) return status == ARGS_HELP ? 0 : 2;
    NnError err;
    MnistSet train, test;
    if (mnist_load_both(f.data_dir, &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "%s: %s\n", p->program, err.message);
        return 1;
    }
    int helper = f.recipe.parallel != NULL && f.recipe.parallel->helper;
    Model *start = s.resume != NULL ? saved_run_start(&f, s.resume, &err) : NULL;
    if (s.resume != NULL && start == NULL) fprintf(stderr, "%s: %s\n", p->program, err.message);
    if ((s.resume != NULL && start == NULL) || (!helper && check_paths(p, &f, s.save) != 0)) {
        mnist_free(&train), mnist_free(&test);
        return 1;
    }
    Keeping keeping = {p, s.save, f.maker};
    Checkpoint checkpoint = {keep_model, &keeping, s.every};
    f.recipe.start = start;
    f.recipe.checkpoint = s.every > 0 && !helper ? &checkpoint : NULL;
    if (start != NULL && !helper) printf("resuming from %s\n", s.resume);
    status = train_and_save(p, &f, s.save, &train, &test);
    model_free(start);
    mnist_free(&train), mnist_free(&test);
    return status;
}
