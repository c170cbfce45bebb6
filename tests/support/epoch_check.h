/* epoch_check.h: the check of chapter 05's epoch loop, written as a function of the epoch_run
 * under test, so that the suite grading lib/epoch.c (check_05_sgd.c) and the one proving the
 * check catches real mistakes (check_05_checker.c) run the same check; and the step that records
 * what the loop hands it. Header-only, like sample.h. */
#ifndef NN_TESTS_EPOCH_CHECK_H
#define NN_TESTS_EPOCH_CHECK_H

#include <string.h>

#include "epoch.h"
#include "testkit.h"

/* A step that records the batches it is given, with a loss chosen by the test. A loop that
 * hands it more than it holds (16 steps, 100 examples) finds the rest not recorded. */
typedef struct {
    size_t seen[100], seen_count; /* every index, in the order given */
    size_t sizes[16], steps;      /* each batch's m */
    int next_ok;                  /* each batch's next is the batch that follows */
    const size_t *expected_next;
    size_t expected_next_m;
    double loss_at[16]; /* the loss each step returns */
} Recorder;

static inline double record_step(void *recorder, const Batch *b, size_t *correct)
{
    Recorder *r = recorder;
    if (r->steps == 16 || r->seen_count + b->m > 100) return 0;
    if (r->steps > 0 && (b->index != r->expected_next || b->m != r->expected_next_m))
        r->next_ok = 0;
    r->expected_next = b->next, r->expected_next_m = b->next_m;
    for (size_t j = 0; j < b->m; j++) r->seen[r->seen_count++] = b->index[j];
    *correct += b->m;
    r->sizes[r->steps] = b->m;
    return r->loss_at[r->steps++];
}

/* An epoch loop: epoch_run, a student's, or a deliberately wrong one. */
typedef double (*EpochRunFn)(const EpochPlan *plan, size_t epoch, BatchStepFn step, void *trainer,
                             size_t *correct, size_t *bad_step);

/* Whether the epoch that r recorded (the e-th) saw each of 23 examples once, in batches of 5
 * but the last of the 3 left over, each batch's `next` the batch that followed. */
static inline int epoch_recorded_right(const Recorder *r, size_t e, Outcome *o)
{
    int count[23] = {0};
    for (size_t i = 0; i < r->seen_count; i++)
        if (r->seen[i] < 23) count[r->seen[i]]++;
    outcome_expect(o, r->seen_count == 23, "epoch %zu saw %zu examples of the 23", e,
                   r->seen_count);
    for (size_t i = 0; i < 23; i++)
        outcome_expect(o, count[i] == 1, "epoch %zu saw example %zu %d times", e, i, count[i]);
    outcome_expect(o, r->steps > 0 && r->sizes[r->steps - 1] == 3,
                   "epoch %zu's last batch was not the 3 examples left over", e);
    outcome_expect(o, r->next_ok, "in epoch %zu, a batch's `next` was not the batch that followed",
                   e);
    return !o->failed;
}

/* Three epochs of 23 examples in batches of 5 through `run`: each visits every example once,
 * the last partial batch of 3 included, in an order of its own. */
static inline int epochs_visit_every_example_in_new_orders(EpochRunFn run, Outcome *o)
{
    size_t order[23], seen[3][23];
    for (size_t i = 0; i < 23; i++) order[i] = i;
    Rng rng;
    rng_seed(&rng, 11);
    EpochPlan plan = {order, 23, 5, &rng, 3, NULL};
    for (size_t e = 0; e < 3 && !o->failed; e++) {
        Recorder r = {.next_ok = 1};
        size_t correct = 0, bad_step = 0;
        run(&plan, e + 1, record_step, &r, &correct, &bad_step);
        if (!epoch_recorded_right(&r, e + 1, o)) break;
        memcpy(seen[e], r.seen, sizeof seen[e]);
        for (size_t f = 0; f < e; f++)
            outcome_expect(o, memcmp(seen[f], seen[e], sizeof seen[e]) != 0,
                           "epochs %zu and %zu went through the examples in the same order", f + 1,
                           e + 1);
    }
    return !o->failed;
}

#endif
