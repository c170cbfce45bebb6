/* gradcheck.h: checking an analytic gradient against centred differences.
 *
 * For a scalar loss L and a tensor T it depends on, the numeric gradient of
 * each entry is the centred difference
 *     ∂L/∂t ≈ (L(t + h) - L(t - h)) / 2h,      h = 1e-5,
 * whose error shrinks like h², and the two are compared by the relative error
 *     |a - n| / max(|a|, |n|)    (0 when both are below 1e-12).
 * The policy: in double, pass at 1e-7 on smooth paths;
 * on paths through a ReLU pass at 1e-6, after making sure no pre-activation
 * lies within 10·h of the kink at 0 (where no derivative exists). A check in
 * which every gradient was zero fails: it checked nothing.
 * Every check that grades builds in double. A float build (make gradcheck's
 * second table) can show less: its 7 digits leave the best centred
 * difference near h = 1e-2, right to about 1e-4, so it passes at 1e-3:
 * agreement to float precision, enough to catch a formula off by a factor or
 * a sign, not one wrong in its fifth digit.
 * Nothing here knows about networks: any layer's gradient can be checked. */
#ifndef NN_GRADCHECK_H
#define NN_GRADCHECK_H

#include <stddef.h>

#include "matrix.h"

#ifdef NN_REAL_DOUBLE
#define GRADCHECK_STEP       1e-5 /* h */
#define GRADCHECK_SMOOTH_TOL 1e-7 /* pass threshold on smooth paths */
#define GRADCHECK_KINK_TOL   1e-6 /* pass threshold on paths through a ReLU */
#else
/* float: agreement to float precision */
#define GRADCHECK_STEP       1e-2
#define GRADCHECK_SMOOTH_TOL 1e-3
#define GRADCHECK_KINK_TOL   1e-3
#endif
#define GRADCHECK_ZERO 1e-12 /* below this, a gradient counts as zero */

/* The loss at the current values of whatever tensors ctx points to. */
typedef double (*LossFn)(void *ctx);

typedef struct {
    const char *name;            /* the tensor, as in the formulas: "dW1" */
    size_t checked;              /* entries compared */
    double max_rel_error;        /* the largest relative error over the entries */
    size_t worst_row, worst_col; /* where it was */
    double analytic, numeric;    /* both gradients there */
    int all_zero;                /* every analytic and numeric entry was zero */
    double tolerance;            /* the threshold it was held to */
    int passed;                  /* max_rel_error ≤ tolerance and not all_zero */
} GradCheck;

/* |a - n| / max(|a|, |n|), or 0 when both are below GRADCHECK_ZERO. */
double gradcheck_relative_error(double analytic, double numeric);

/* The centred difference of loss(ctx) with respect to entry i of T, which the
 * loss must read. T is restored exactly afterwards. */
double gradcheck_numeric(Matrix *T, size_t i, LossFn loss, void *ctx, double h);

/* Compares every entry of `analytic` with the numeric gradient of loss(ctx)
 * with respect to the same entry of T (same shape), at step GRADCHECK_STEP. */
GradCheck gradcheck_tensor(const char *name, Matrix *T, const Matrix *analytic, LossFn loss,
                           void *ctx, double tolerance);

/* True when every entry of the pre-activations Z lies at least 10·h from the
 * ReLU's kink at 0, so that no perturbation of size h can cross it. */
int gradcheck_clear_of_kink(const Matrix *Z, double h);

/* Writes a one-line verdict into buf: the tensor, the worst index, both
 * values, the relative error and the threshold, or why it checked nothing. */
void gradcheck_describe(const GradCheck *c, char *buf, size_t size);

#endif
