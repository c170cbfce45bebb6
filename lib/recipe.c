/* recipe.c: chapter 07's training run (recipe.h). */
#include "recipe.h"

#include <stdlib.h>

#include "dropout.h"
#include "early_stop.h"
#include "epoch.h"
#include "fail.h"
#include "report.h"
#include "timer.h"

/* Everything a run needs, made once before the first step. */
typedef struct {
    const Recipe *recipe;
    const Engine *engine;
    Model *model;
    Optimizer *optimizer;
    Dropout *dropout;      /* NULL without dropout */
    ModelTrainer *trainer; /* the step: the engine's ops (in dropout's), the optimizer */
    Matrix *X, *Y;         /* evaluation's batches, as columns */
    EarlyStop stop;
    Rng rng;
    const MnistSet *train, *test;
    size_t train_count, val_count;
    EpochPlan plan;   /* the shuffled order of the training split, batch by batch */
    StepReport steps; /* the step log and the progress bar */
} Run;

static Score measure(Run *run, const MnistSet *set, size_t first, size_t count)
{
    return model_evaluate(run->model, run->engine->evaluate, set, first, count, run->X, run->Y,
                          NULL, NULL);
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
    EpochRecord record = {e,
                          loss,
                          (double)correct / (double)run->train_count,
                          val.loss,
                          val.accuracy,
                          test.loss,
                          test.accuracy,
                          seconds};
    if (run->steps.log != NULL) trainlog_epoch(run->steps.log, &record);
    report_epoch(&record, run->stop.best_epoch == e ? "  *" : "");
    result->val = val, result->test = test, result->best_epoch = e;
    return stop;
}

/* Chapter 11's --resume: start's parameters in place of init's. */
static void start_from(Model *model, const Model *start)
{
    for (size_t l = 0; l < model->count; l++) {
        mat_copy(model->layers[l].W, start->layers[l].W);
        mat_copy(model->layers[l].b, start->layers[l].b);
    }
}

static void setup(Run *run, const Recipe *r, const Engine *engine, const MnistSet *train,
                  const MnistSet *test, TrainLog *log)
{
    *run =
        (Run){.recipe = r, .engine = engine, .train = train, .test = test, .steps = {.log = log}};
    run->val_count = validation_count(train->count);
    run->train_count = train->count - run->val_count;
    NN_REQUIRE(r->batch >= 1 && r->batch <= run->train_count, "batch %zu for %zu images", r->batch,
               run->train_count);
    rng_seed(&run->rng, r->seed);
    run->model = r->maker != NULL ? r->maker->make(r->layers, r->batch)
                                  : model_new(r->sizes, r->size_count, r->batch);
    model_init(run->model, r->init, &run->rng);
    if (r->start != NULL) start_from(run->model, r->start);
    size_t per_epoch = epoch_steps(run->train_count, r->batch);
    Schedule schedule = {r->schedule, r->learning_rate, per_epoch * r->epochs,
                         per_epoch * r->warmup};
    run->optimizer = optimizer_new(run->model, r->optimizer, schedule, r->weight_decay);
    const ModelOps *ops = engine->train;
    if (r->dropout > 0) {
        run->dropout = dropout_new(run->model, 1 - r->dropout, ops, &run->rng);
        ops = &run->dropout->ops;
    }
    run->trainer = model_trainer_new(run->model, train, ops, optimizer_as_update(run->optimizer));
    if (run->dropout != NULL && r->parallel != NULL) /* chapter 11: each process's columns */
        dropout_share(run->dropout, r->parallel->share);
    run->X = mat_new(model_inputs(run->model), r->batch);
    run->Y = mat_new(model_outputs(run->model), r->batch);
    early_stop_init(&run->stop, run->model, r->patience);
    run->plan = (EpochPlan){epoch_order_new(run->train_count),
                            run->train_count,
                            r->batch,
                            &run->rng,
                            r->epochs,
                            &run->steps};
}

static void teardown(Run *run)
{
    model_trainer_free(run->trainer);
    optimizer_free(run->optimizer);
    dropout_free(run->dropout);
    mat_free(run->X), mat_free(run->Y);
    early_stop_release(&run->stop);
    free(run->plan.order);
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

/* The step epoch_run takes: model_step, or, when several processes train
 * (chapter 11), theirs around it. */
static double run_step(void *run, const Batch *batch, size_t *correct)
{
    Run *r = run;
    const Parallel *p = r->recipe->parallel;
    return p != NULL ? p->step(p, r->trainer, batch, correct)
                     : model_step(r->trainer, batch, correct);
}

Recipe recipe_fitted(const Recipe *recipe, const MnistSet *train)
{
    Recipe r = *recipe;
    size_t trained_on = train->count - validation_count(train->count);
    if (r.batch > trained_on) r.batch = trained_on;
    return r;
}

Model *recipe_train(const Recipe *recipe, const Engine *engine, const MnistSet *train,
                    const MnistSet *test, TrainLog *log, RecipeResult *result)
{
    Run run;
    setup(&run, recipe, engine, train, test, log);
    *result = (RecipeResult){0};
    double start = timer_seconds();
    for (size_t e = 1; e <= recipe->epochs; e++) {
        size_t correct = 0, bad_step = 0;
        double loss = epoch_run(&run.plan, e, run_step, &run, &correct, &bad_step);
        result->epochs_run = e;
        result->seconds = timer_seconds() - start;
        if (bad_step != 0) {
            result->bad_step = bad_step, result->bad_epoch = e, result->bad_loss = loss;
            break;
        }
        int stop = after_epoch(&run, e, loss, correct, result->seconds, result);
        const Checkpoint *keep = recipe->checkpoint;
        if (keep != NULL && e % keep->every == 0 && keep->keep(keep->ctx, run.model, e) != 0)
            result->unwritten = 1;
        if (stop) break;
    }
    Model *model = result_model(&run, result);
    teardown(&run);
    return model;
}
