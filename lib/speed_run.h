/* speed_run.h: the speed chapter's yardstick run (chapter 09).
 *
 * One network trained the same way by chapter 06's step and by chapter 09's,
 * so that their epochs can be timed side by side (ch09-speed, make bench):
 * 784-128-10, He initialisation from seed 1, plain SGD at 0.1, mini-batches
 * of 64, over the whole training set. */
#ifndef NN_SPEED_RUN_H
#define NN_SPEED_RUN_H

#include "fast_layer.h"
#include "model_sgd.h"

typedef struct {
    Model *model;
    Matrix *X, *Y;  /* evaluation's batches */
    EpochPlan plan; /* the training images' order, shuffled each epoch, 64 at a time */
    Rng rng;
    real alpha;
} SpeedRun;

/* The run, untrained, for a training set of n images. */
SpeedRun *speed_run_new(size_t n);
void speed_run_free(SpeedRun *r);

/* One epoch over train with chapter 06's step (f NULL) or chapter 09's (f):
 * its time in seconds; the mean loss and the count right in *loss and
 * *correct. A loss that diverges is a bug here (the settings are fixed), so
 * it stops the program. */
double speed_run_epoch(SpeedRun *r, FastWork *f, const MnistSet *train, double *loss,
                       size_t *correct);
/* The same with any ops (make bench-phases wraps chapter 09's to time them). */
double speed_run_epoch_with(SpeedRun *r, const ModelOps *ops, const MnistSet *train, double *loss,
                            size_t *correct);

/* The test accuracy of the run's network. */
double speed_run_test(SpeedRun *r, const MnistSet *test);

#endif
