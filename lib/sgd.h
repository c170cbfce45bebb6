/* sgd.h: mini-batch stochastic gradient descent.
 *
 * The epoch loop (epoch.h) visits the training examples in a new random
 * order, m at a time. For each mini-batch this step runs the forward pass,
 * the loss, the backward pass, and the update rule, for every parameter θ
 * and learning rate α:
 *     θ = θ - α · dθ
 * The gradient of a mini-batch is a noisy estimate of the full gradient, much
 * cheaper to compute: many small steps beat a few exact ones. A batch as large
 * as the training set is the notebook's full-batch gradient descent. */
#ifndef NN_SGD_H
#define NN_SGD_H

#include <stddef.h>

#include "backprop.h"
#include "epoch.h"
#include "mnist.h"
#include "net.h"
#include "rng.h"

/* Everything a step needs, made once before the first batch, so that the
 * training loop allocates nothing. */
typedef struct {
    Net *net;
    const MnistSet *set; /* the training images */
    real learning_rate;  /* α */
    Matrix *X, *Y;       /* (784×m), (10×m): the mini-batch, gathered by copying */
    Forward *f;
    Grads *g;
} Trainer;

/* A trainer of net on the images of set, at learning rate α, for batches of
 * up to batch_size. */
Trainer *trainer_new(Net *net, const MnistSet *set, size_t batch_size, real learning_rate);
void trainer_free(Trainer *t);

/* θ = θ - α dθ for W1, b1, W2, b2. */
void sgd_update(Net *net, const Grads *g, real learning_rate);

/* One step on a batch of the trainer's set, a BatchStepFn (epoch.h): gather,
 * forward, loss, backward, update. Returns the batch's loss before the
 * update; adds its right guesses to *correct. */
double sgd_step(void *trainer, const Batch *batch, size_t *correct);

#endif
