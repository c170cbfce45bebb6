/* optimizer.c: the update rules (optimizer.h). */
#include "optimizer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "weight_decay.h"

Optimizer *optimizer_new(const Model *model, OptimizerKind kind, Schedule schedule,
                         double weight_decay)
{
    Optimizer *opt = nn_alloc(1, sizeof *opt, "the optimizer");
    *opt = (Optimizer){.kind = kind, .schedule = schedule, .momentum = 0.9, .beta1 = 0.9,
                       .beta2 = 0.999, .epsilon = 1e-8, .weight_decay = weight_decay,
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

/* v = μ v + g;  θ = θ - α v */
static void momentum_step(Matrix *theta, const Matrix *g, Matrix *v, real mu, real alpha)
{
    for (size_t i = 0; i < theta->rows * theta->cols; i++) {
        v->data[i] = mu * v->data[i] + g->data[i];
        theta->data[i] -= alpha * v->data[i];
    }
}

/* m = β1 m + (1-β1) g;  s = β2 s + (1-β2) g²;  θ = θ - α m̂ / (√ŝ + ε) */
static void adam_step(const Optimizer *opt, Matrix *theta, const Matrix *g, Matrix *m, Matrix *s,
                      double alpha)
{
    real b1 = (real)opt->beta1, b2 = (real)opt->beta2, eps = (real)opt->epsilon;
    real unbias1 = (real)(1 - pow(opt->beta1, (double)opt->t)); /* 1 - β1^t */
    real unbias2 = (real)(1 - pow(opt->beta2, (double)opt->t)); /* 1 - β2^t */
    for (size_t i = 0; i < theta->rows * theta->cols; i++) {
        m->data[i] = b1 * m->data[i] + (1 - b1) * g->data[i];
        s->data[i] = b2 * s->data[i] + (1 - b2) * g->data[i] * g->data[i];
        real m_hat = m->data[i] / unbias1, s_hat = s->data[i] / unbias2;
        theta->data[i] -= (real)alpha * m_hat / ((real)sqrt((double)s_hat) + eps);
    }
}

void optimizer_update(void *optimizer, Model *model)
{
    Optimizer *opt = optimizer;
    double alpha = schedule_rate(&opt->schedule, opt->t);
    opt->t++;
    if (opt->weight_decay > 0) weight_decay_gradient(model, opt->weight_decay);
    for (size_t i = 0; i < opt->tensors; i++) {
        Layer *layer = &model->layers[i / 2];
        Matrix *theta = i % 2 == 0 ? layer->W : layer->b;
        const Matrix *g = i % 2 == 0 ? layer->dW : layer->db;
        switch (opt->kind) {
        case OPTIMIZER_SGD: mat_axpy(theta, (real)-alpha, g); break; /* θ = θ - α g */
        case OPTIMIZER_MOMENTUM:
            momentum_step(theta, g, opt->v[i], (real)opt->momentum, (real)alpha);
            break;
        case OPTIMIZER_ADAM: adam_step(opt, theta, g, opt->v[i], opt->s[i], alpha); break;
        }
    }
}

int optimizer_parse(const char *text, OptimizerKind *kind)
{
    const char *names[] = {"sgd", "momentum", "adam"};
    for (int i = 0; i < 3; i++)
        if (strcmp(text, names[i]) == 0) {
            *kind = (OptimizerKind)i;
            return 0;
        }
    return -1;
}
