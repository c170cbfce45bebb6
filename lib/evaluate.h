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

/* X (784×B), Y (10×B) and f (made for B) are workspace: their contents are lost. */
Score evaluate(const Net *net, const MnistSet *set, size_t first, size_t count, Matrix *X,
               Matrix *Y, Forward *f);

/* Shown each batch's logits Z2 (10×m), those of examples first..first+m-1 of set. */
typedef void (*BatchObserver)(void *ctx, const Matrix *Z2, const MnistSet *set, size_t first);

/* evaluate, showing every batch to observe(ctx, ...) as it goes (inspect.h uses it). */
Score evaluate_observed(const Net *net, const MnistSet *set, size_t first, size_t count,
                        Matrix *X, Matrix *Y, Forward *f, BatchObserver observe, void *ctx);

#endif
