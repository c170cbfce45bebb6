/* conv_check.c: the gradient check of chapter 10's layers (conv_check.h). */
#include "conv_check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "conv_layer.h"
#include "convnet.h"
#include "fail.h"
#include "loss.h"
#include "rng.h"

/* True when every entry of Z is clear of the kink and some are on each side. */
static int relu_usable(const Matrix *Z)
{
    size_t on = 0, n = Z->rows * Z->cols;
    for (size_t i = 0; i < n; i++) on += Z->data[i] > 0;
    return gradcheck_clear_of_kink(Z, GRADCHECK_STEP) && on > 0 && on < n;
}

/* True when, in every pooling window of the layer's Z, the maximum stands
 * 10·h above every other entry: no step of h can change which one wins. */
static int pooling_usable(const Layer *l)
{
    const ConvShape *s = l->conv;
    size_t oh = conv_out_height(&s->in), ow = conv_out_width(&s->in), m = l->Z->cols;
    for (size_t f = 0; f < s->filters; f++)
        for (size_t y = 0; y + s->pool <= oh; y += s->pool)
            for (size_t x = 0; x + s->pool <= ow; x += s->pool)
                for (size_t j = 0; j < m; j++) {
                    double first = -INFINITY, second = -INFINITY;
                    for (size_t dy = 0; dy < s->pool; dy++)
                        for (size_t dx = 0; dx < s->pool; dx++) {
                            double z = MAT_AT(l->Z, (f * oh + y + dy) * ow + x + dx, j);
                            second = z > first ? first : fmax(second, z);
                            first = fmax(first, z);
                        }
                    if (first - second < 10 * GRADCHECK_STEP) return 0;
                }
    return 1;
}

static int usable(const Model *model)
{
    for (size_t l = 0; l + 1 < model->count; l++) {
        const Layer *layer = &model->layers[l];
        if (!relu_usable(layer->Z)) return 0;
        if (layer->conv != NULL && layer->conv->pool > 1 && !pooling_usable(layer)) return 0;
    }
    return 1;
}

ConvProblem *conv_problem_new(const char *layers, uint64_t seed, size_t m, const ModelOps *ops)
{
    ConvNetSpec spec;
    NnError err;
    NN_REQUIRE(convnet_parse(layers, &spec, &err) == 0, "%s", err.message);
    ConvProblem *p = nn_alloc(1, sizeof *p, "a gradient-check problem");
    p->model = convnet_new(&spec, m);
    p->X = mat_new(spec.units[0], m), p->Y = mat_new(spec.units[spec.count], m);
    p->ops = ops;
    Rng rng;
    rng_seed(&rng, seed);
    int tries = 0;
    do {
        NN_REQUIRE(++tries <= 10000, "%s: no draw in 10000 is clear of every kink and tie", layers);
        model_init_uniform(p->model, &rng);
        rng_fill_uniform(&rng, p->X, 0, 1);
        mat_fill(p->Y, 0);
        for (size_t j = 0; j < m; j++) MAT_AT(p->Y, rng_below(&rng, p->Y->rows), j) = 1;
        model_forward_with(p->model, p->X, ops);
    } while (!usable(p->model));
    return p;
}

void conv_problem_free(ConvProblem *p)
{
    if (p == NULL) return;
    model_free(p->model), mat_free(p->X), mat_free(p->Y);
    free(p);
}

/* The mean cross-entropy at the current parameters and input. */
static double problem_loss(void *ctx)
{
    ConvProblem *p = ctx;
    return cross_entropy(model_forward_with(p->model, p->X, p->ops), p->Y);
}

/* Compares analytic with the numeric gradient of T. The loss evaluations
 * run forward passes only, which leave every dW, db and dX as they are. */
static GradCheck check(ConvProblem *p, const char *name, Matrix *T, const Matrix *analytic)
{
    return gradcheck_tensor(name, T, analytic, problem_loss, p, GRADCHECK_KINK_TOL);
}

static const char *const NAMES[][2] = {
    {"dW1", "db1"},   {"dW2", "db2"},   {"dW3", "db3"},   {"dW4", "db4"},   {"dW5", "db5"},
    {"dW6", "db6"},   {"dW7", "db7"},   {"dW8", "db8"},   {"dW9", "db9"},   {"dW10", "db10"},
    {"dW11", "db11"}, {"dW12", "db12"}, {"dW13", "db13"}, {"dW14", "db14"}, {"dW15", "db15"},
};

size_t conv_check_all(ConvProblem *p, GradCheck *checks)
{
    Model *model = p->model;
    model_forward_with(model, p->X, p->ops);
    model_loss(model, p->Y);
    model_backward_with(model, p->X, p->Y, p->ops, NULL);
    Matrix *dX = NULL;
    if (model->layers[0].conv != NULL) { /* the first layer's dX, which training never needs */
        dX = mat_new(p->X->rows, p->X->cols);
        p->ops->backward(p->ops, model, 0, p->X, dX, NULL);
    }
    size_t n = 0;
    for (size_t l = 0; l < model->count; l++) {
        Layer *layer = &model->layers[l];
        checks[n++] = check(p, NAMES[l][0], layer->W, layer->dW);
        checks[n++] = check(p, NAMES[l][1], layer->b, layer->db);
    }
    if (dX != NULL) checks[n++] = check(p, "dX", p->X, dX);
    mat_free(dX);
    return n;
}
