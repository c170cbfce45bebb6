/* backprop_check.c: the six gradient checks of the backward pass (backprop_check.h). */
#include "backprop_check.h"

#include <stdlib.h>

#include "dense.h"
#include "fail.h"
#include "loss.h"
#include "relu.h"
#include "rng.h"
#include "softmax.h"

/* clang-format off */
const char *const CHECK_FORMULA_NAMES[CHECK_FORMULAS] = {
    [CHECK_dZ2] = "dZ2 = A2 - Y",
    [CHECK_dW2] = "dW2 = (1/m) dZ2 A1ᵀ",
    [CHECK_db2] = "db2 = (1/m) Σ dZ2",
    [CHECK_dZ1] = "dZ1 = W2ᵀ dZ2 ⊙ ReLU'(Z1)",
    [CHECK_dW1] = "dW1 = (1/m) dZ1 Xᵀ",
    [CHECK_db1] = "db1 = (1/m) Σ dZ1",
};
/* clang-format on */

static void random_one_hot(Matrix *Y, Rng *rng)
{
    mat_fill(Y, 0);
    for (size_t c = 0; c < Y->cols; c++) MAT_AT(Y, rng_below(rng, Y->rows), c) = 1;
}

/* True when some pre-activation is on (so gradients flow), some is off (so a
 * missing ReLU' shows) and, with two examples or more, some hidden unit is on
 * for one example and off for another (so the ReLU' must be applied example
 * by example, before any sum over them). A 1×1 Z1 only needs to be on. */
static int exercises_relu(const Matrix *Z1)
{
    int on = 0, off = Z1->rows * Z1->cols == 1, mixed = Z1->cols == 1;
    for (size_t r = 0; r < Z1->rows; r++) {
        int row_on = 0, row_off = 0;
        for (size_t c = 0; c < Z1->cols; c++) {
            row_on |= MAT_AT(Z1, r, c) > 0;
            row_off |= MAT_AT(Z1, r, c) < 0;
        }
        on |= row_on, off |= row_off, mixed |= row_on && row_off;
    }
    return on && off && mixed;
}

CheckProblem *check_problem_new(uint64_t seed, size_t inputs, size_t hidden, size_t classes,
                                size_t m)
{
    CheckProblem *p = nn_alloc(1, sizeof *p, "a gradient-check problem");
    Rng rng;
    rng_seed(&rng, seed);
    p->net = net_new(inputs, hidden, classes);
    p->X = mat_new(inputs, m);
    p->Y = mat_new(classes, m);
    random_one_hot(p->Y, &rng);
    p->f = forward_new(p->net, m);
    p->g = grads_new(p->net, m);
    int tries = 0;
    do {
        NN_REQUIRE(++tries <= 10000, "no draw in 10000 exercises the ReLU away from its kink");
        net_init_uniform(p->net, &rng);
        rng_fill_uniform(&rng, p->X, 0, 1);
        net_forward(p->net, p->X, p->f);
    } while (!gradcheck_clear_of_kink(p->f->Z1, GRADCHECK_STEP) || !exercises_relu(p->f->Z1));
    softmax(p->f->A2, p->f->Z2);
    return p;
}

void check_problem_free(CheckProblem *p)
{
    if (p == NULL) return;
    net_free(p->net), mat_free(p->X), mat_free(p->Y), forward_free(p->f), grads_free(p->g);
    free(p);
}

/* What the numeric derivatives perturb and recompute. */
typedef struct {
    CheckProblem *p;
    Forward *scratch; /* a forward pass of its own, so p->f stays as backprop saw it */
    Matrix *Z1, *Z2;  /* copies of the pre-activations, perturbed in place */
} LossContext;

/* L, the mean loss, as a function of the parameters. */
static double loss_of_parameters(void *ctx)
{
    LossContext *c = ctx;
    net_forward(c->p->net, c->p->X, c->scratch);
    return cross_entropy(c->scratch->Z2, c->p->Y);
}

/* m·L as a function of Z2. */
static double summed_loss_of_Z2(void *ctx)
{
    LossContext *c = ctx;
    return (double)c->Z2->cols * cross_entropy(c->Z2, c->p->Y);
}

/* m·L as a function of Z1: A1 = ReLU(Z1), Z2 = W2·A1 + b2. */
static double summed_loss_of_Z1(void *ctx)
{
    LossContext *c = ctx;
    relu(c->scratch->A1, c->Z1);
    dense_forward(c->scratch->Z2, c->p->net->W2, c->scratch->A1, c->p->net->b2);
    return (double)c->Z1->cols * cross_entropy(c->scratch->Z2, c->p->Y);
}

int backprop_check(GradCheck result[CHECK_FORMULAS], CheckProblem *p, BackpropFn backward)
{
    backward(p->g, p->net, p->f, p->X, p->Y);
    LossContext c = {p, forward_new(p->net, p->X->cols), mat_new(p->f->Z1->rows, p->X->cols),
                     mat_new(p->f->Z2->rows, p->X->cols)};
    mat_copy(c.Z1, p->f->Z1);
    mat_copy(c.Z2, p->f->Z2);
    Net *net = p->net;
    const Grads *g = p->g;
    result[CHECK_dZ2] =
        gradcheck_tensor("dZ2", c.Z2, g->dZ2, summed_loss_of_Z2, &c, GRADCHECK_SMOOTH_TOL);
    result[CHECK_dW2] =
        gradcheck_tensor("dW2", net->W2, g->dW2, loss_of_parameters, &c, GRADCHECK_SMOOTH_TOL);
    result[CHECK_db2] =
        gradcheck_tensor("db2", net->b2, g->db2, loss_of_parameters, &c, GRADCHECK_SMOOTH_TOL);
    result[CHECK_dZ1] =
        gradcheck_tensor("dZ1", c.Z1, g->dZ1, summed_loss_of_Z1, &c, GRADCHECK_KINK_TOL);
    result[CHECK_dW1] =
        gradcheck_tensor("dW1", net->W1, g->dW1, loss_of_parameters, &c, GRADCHECK_KINK_TOL);
    result[CHECK_db1] =
        gradcheck_tensor("db1", net->b1, g->db1, loss_of_parameters, &c, GRADCHECK_KINK_TOL);
    forward_free(c.scratch), mat_free(c.Z1), mat_free(c.Z2);
    int failed = 0;
    for (int i = 0; i < CHECK_FORMULAS; i++) failed += !result[i].passed;
    return failed;
}
