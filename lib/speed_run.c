/* speed_run.c: the speed chapter's yardstick run (speed_run.h). */
#include "speed_run.h"

#include <stdlib.h>

#include "fail.h"
#include "timer.h"

SpeedRun *speed_run_new(size_t n)
{
    enum { BATCH = 64 };
    size_t sizes[] = {MNIST_PIXELS, 128, MNIST_CLASSES};
    SpeedRun *r = nn_alloc(1, sizeof *r, "the speed run");
    r->model = model_new(sizes, 3, BATCH);
    rng_seed(&r->rng, 1);
    model_init_he(r->model, &r->rng);
    r->alpha = (real)0.1;
    r->X = mat_new(MNIST_PIXELS, BATCH), r->Y = mat_new(MNIST_CLASSES, BATCH);
    r->plan = (EpochPlan){epoch_order_new(n), n, BATCH, &r->rng, 1, NULL};
    return r;
}

void speed_run_free(SpeedRun *r)
{
    free(r->plan.order), mat_free(r->X), mat_free(r->Y), model_free(r->model);
    free(r);
}

double speed_run_epoch(SpeedRun *r, FastWork *f, const MnistSet *train, double *loss,
                       size_t *correct)
{
    FastOps fast = f != NULL ? fast_ops(f, FAST_TRAIN) : (FastOps){0};
    return speed_run_epoch_with(r, f != NULL ? &fast.ops : &MODEL_LOOPS, train, loss, correct);
}

double speed_run_epoch_with(SpeedRun *r, const ModelOps *ops, const MnistSet *train, double *loss,
                            size_t *correct)
{
    ModelTrainer *t = model_trainer_new(r->model, train, ops, model_sgd(&r->alpha));
    size_t bad = 0;
    *correct = 0;
    double start = timer_seconds();
    *loss = epoch_run(&r->plan, 1, model_step, t, correct, &bad);
    double seconds = timer_seconds() - start;
    model_trainer_free(t);
    NN_REQUIRE(bad == 0, "the yardstick run diverged at step %zu (loss %g)", bad, *loss);
    return seconds;
}

double speed_run_test(SpeedRun *r, const MnistSet *test)
{
    return model_evaluate(r->model, &MODEL_LOOPS, test, 0, test->count, r->X, r->Y, NULL, NULL)
        .accuracy;
}
