/* dropout.c: masks on the hidden layers while training (dropout.h). */
#include "dropout.h"

#include <stdlib.h>

#include "fail.h"
#include "softmax.h"

Dropout *dropout_new(const Model *model, double keep)
{
    NN_REQUIRE(keep > 0 && keep <= 1, "keep probability %g", keep);
    Dropout *d = nn_alloc(1, sizeof *d, "dropout");
    *d = (Dropout){.keep = keep, .count = model->count - 1};
    d->masks = nn_alloc(d->count == 0 ? 1 : d->count, sizeof *d->masks, "the dropout masks");
    for (size_t l = 0; l < d->count; l++) d->masks[l] = mat_new(model->layers[l].units, model->batch);
    return d;
}

void dropout_free(Dropout *d)
{
    if (d == NULL) return;
    for (size_t l = 0; l < d->count; l++) mat_free(d->masks[l]);
    free(d->masks);
    free(d);
}

void dropout_draw(Dropout *d, Rng *rng, size_t m)
{
    real kept = (real)(1 / d->keep);
    for (size_t l = 0; l < d->count; l++) {
        Matrix *M = d->masks[l];
        mat_set_cols(M, m);
        for (size_t i = 0; i < M->rows * M->cols; i++)
            M->data[i] = rng_uniform(rng) < d->keep ? kept : 0; /* 1/keep or 0 */
    }
}

const Matrix *dropout_forward(Dropout *d, Model *model, const Matrix *X)
{
    const Matrix *input = X;
    for (size_t l = 0; l < model->count; l++) {
        Layer *layer = &model->layers[l];
        layer_forward(layer, input);
        if (l < d->count) mat_hadamard(layer->A, layer->A, d->masks[l]); /* A_l = ReLU(Z_l) ⊙ M_l */
        input = layer->A;
    }
    return input;
}

void dropout_backward(Dropout *d, Model *model, const Matrix *X, const Matrix *Y)
{
    Layer *last = &model->layers[model->count - 1];
    mat_set_cols(model->P, Y->cols), mat_set_cols(last->dA, Y->cols);
    softmax(model->P, last->Z);     /* P = softmax(Z_L) */
    mat_sub(last->dA, model->P, Y); /* dA_L = P - Y */
    for (size_t l = model->count; l-- > 0;) {
        Layer *layer = &model->layers[l];
        if (l < d->count) mat_hadamard(layer->dA, layer->dA, d->masks[l]); /* dA_l ⊙ M_l */
        layer_backward(layer, l > 0 ? model->layers[l - 1].A : X,
                       l > 0 ? model->layers[l - 1].dA : NULL);
    }
}
