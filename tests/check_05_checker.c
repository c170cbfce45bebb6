/* check_05_checker.c: the check of the epoch loop has teeth. Deliberately wrong epoch loops,
 * one mistake each, must fail the very check that grades lib/epoch.c (support/epoch_check.h),
 * for the reason each is wrong, and the library's own loop must pass it.
 *
 * Like check_04_checker.c, these tests check the check, not a student: their runner
 * (checker-double-chNN) always links the library's own modules, so that a student's wrong
 * module is graded by the module's suite alone. */
#include <check.h>

#include "epoch.h"
#include "support/epoch_check.h"
#include "support/testkit.h"

/* epoch.c's loop through the shuffled order, as far as its first n examples, without the
 * divergence stop and the progress report (the check needs neither): the mean loss. */
static double steps_through(const EpochPlan *plan, size_t n, BatchStepFn step, void *trainer,
                            size_t *correct)
{
    double total = 0;
    for (size_t first = 0; first < n; first += plan->batch) {
        size_t m = n - first < plan->batch ? n - first : plan->batch, after = n - first - m;
        Batch b = {&plan->order[first], m, &plan->order[first + m],
                   after < plan->batch ? after : plan->batch};
        total += step(trainer, &b, correct) * (double)m;
    }
    return total / (double)n;
}

/* A student who shuffled once, at the first epoch, as if the order stayed shuffled: every
 * epoch then sees the examples in the same order, and the check compares the epochs' orders. */
static double epoch_shuffling_once(const EpochPlan *plan, size_t epoch, BatchStepFn step,
                                   void *trainer, size_t *correct, size_t *bad_step)
{
    (void)bad_step;
    if (epoch == 1) rng_shuffle(plan->rng, plan->order, plan->n); /* MISTAKE: not every epoch */
    return steps_through(plan, plan->n, step, trainer, correct);
}

/* A student who counted n / m batches, rounding down: the 3 examples left over from 23 in
 * batches of 5 are never trained on, and the check counts the examples each epoch saw. */
static double epoch_dropping_the_last_batch(const EpochPlan *plan, size_t epoch, BatchStepFn step,
                                            void *trainer, size_t *correct, size_t *bad_step)
{
    (void)epoch, (void)bad_step;
    rng_shuffle(plan->rng, plan->order, plan->n);
    size_t whole = plan->n / plan->batch * plan->batch; /* MISTAKE: whole batches only */
    return steps_through(plan, whole, step, trainer, correct);
}

static const struct {
    const char *mistake;
    EpochRunFn run;
    const char *says; /* what the check must say of it */
} mistakes[] = {
    {"an epoch loop that shuffles once", epoch_shuffling_once,
     "epochs 1 and 2 went through the examples in the same order"},
    {"an epoch loop that drops the last partial batch", epoch_dropping_the_last_batch,
     "epoch 1 saw 20 examples of the 23"},
};

START_TEST(the_epoch_check_rejects_each_mistake)
{
    Outcome right = {0}, wrong = {0};
    epochs_visit_every_example_in_new_orders(epoch_run, &right);
    epochs_visit_every_example_in_new_orders(mistakes[_i].run, &wrong);
    assert_catches(mistakes[_i].mistake, &right, &wrong, mistakes[_i].says);
}
END_TEST

Suite *suite_05_checker(void);
Suite *suite_05_checker(void)
{
    Suite *s = suite_create("05 checker");
    TCase *teeth = tcase_create("mistakes caught");
    tcase_add_loop_test(teeth, the_epoch_check_rejects_each_mistake, 0,
                        sizeof mistakes / sizeof mistakes[0]);
    suite_add_tcase(s, teeth);
    return s;
}
