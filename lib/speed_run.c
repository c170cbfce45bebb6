/* speed_run.c: the speed chapter's yardstick run (speed_run.h). */
#include "speed_run.h"

#include <stdlib.h>

#include "fail.h"
#include "timer.h"

SpeedRun *speed_run_new(size_t n)
{
    size_t sizes[] = {784, 128, 10};
    SpeedRun *r = nn_alloc(1, sizeof *r, "the speed run");
    r->model = model_new(sizes, 3, 64);
    rng_seed(&r->rng, 1);
    model_init_he(r->model, &r->rng);
    r->alpha = (real)0.1;
    r->trainer = model_trainer_new(r->model, model_sgd_update, &r->alpha);
    r->Xt = mat_new(64, 784);
    r->order = nn_alloc(n, sizeof *r->order, "the order of the training images");
    for (size_t i = 0; i < n; i++) r->order[i] = i;
    r->n = n;
    return r;
}

void speed_run_free(SpeedRun *r)
{
    free(r->order), mat_free(r->Xt), model_trainer_free(r->trainer), model_free(r->model);
    free(r);
}

double speed_run_epoch(SpeedRun *r, FastWork *f, const MnistSet *train, double *loss,
                       size_t *correct)
{
    size_t bad = 0;
    *correct = 0;
    double start = timer_seconds();
    if (f != NULL)
        *loss = fast_epoch(f, r->model, r->Xt, r->trainer->Y, train, r->order, r->n, &r->rng,
                           r->alpha, correct, &bad);
    else
        *loss = model_epoch(r->trainer, train, r->order, r->n, &r->rng, correct, &bad, NULL, NULL);
    double seconds = timer_seconds() - start;
    NN_REQUIRE(bad == 0, "the yardstick run diverged at step %zu (loss %g)", bad, *loss);
    return seconds;
}

double speed_run_test(SpeedRun *r, const MnistSet *test)
{
    return model_evaluate(r->model, test, 0, test->count, r->trainer->X, r->trainer->Y, NULL, NULL)
        .accuracy;
}
