/* evaluate.h: how good a network is on a stretch of a dataset.
 *
 * Runs the forward pass over examples first..first+count-1, in batches that
 * reuse the caller's matrices (so evaluating allocates nothing), and returns
 * the mean cross-entropy and the fraction guessed right. */
#ifndef NN_EVALUATE_H
#define NN_EVALUATE_H

#include <stddef.h>

#include "mnist.h"
#include "net.h"

typedef struct {
    double loss;     /* mean cross-entropy */
    double accuracy; /* fraction right, in [0, 1] */
} Score;

/* How many of `count` training images to hold out for validation: the last
 * 10,000 of MNIST's 60,000, or a quarter of a smaller set (the sample), but
 * at least one, and always leaving one to train on: count must be 2 or more
 * (mnist_load_both refuses smaller training sets). */
size_t validation_count(size_t count);

/* X (784×B), Y (10×B) and f (made for B) are workspace: their contents are lost. */
Score evaluate(const Net *net, const MnistSet *set, size_t first, size_t count, Matrix *X,
               Matrix *Y, Forward *f);

/* Shown each batch's logits Z2 (10×m), those of examples first..first+m-1 of set. */
typedef void (*BatchObserver)(void *ctx, const Matrix *Z2, const MnistSet *set, size_t first);

/* A network's forward pass, as evaluation sees it: the logits (10×m) of the
 * batch X (784×m), computed in the network's own workspace. */
typedef const Matrix *(*LogitsFn)(void *network, const Matrix *X);

/* The loop behind every evaluation: examples first..first+count-1 in batches
 * of at most `batch` (and 256), through logits(network, X); each batch shown
 * to observe (may be NULL). Chapter 06's models are evaluated with it too. */
Score evaluate_batches(LogitsFn logits, void *network, size_t batch, const MnistSet *set,
                       size_t first, size_t count, Matrix *X, Matrix *Y, BatchObserver observe,
                       void *ctx);

/* evaluate, showing every batch to observe(ctx, ...) as it goes (inspect.h uses it). */
Score evaluate_observed(const Net *net, const MnistSet *set, size_t first, size_t count, Matrix *X,
                        Matrix *Y, Forward *f, BatchObserver observe, void *ctx);

#endif
