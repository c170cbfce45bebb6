/* sgd.h: mini-batch stochastic gradient descent.
 *
 * Each epoch visits the training examples in a new random order, m at a time.
 * For each mini-batch it runs the forward pass, the loss, the backward pass,
 * and the update rule, for every parameter θ and learning rate α:
 *     θ = θ - α · dθ
 * The gradient of a mini-batch is a noisy estimate of the full gradient, much
 * cheaper to compute: many small steps beat a few exact ones. A batch as large
 * as the training set is the seed notebook's full-batch gradient descent. */
#ifndef NN_SGD_H
#define NN_SGD_H

#include <stddef.h>

#include "backprop.h"
#include "mnist.h"
#include "net.h"
#include "rng.h"

/* A loss above this means training has blown up: a network that guesses
 * uniformly scores ln 10 = 2.3, and even the seed's untrained one below 10. */
#define SGD_DIVERGED_LOSS 100.0

/* Everything a step needs, made once before the first batch, so that the
 * training loop allocates nothing. */
typedef struct {
    size_t batch_size;
    Matrix *X, *Y; /* (784×m), (10×m): the mini-batch, gathered by copying */
    Forward *f;
    Grads *g;
} Trainer;

Trainer *trainer_new(const Net *net, size_t batch_size);
void trainer_free(Trainer *t);

/* θ = θ - α dθ for W1, b1, W2, b2. */
void sgd_update(Net *net, const Grads *g, real learning_rate);

/* One step on the examples index[0..m-1] of `set` (m ≤ batch_size). Returns
 * the batch's loss before the update; adds its right guesses to *correct. */
double sgd_step(Net *net, Trainer *t, const MnistSet *set, const size_t *index, size_t m,
                real learning_rate, size_t *correct);

/* Called after every step with the step's number in the epoch (from 1), its
 * loss and the number of images the epoch has seen so far. */
typedef void (*StepFn)(void *ctx, size_t step, double loss, size_t images);

/* Shuffles order[0..n-1] and runs one step per mini-batch of it (the last one
 * may be smaller). Returns the mean loss of its steps, weighted by batch size,
 * and adds the right guesses to *correct. If a loss comes out NaN, infinite or
 * above SGD_DIVERGED_LOSS the epoch stops at once and returns it, with the
 * step in *bad_step. */
double sgd_epoch(Net *net, Trainer *t, const MnistSet *set, size_t *order, size_t n, Rng *rng,
                 real learning_rate, size_t *correct, size_t *bad_step, StepFn on_step, void *ctx);

#endif
