/* recipe_run.c: the recipe's run as a program shows it (recipe_run.h). */
#include "recipe_run.h"

#include <stdio.h>

#include "recipe_flags.h"
#include "report.h"

static void print_final(const Recipe *r, const RecipeResult *res, const char *log_path,
                        size_t test_count)
{
    if (r->patience > 0)
        printf("kept: the model of epoch %zu, the best validation loss\n", res->best_epoch);
    report_final(res->test.accuracy, test_count, res->epochs_run, res->seconds, log_path);
}

/* Opens the log, titled for the plots ("ch07 784-256-128-10, ..."), and
 * prints the first line and the table's header; -1 having said why. */
static int start(const Recipe *r, const RunOptions *o, TrainLog *log)
{
    char described[512], title[600];
    recipe_describe(r, described, sizeof described);
    snprintf(title, sizeof title, "ch%s %s (%s)", o->chapter, described, REAL_NAME);
    NnError err;
    if (trainlog_open(log, o->log_path, title, &err) != 0) {
        fprintf(stderr, "%s: %s\n", o->program, err.message);
        return -1;
    }
    printf("Chapter %s: training %s (%s)\n", o->chapter, described, REAL_NAME);
    report_header();
    return 0;
}

/* Closes the log and writes the pictures' files of a model that trained,
 * setting res->unwritten if a file failed; -1 when training diverged, having
 * said why. */
static int finish(const Recipe *r, const RunOptions *o, TrainLog *log, Model *model,
                  const MnistSet *test, RecipeResult *res)
{
    NnError err;
    int failed = trainlog_close(log, &err) != 0;
    if (!failed && model != NULL && res->bad_step == 0)
        failed = model_inspect(model, o->engine->evaluate, test, o->log_path, &err) != 0;
    if (failed) fprintf(stderr, "%s: %s\n", o->program, err.message);
    res->unwritten |= failed; /* or a checkpoint failed (recipe.h) */
    if (res->bad_step != 0)
        report_diverged(o->program, res->bad_loss, res->bad_step, res->bad_epoch, r->learning_rate);
    return res->bad_step != 0 ? -1 : 0;
}

Model *recipe_run(const Recipe *recipe, const MnistSet *train, const MnistSet *test,
                  const RunOptions *o, RecipeResult *res)
{
    Recipe r = recipe_fitted(recipe, train);
    TrainLog log;
    if (start(&r, o, &log) != 0) return NULL;
    Model *model = recipe_train(&r, o->engine, train, test, &log, res);
    if (finish(&r, o, &log, model, test, res) != 0) {
        model_free(model);
        return NULL;
    }
    if (!res->unwritten) curve_show(o->log_path, o->curve);
    print_final(&r, res, o->log_path, test->count);
    return model;
}
