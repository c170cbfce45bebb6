/* conv_check.h: the gradient check of chapter 10's layers (gradcheck.h's
 * policy, chapter 04's style), for the program's table and the tests.
 *
 * A tiny network written as convnet.h's text ("2x6x5,conv3k3s2p1,pool2,4")
 * and a batch of m are drawn from a seed, again and again until the check
 * can be exact: every hidden pre-activation at least 10·h from ReLU's kink,
 * with some on each side, and every pooling window's maximum at least 10·h
 * above the window's next value (a tie has no derivative: the gradient is
 * routed to the first maximum by pool.h's rule, which check_10_conv.c tests
 * on its own). Then every parameter tensor, dW and db of every layer, and
 * dX, the gradient by the input (through the first layer's col2im), is
 * compared with centred differences of the mean cross-entropy. */
#ifndef NN_CONV_CHECK_H
#define NN_CONV_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "gradcheck.h"
#include "model.h"

typedef struct {
    Model *model;
    Matrix *X, *Y;       /* the batch (inputs×m) and its one-hot labels */
    const ModelOps *ops; /* how the layers are computed: what is checked */
} ConvProblem;

/* The problem for layers (convnet.h's text, valid: a bug otherwise), seed and
 * m, computed by ops. conv_problem_free frees it. */
ConvProblem *conv_problem_new(const char *layers, uint64_t seed, size_t m, const ModelOps *ops);
void conv_problem_free(ConvProblem *p);

/* The most tensors a check compares: dW and db of every layer, and dX. */
enum { CONV_CHECK_MAX = 2 * MODEL_MAX_SIZES + 1 };

/* Checks "dW1", "db1", ..., "dWL", "dbL" and "dX" (the last only when the
 * first layer convolves) into checks; returns how many. A backward pass
 * that stops on a bug (nn_on_bug, fail.h) is the caller's to catch. */
size_t conv_check_all(ConvProblem *p, GradCheck *checks);

#endif
