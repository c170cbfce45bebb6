/* dropout.h: dropout, switching hidden units off at random while training.
 *
 * At each training step every hidden unit is kept with probability `keep`
 * (say 0.8) and otherwise silenced, for that step and that example, by a mask
 * of zeros and ones drawn anew every step. The kept ones are scaled by 1/keep
 * so that a unit's expected output is what it is without dropout; evaluation
 * then uses the plain network, no mask, no scaling ("inverted" dropout):
 *   forward:   A_l = ReLU(Z_l) ⊙ M_l,      M_l (n×m) entries 1/keep or 0
 *   backward:  the gradient reaching ReLU(Z_l) is dA_l ⊙ M_l
 * No unit can count on any other being there, so each must be useful alone:
 * the network cannot memorise an image through one fragile combination.
 * The output layer is never dropped, nor are chapter 10's convolution layers:
 * a map's neighbouring pixels carry nearly the same thing, so silencing one
 * of them hides little, and a convolution has few weights to overfit with.
 * The forward and backward passes are the model's (model.h), with dropout's
 * ops hooked into them. */
#ifndef NN_DROPOUT_H
#define NN_DROPOUT_H

#include "model.h"
#include "rng.h"

typedef struct Dropout Dropout;

/* Chapter 11: a batch shared among processes (data_parallel.h), this one
 * computing its columns first..first+m-1 of the `whole` batch. Dropout
 * then draws the masks of the whole batch, the very random numbers one
 * process would draw (the same random numbers also shuffle: the processes
 * stay in step), and keeps its own columns: N processes drop what one does. */
typedef struct DropoutShare {
    size_t first, whole;    /* this step's: set by the processes before it */
    const Dropout *dropout; /* the run's dropout, NULL without: dropout_share sets it */
} DropoutShare;

/* Dropout around the ops of a model (chapter 06's loops or chapter 09's
 * products): its own ModelOps, which draws new masks as each batch is read
 * and masks every hidden layer's output and gradient. */
struct Dropout {
    ModelOps ops;          /* first: model_forward_with and the step call these */
    const ModelOps *inner; /* what computes the layers */
    Rng *rng;              /* draws the masks */
    double keep;           /* the probability of keeping a unit, in (0, 1] */
    size_t count;          /* hidden layers: the model's layers but the last */
    Matrix **masks;        /* M_l (units × batch) for each hidden layer; NULL for a convolution */
    DropoutShare *share;   /* NULL: this process computes whole batches */
};

/* Dropout keeping units with probability keep, around inner, its masks drawn
 * from rng as each batch is gathered (rng NULL: only by dropout_draw, as the
 * gradient checks do). Pass &d->ops wherever ops are taken. */
Dropout *dropout_new(const Model *model, double keep, const ModelOps *inner, Rng *rng);
void dropout_free(Dropout *d);

/* Draws new masks for a batch of m examples (the gather does, each step). */
void dropout_draw(const Dropout *d, Rng *rng, size_t m);

/* Chapter 11: d draws its masks for the share of each batch share says
 * (NULL: whole batches again), and share knows d. */
void dropout_share(Dropout *d, DropoutShare *share);

/* The masks of this process's m columns of the batch, from share->first:
 * those of the whole batch drawn, the others dropped (m may be 0: a process
 * with no examples of this batch still draws, to stay in step). */
void dropout_draw_share(const Dropout *d, size_t m);

#endif
