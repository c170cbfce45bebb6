/* epoch.c: shuffling, batching, divergence and reporting, once (epoch.h). */
#include "epoch.h"

#include <math.h>

#include "fail.h"

size_t *epoch_order_new(size_t n)
{
    size_t *order = nn_alloc(n, sizeof *order, "the shuffled order");
    for (size_t i = 0; i < n; i++) order[i] = i;
    return order;
}

/* The batch starting at `first` of the shuffled order. */
static Batch batch_at(const EpochPlan *plan, size_t first)
{
    size_t left = plan->n - first, m = left < plan->batch ? left : plan->batch;
    size_t after = left - m, next_m = after < plan->batch ? after : plan->batch;
    return (Batch){&plan->order[first], m, &plan->order[first + m], next_m};
}

size_t epoch_steps(size_t n, size_t m)
{
    return (n + m - 1) / m;
}

double epoch_run(const EpochPlan *plan, size_t epoch, BatchStepFn step, void *trainer,
                 size_t *correct, size_t *bad_step)
{
    StepReport *report = plan->report;
    size_t steps = epoch_steps(plan->n, plan->batch);
    if (report != NULL) {
        report->epoch = epoch;
        progress_start(&report->bar, epoch, plan->epochs, steps);
    }
    rng_shuffle(plan->rng, plan->order, plan->n);
    double total = 0;
    for (size_t first = 0, s = 1; first < plan->n; first += plan->batch, s++) {
        Batch b = batch_at(plan, first);
        double loss = step(trainer, &b, correct);
        if (!isfinite(loss) || loss > SGD_DIVERGED_LOSS) {
            *bad_step = s;
            if (report != NULL) progress_finish(&report->bar);
            return loss;
        }
        total += loss * (double)b.m;
        if (report != NULL) report_step(report, s, loss, first + b.m);
    }
    if (report != NULL) {
        progress_finish(&report->bar);
        report->steps_before += steps;
    }
    return total / (double)plan->n;
}
