/* epoch.h: the epoch loop, written once for every network that trains.
 *
 * An epoch visits the training examples in a new random order, m at a time:
 *     shuffle order[0..n-1]
 *     for each mini-batch B of m examples (the last may be smaller):
 *         loss = step(B)          forward, loss, backward, update
 *         stop if the loss is NaN, infinite or above SGD's limit: diverged
 *         report the step         the progress bar and the step log
 * What a step does is the caller's: chapter 05's network, chapter 06's
 * layers, chapter 07's optimizers and dropout, chapter 09's fast products
 * all pass their own step to the same loop. */
#ifndef NN_EPOCH_H
#define NN_EPOCH_H

#include <stddef.h>

#include "report.h"
#include "rng.h"

/* A loss above this means training has blown up: a network that guesses
 * uniformly scores ln 10 = 2.3, and even the notebook's untrained one below 10. */
#define SGD_DIVERGED_LOSS 100.0

/* One mini-batch: examples index[0..m-1] of the training set, and the
 * examples of the batch after it (next[0..next_m-1], next_m 0 at the end),
 * which a step may ask the memory for while it works on this one. */
typedef struct {
    const size_t *index;
    size_t m;
    const size_t *next;
    size_t next_m;
} Batch;

/* One training step on a batch: returns the batch's loss before the update
 * and adds its right guesses to *correct. */
typedef double (*BatchStepFn)(void *trainer, const Batch *batch, size_t *correct);

/* What the loop works through, made once before the first epoch. */
typedef struct {
    size_t *order;      /* the training examples' indices, shuffled each epoch */
    size_t n;           /* how many */
    size_t batch;       /* m, the largest mini-batch */
    Rng *rng;           /* shuffles */
    size_t epochs;      /* how many epochs the run has, for the progress bar */
    StepReport *report; /* the progress bar and the step log; NULL: silent */
} EpochPlan;

/* An order 0..n-1 to shuffle, allocated (the caller frees it). */
size_t *epoch_order_new(size_t n);

/* The steps of an epoch of n examples in batches of at most m: ⌈n/m⌉. */
size_t epoch_steps(size_t n, size_t m);

/* Epoch `epoch` (from 1): shuffles, then steps through the batches. Returns
 * the mean loss of its steps, weighted by batch size, and adds the right
 * guesses to *correct. If a loss is not finite or above SGD_DIVERGED_LOSS
 * the epoch stops at once and returns it, its step (from 1) in *bad_step. */
double epoch_run(const EpochPlan *plan, size_t epoch, BatchStepFn step, void *trainer,
                 size_t *correct, size_t *bad_step);

#endif
