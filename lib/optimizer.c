/* optimizer.c: the update rules (optimizer.h). */
#include "optimizer.h"

#include <math.h>
#include <stdlib.h>

#include "fail.h"
#include "weight_decay.h"

Optimizer *optimizer_new(const Model *model, OptimizerKind kind, Schedule schedule,
                         double weight_decay)
{
    Optimizer *opt = nn_alloc(1, sizeof *opt, "the optimizer");
    *opt = (Optimizer){.kind = kind,
                       .schedule = schedule,
                       .momentum = 0.9,
                       .beta1 = 0.9,
                       .beta2 = 0.999,
                       .epsilon = 1e-8,
                       .weight_decay = weight_decay,
                       .tensors = 2 * model->count};
    opt->v = nn_alloc(opt->tensors, sizeof *opt->v, "the optimizer's state");
    opt->s = nn_alloc(opt->tensors, sizeof *opt->s, "the optimizer's state");
    for (size_t i = 0; i < opt->tensors; i++) {
        const Layer *layer = &model->layers[i / 2];
        const Matrix *theta = i % 2 == 0 ? layer->W : layer->b;
        opt->v[i] = kind == OPTIMIZER_SGD ? NULL : mat_new(theta->rows, theta->cols);
        opt->s[i] = kind == OPTIMIZER_ADAM ? mat_new(theta->rows, theta->cols) : NULL;
    }
    return opt;
}

void optimizer_free(Optimizer *opt)
{
    if (opt == NULL) return;
    for (size_t i = 0; i < opt->tensors; i++) mat_free(opt->v[i]), mat_free(opt->s[i]);
    free(opt->v), free(opt->s);
    free(opt);
}

/* Entries i0..i1-1 of θ: v = μ v + g;  θ = θ - α v */
static void momentum_step(Matrix *theta, const Matrix *g, Matrix *v, size_t i0, size_t i1, real mu,
                          real alpha)
{
    for (size_t i = i0; i < i1; i++) {
        v->data[i] = mu * v->data[i] + g->data[i];
        theta->data[i] -= alpha * v->data[i];
    }
}

/* Entries i0..i1-1 of θ: m = β1 m + (1-β1) g;  s = β2 s + (1-β2) g²;
 * θ = θ - α m̂ / (√ŝ + ε) */
static void adam_step(const Optimizer *opt, Matrix *theta, const Matrix *g, Matrix *m, Matrix *s,
                      size_t i0, size_t i1)
{
    /* 1 - β in the constants' double, then rounded: float's 1 - 0.999f is 0.00099998713 */
    real b1 = (real)opt->beta1, b2 = (real)opt->beta2, eps = (real)opt->epsilon;
    real one_minus_b1 = (real)(1 - opt->beta1), one_minus_b2 = (real)(1 - opt->beta2);
    for (size_t i = i0; i < i1; i++) {
        m->data[i] = b1 * m->data[i] + one_minus_b1 * g->data[i];
        s->data[i] = b2 * s->data[i] + one_minus_b2 * g->data[i] * g->data[i];
        real m_hat = m->data[i] / opt->unbias1, s_hat = s->data[i] / opt->unbias2;
        theta->data[i] -= (real)opt->alpha * m_hat / (real_sqrt(s_hat) + eps);
    }
}

/* The rule on rows r0..r1-1 of parameter tensor `tensor` (θ, its gradient g). */
static void rule_step(const Optimizer *opt, size_t tensor, Matrix *theta, const Matrix *g,
                      size_t r0, size_t r1)
{
    size_t i0 = r0 * theta->cols, i1 = r1 * theta->cols;
    Matrix rows = mat_rows(theta, r0, r1), g_rows = mat_rows(g, r0, r1);
    switch (opt->kind) {
    case OPTIMIZER_SGD: mat_axpy(&rows, (real)-opt->alpha, &g_rows); break; /* θ = θ - α g */
    case OPTIMIZER_MOMENTUM:
        momentum_step(theta, g, opt->v[tensor], i0, i1, (real)opt->momentum, (real)opt->alpha);
        break;
    case OPTIMIZER_ADAM: adam_step(opt, theta, g, opt->v[tensor], opt->s[tensor], i0, i1); break;
    }
}

/* Once per step, before any rows: α_t, then t = t + 1 and Adam's 1 - β^t. */
static void optimizer_begin(void *optimizer)
{
    Optimizer *opt = optimizer;
    opt->alpha = schedule_rate(&opt->schedule, opt->t);
    opt->t++;
    opt->unbias1 = (real)(1 - pow(opt->beta1, (double)opt->t)); /* 1 - β1^t */
    opt->unbias2 = (real)(1 - pow(opt->beta2, (double)opt->t)); /* 1 - β2^t */
}

/* Rows r0..r1-1 of layer l: weight decay on W, then the rule on W and b. */
static void optimizer_rows(void *optimizer, Layer *layer, size_t l, size_t r0, size_t r1)
{
    const Optimizer *opt = optimizer;
    if (opt->weight_decay > 0) weight_decay_rows(layer, r0, r1, opt->weight_decay);
    rule_step(opt, 2 * l, layer->W, layer->dW, r0, r1);
    rule_step(opt, 2 * l + 1, layer->b, layer->db, r0, r1);
}

Update optimizer_as_update(Optimizer *opt)
{
    return (Update){optimizer_begin, optimizer_rows, opt, NULL};
}

void optimizer_update(Optimizer *opt, Model *model)
{
    optimizer_begin(opt);
    for (size_t l = 0; l < model->count; l++)
        optimizer_rows(opt, &model->layers[l], l, 0, model->layers[l].W->rows);
}

const char *const OPTIMIZER_NAMES[] = {"sgd", "momentum", "adam", NULL};
