/* check_07_checker.c: the checks of chapter 07's rules have teeth. Deliberately wrong update
 * rules and dropouts, one mistake each, must fail the very checks that grade lib/optimizer.c,
 * lib/weight_decay.c and lib/dropout.c (support/optimizer_checks.h, support/dropout_checks.h),
 * each for the reason it is wrong, and the library's own code must pass them.
 *
 * Like check_04_checker.c, these tests check the checks, not a student: their runner
 * (checker-double-chNN) always links the library's own modules, so that a student's wrong
 * module is graded by the module's suites alone. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "dropout.h"
#include "fail.h"
#include "optimizer.h"
#include "support/dropout_checks.h"
#include "support/optimizer_checks.h"
#include "support/testkit.h"

/* ---- update rules, written as a student might write optimizer.c ------------------------------ */

/* One parameter tensor as a student's step sees it: θ (a layer's W or b), its gradient g, its
 * state (momentum's v, or Adam's m and s), and the layer it is of. */
typedef struct {
    Layer *layer;
    Matrix *theta, *g, *v, *s;
} Tensor;

typedef void (*TensorRule)(const Optimizer *opt, const Tensor *x);

/* The rule student_update runs: each test sets it before the check calls the update. */
static TensorRule student_rule;

/* A whole step the student's way: α_t and t = t + 1, then student_rule on every tensor, W then
 * b of each layer, with the state optimizer_new made for it. */
static void student_update(Optimizer *opt, Model *model)
{
    opt->alpha = schedule_rate(&opt->schedule, opt->t++);
    for (size_t i = 0; i < opt->tensors; i++) {
        Layer *layer = &model->layers[i / 2];
        int w = i % 2 == 0;
        Tensor x = {layer, w ? layer->W : layer->b, w ? layer->dW : layer->db, opt->v[i],
                    opt->s[i]};
        student_rule(opt, &x);
    }
}

/* Adam on every entry of x with the β's b1, b2 and the corrections c1, c2 it is given:
 * m = b1 m + (1 - b1) g;  s = b2 s + (1 - b2) g²;  θ = θ - α (m / c1) / (√(s / c2) + ε). */
static void adam_with(const Optimizer *opt, const Tensor *x, double b1, double b2, double c1,
                      double c2)
{
    for (size_t i = 0; i < x->theta->rows * x->theta->cols; i++) {
        real g = x->g->data[i], *m = &x->v->data[i], *s = &x->s->data[i];
        *m = (real)b1 * *m + (real)(1 - b1) * g;
        *s = (real)b2 * *s + (real)(1 - b2) * g * g;
        x->theta->data[i] -= (real)(opt->alpha * (*m / c1) / (sqrt(*s / c2) + opt->epsilon));
    }
}

/* A student who read the β's the wrong way round: m then averages the last thousand gradients
 * and s the last ten. Step 1 is right (m̂ = g, ŝ = g² whatever the β's); step 2 is 1.8598821,
 * not 1.8654394. */
static void adam_betas_swapped(const Optimizer *opt, const Tensor *x)
{
    double t = (double)opt->t, b1 = opt->beta2, b2 = opt->beta1; /* MISTAKE: β1 ↔ β2 */
    adam_with(opt, x, b1, b2, 1 - pow(b1, t), 1 - pow(b2, t));
}

/* A student who left out the bias correction: m and s start at zero, so the first steps are
 * far from α g / |g|: m / √s = 0.05 / 0.0158 = 3.16 makes step 1 go to 1.684, not 1.9. */
static void adam_uncorrected(const Optimizer *opt, const Tensor *x)
{
    adam_with(opt, x, opt->beta1, opt->beta2, 1, 1); /* MISTAKE: no 1 - β^t */
}

/* A student who kept the velocity in a local variable: v = μ·0 + g at every step, which is
 * plain SGD, so step 2 goes to 1.9, not 1.855. */
static void momentum_forgetting_v(const Optimizer *opt, const Tensor *x)
{
    for (size_t i = 0; i < x->theta->rows * x->theta->cols; i++) {
        real v = 0; /* MISTAKE: v made anew at every step, not kept in opt->v */
        v = (real)opt->momentum * v + x->g->data[i];
        x->theta->data[i] -= (real)opt->alpha * v;
    }
}

/* A student who shrank the layer's weights at each of its tensors' steps, W's and b's: the
 * weights are multiplied by 1 - αλ twice a step, 0.998, not 0.999. */
static void sgd_decaying_per_tensor(const Optimizer *opt, const Tensor *x)
{
    mat_scale(x->layer->W, (real)(1 - opt->alpha * opt->weight_decay)); /* MISTAKE: at b's too */
    mat_axpy(x->theta, (real)-opt->alpha, x->g);
}

/* A student who decayed every tensor, the biases too (dθ = dθ + λθ for b as for W): the check
 * sets the biases away from zero and finds them moved by a zero gradient. */
static void sgd_decaying_the_bias(const Optimizer *opt, const Tensor *x)
{
    mat_axpy(x->g, (real)opt->weight_decay, x->theta); /* MISTAKE: db = db + λb too */
    mat_axpy(x->theta, (real)-opt->alpha, x->g);
}

typedef int (*UpdateCheck)(UpdateFn update, Outcome *o);

static const struct {
    const char *mistake;
    UpdateCheck check;
    TensorRule rule;
    const char *says; /* what the check must say of it */
} update_mistakes[] = {
    {"Adam with β1 and β2 swapped", adam_follows_its_formulas, adam_betas_swapped,
     "Adam, step 2: W1 is 1.8598821, not 1.8654394"},
    {"Adam without its bias correction", adam_follows_its_formulas, adam_uncorrected,
     "Adam, step 1: W1 is 1.68377"},
    {"momentum whose velocity is not kept between steps", momentum_adds_up, momentum_forgetting_v,
     "momentum, step 2: W2 is 1.9000000, not 1.8550000"},
    {"weight decay applied at each tensor of a layer", weight_decay_shrinks_weights_once,
     sgd_decaying_per_tensor, "weight decay: W1[0] is"},
    {"weight decay on the biases too", weight_decay_shrinks_weights_once, sgd_decaying_the_bias,
     "weight decay: b1[0] was decayed"},
};

START_TEST(the_update_checks_reject_each_mistake)
{
    Outcome right = {0}, wrong = {0};
    update_mistakes[_i].check(optimizer_update, &right);
    student_rule = update_mistakes[_i].rule;
    update_mistakes[_i].check(student_update, &wrong);
    assert_catches(update_mistakes[_i].mistake, &right, &wrong, update_mistakes[_i].says);
}
END_TEST

/* ---- dropout, written as a student might write dropout.c ------------------------------------- */

/* dropout.c's dropout_draw copied, with one line wrong: a student who kept units with a mask of
 * 1, not 1/keep, so that training sees hidden outputs keep times smaller than evaluation does;
 * the check reads every entry of the masks. */
static void draw_without_rescaling(const Dropout *d, Rng *rng, size_t m)
{
    real kept = 1; /* MISTAKE: not 1/keep */
    for (size_t l = 0; l < d->count; l++) {
        Matrix *M = d->masks[l];
        mat_set_cols(M, m);
        for (size_t i = 0; i < M->rows * M->cols; i++)
            M->data[i] = rng_uniform(rng) < d->keep ? kept : 0;
    }
}

/* The library's dropout_new, then masks for every layer: a student who counted L layers to
 * drop, not the L - 1 hidden ones, so that the logits are dropped too; the checks count the
 * masks, and compare the logits with W·A + b of the layer below. */
static Dropout *dropout_on_every_layer(const Model *model, double keep, const ModelOps *inner,
                                       Rng *rng)
{
    Dropout *d = dropout_new(model, keep, inner, rng);
    Matrix **masks = nn_alloc(model->count, sizeof *masks, "the dropout masks");
    for (size_t l = 0; l < model->count; l++)
        masks[l] = l < d->count ? d->masks[l] : mat_new(model->layers[l].units, model->batch);
    free(d->masks);
    d->masks = masks, d->count = model->count; /* MISTAKE: the output layer's mask too */
    return d;
}

typedef int (*DropoutCheck)(DropoutFns f, Outcome *o);

static const struct {
    const char *mistake;
    DropoutCheck check;
    DropoutFns dropout;
    const char *says; /* what the check must say of it */
} dropout_mistakes[] = {
    {"dropout not rescaled by 1/keep",
     dropout_scales_by_inverse_keep,
     {dropout_new, draw_without_rescaling},
     "is 1, not 0 or 1/keep = 1.25"},
    {"dropout on the output layer",
     dropout_scales_by_inverse_keep,
     {dropout_on_every_layer, dropout_draw},
     "dropout masks 3 layers, not the 2 hidden ones"},
    {"dropout on the output layer",
     dropout_spares_the_output,
     {dropout_on_every_layer, dropout_draw},
     "logit 0 is"},
};

START_TEST(the_dropout_checks_reject_each_mistake)
{
    Outcome right = {0}, wrong = {0};
    dropout_mistakes[_i].check((DropoutFns){dropout_new, dropout_draw}, &right);
    dropout_mistakes[_i].check(dropout_mistakes[_i].dropout, &wrong);
    assert_catches(dropout_mistakes[_i].mistake, &right, &wrong, dropout_mistakes[_i].says);
}
END_TEST

Suite *suite_07_checker(void);
Suite *suite_07_checker(void)
{
    Suite *s = suite_create("07 checker");
    TCase *teeth = tcase_create("mistakes caught");
    tcase_add_loop_test(teeth, the_update_checks_reject_each_mistake, 0,
                        sizeof update_mistakes / sizeof update_mistakes[0]);
    tcase_add_loop_test(teeth, the_dropout_checks_reject_each_mistake, 0,
                        sizeof dropout_mistakes / sizeof dropout_mistakes[0]);
    suite_add_tcase(s, teeth);
    return s;
}
