/* early_stop.h: stopping when the validation loss stops improving, and
 * keeping the best model seen.
 *
 * After each epoch the validation loss is compared with the best so far. A
 * better one is remembered with a copy of every parameter; after `patience`
 * epochs in a row without one, training stops, and the copy, not the last
 * model, is the result. The test set is never looked at: choosing the epoch
 * by the test score would be fitting the test set. */
#ifndef NN_EARLY_STOP_H
#define NN_EARLY_STOP_H

#include <stddef.h>

#include "model.h"

typedef struct {
    size_t patience;   /* epochs without improvement before stopping; 0: never stop */
    size_t best_epoch; /* 0 before the first epoch */
    double best_loss;  /* the lowest validation loss so far */
    size_t count;      /* the model's layers */
    Matrix **best;     /* its parameters: W and b of layer l in best[2l], best[2l + 1] */
} EarlyStop;

/* Starts watching a model shaped as model. */
void early_stop_init(EarlyStop *es, const Model *model, size_t patience);
void early_stop_release(EarlyStop *es);

/* Hears the validation loss after `epoch`: keeps the parameters if it is the
 * best yet. Returns true when training should stop. */
int early_stop_update(EarlyStop *es, const Model *model, size_t epoch, double val_loss);

/* Puts the best parameters seen back into model. */
void early_stop_restore(const EarlyStop *es, Model *model);

#endif
