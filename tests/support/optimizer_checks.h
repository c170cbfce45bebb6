/* optimizer_checks.h: the checks of chapter 07's update rules (momentum, Adam, weight decay),
 * each written as a function of the optimizer_update under test, against numbers worked out by
 * hand, so that the suite grading lib/optimizer.c and lib/weight_decay.c (check_07_training.c)
 * and the one proving the checks catch real mistakes (check_07_checker.c) run the same checks.
 * Header-only, like sample.h. */
#ifndef NN_TESTS_OPTIMIZER_CHECKS_H
#define NN_TESTS_OPTIMIZER_CHECKS_H

#include <math.h>

#include "optimizer.h"
#include "testkit.h"

/* A 1-input, 1-unit, 1-output model whose parameters are all `theta` and
 * whose gradients are all `g`. */
static inline Model *scalar_model(real theta, real g)
{
    size_t sizes[] = {1, 1, 1};
    Model *model = model_new(sizes, 3, 1);
    for (size_t l = 0; l < 2; l++) {
        Layer *layer = &model->layers[l];
        layer->W->data[0] = layer->b->data[0] = theta;
        layer->dW->data[0] = layer->db->data[0] = g;
    }
    return model;
}

/* An optimizer of the given kind at a constant α = 0.1. */
static inline Optimizer *optimizer_of(const Model *model, OptimizerKind kind, double lambda)
{
    return optimizer_new(model, kind, (Schedule){SCHEDULE_CONSTANT, 0.1, 10, 0}, lambda);
}

/* A whole step: optimizer_update, a student's, or a deliberately wrong one. */
typedef void (*UpdateFn)(Optimizer *opt, Model *model);

/* Momentum from θ = 2, α = 0.1, μ = 0.9, worked by hand, on W2:
 *   g = 0.5:   o = 0.5,                θ = 2 - 0.05 = 1.95
 *   g = 0.5:   o = 0.9·0.5 + 0.5 = 0.95,  θ = 1.95 - 0.095 = 1.855
 *   g = -0.5 (the gradient turns): o = 0.855 - 0.5 = 0.355, θ = 1.855 - 0.0355 = 1.8195 */
static inline int momentum_adds_up(UpdateFn update, Outcome *o)
{
    const real g[] = {0.5f, 0.5f, -0.5f};
    const double theta[] = {1.95, 1.855, 1.8195};
    Model *model = scalar_model(2, g[0]);
    Optimizer *opt = optimizer_of(model, OPTIMIZER_MOMENTUM, 0);
    for (size_t t = 0; t < 3; t++) {
        model->layers[1].dW->data[0] = g[t];
        update(opt, model);
        double W2 = model->layers[1].W->data[0];
        outcome_expect(o, fabs(W2 - theta[t]) < 1e-6, "momentum, step %zu: W2 is %.7f, not %.7f",
                       t + 1, W2, theta[t]);
    }
    optimizer_free(opt), model_free(model);
    return !o->failed;
}

/* Three steps whose gradient changes, 0.5, -0.2, 0.1, worked by hand with
 * β1 = 0.9, β2 = 0.999, α = 0.1 from θ = 2:
 *   t = 1: m = 0.05,   s = 0.00025,    m̂ = 0.5,      ŝ = 0.25,     θ = 1.9
 *   t = 2: m = 0.025,  s = 0.00028975, m̂ = 0.131579, ŝ = 0.144947, θ = 1.8654394
 *   t = 3: m = 0.0325, s = 0.00029946, m̂ = 0.119926, ŝ = 0.099920, θ = 1.8275002
 * (β1 and β2 swapped give 1.8598821 at t = 2.) Every parameter of every
 * layer, weights and biases. */
static inline int adam_follows_its_formulas(UpdateFn update, Outcome *o)
{
    const real g[] = {0.5f, -0.2f, 0.1f};
    const double theta[] = {1.9, 1.8654394, 1.8275002};
    Model *model = scalar_model(2, g[0]);
    Optimizer *opt = optimizer_of(model, OPTIMIZER_ADAM, 0);
    for (size_t t = 0; t < 3; t++) {
        for (size_t l = 0; l < 2; l++)
            model->layers[l].dW->data[0] = model->layers[l].db->data[0] = g[t];
        update(opt, model);
        for (size_t l = 0; l < 2; l++) {
            double W = model->layers[l].W->data[0], b = model->layers[l].b->data[0];
            outcome_expect(o, fabs(W - theta[t]) < 1e-5, "Adam, step %zu: W%zu is %.7f, not %.7f",
                           t + 1, l + 1, W, theta[t]);
            outcome_expect(o, fabs(b - theta[t]) < 1e-5, "Adam, step %zu: b%zu is %.7f, not %.7f",
                           t + 1, l + 1, b, theta[t]);
        }
    }
    optimizer_free(opt), model_free(model);
    return !o->failed;
}

/* With every gradient zero, one SGD step with decay λ = 0.01 at α = 0.1 is
 * the decay alone: every weight of every layer times 1 - αλ = 0.999, once,
 * and every bias untouched. */
static inline int weight_decay_shrinks_weights_once(UpdateFn update, Outcome *o)
{
    size_t sizes[] = {4, 3, 5, 2};
    Model *model = model_new(sizes, 4, 1), *before = model_new(sizes, 4, 1);
    Rng rng;
    rng_seed(&rng, 3);
    model_init_he(model, &rng);
    for (size_t l = 0; l < 3; l++) {
        Layer *x = &model->layers[l];
        rng_fill_uniform(&rng, x->b, -1, 1);
        mat_copy(before->layers[l].W, x->W), mat_copy(before->layers[l].b, x->b);
        mat_fill(x->dW, 0), mat_fill(x->db, 0);
    }
    Optimizer *opt = optimizer_of(model, OPTIMIZER_SGD, 0.01);
    update(opt, model);
    for (size_t l = 0; l < 3; l++) {
        const Layer *x = &model->layers[l], *y = &before->layers[l];
        for (size_t i = 0; i < x->units * x->inputs; i++)
            outcome_expect(
                o, fabs(x->W->data[i] - 0.999 * y->W->data[i]) <= 1e-6 * fabs(y->W->data[i]),
                "weight decay: W%zu[%zu] is %.8g, not 0.999 × %.8g", l + 1, i,
                (double)x->W->data[i], (double)y->W->data[i]);
        for (size_t i = 0; i < x->units; i++)
            outcome_expect(o, x->b->data[i] == y->b->data[i], "weight decay: b%zu[%zu] was decayed",
                           l + 1, i);
    }
    optimizer_free(opt), model_free(model), model_free(before);
    return !o->failed;
}

#endif
