/* backprop_check.h: the gradient check of every formula of the backward pass.
 *
 * On a tiny network (a handful of inputs, hidden units, classes and examples)
 * it runs a backward pass, then compares each of its six results with the
 * numeric gradient (gradcheck.h):
 *   dZ2 and dZ1 against the derivative of the summed loss m·L with respect to
 *   Z2 and Z1; dW2, db2, dW1, db1 against the derivative of the mean loss L.
 * The backward pass is a parameter, so the same check grades the library's
 * backprop, a student's, or a deliberately wrong one. */
#ifndef NN_BACKPROP_CHECK_H
#define NN_BACKPROP_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "backprop.h"
#include "gradcheck.h"
#include "net.h"

typedef void (*BackpropFn)(Grads *g, const Net *net, const Forward *f, const Matrix *X,
                           const Matrix *Y);

enum { CHECK_dZ2, CHECK_dW2, CHECK_db2, CHECK_dZ1, CHECK_dW1, CHECK_db1, CHECK_FORMULAS };

/* The six formulas as the lessons write them: "dZ2 = A2 - Y", ... */
extern const char *const CHECK_FORMULA_NAMES[CHECK_FORMULAS];

/* A tiny network with a batch to check it on. */
typedef struct {
    Net *net;
    Matrix *X, *Y; /* (inputs×m), one-hot (classes×m) */
    Forward *f;    /* the forward pass over X, A2 included */
    Grads *g;      /* what the backward pass under test returned */
} CheckProblem;

/* Draws random labels, then parameters uniform in (-0.5, 0.5) and X uniform
 * in [0, 1) from `seed`, drawing both again until every pre-activation of Z1
 * is clear of the ReLU's kink (gradcheck_clear_of_kink), some entry of Z1 is
 * on, some off, and some hidden unit is on for one example and off for
 * another: so gradients flow through the ReLU, and neither a missing ReLU'
 * nor one applied after the sum over examples can pass. */
CheckProblem *check_problem_new(uint64_t seed, size_t inputs, size_t hidden, size_t classes,
                                size_t m);
void check_problem_free(CheckProblem *p);

/* Runs `backward` on p and checks its six results; result[CHECK_dZ2] and so on
 * get one verdict each. Returns the number of formulas that failed. */
int backprop_check(GradCheck result[CHECK_FORMULAS], CheckProblem *p, BackpropFn backward);

#endif
