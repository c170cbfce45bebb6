/* dropout.c: masks on the hidden layers while training (dropout.h). */
#include "dropout.h"

#include <stdlib.h>
#include <string.h>

#include "fail.h"

static void dropout_gather(const ModelOps *ops, Matrix *X, Matrix *Y, const MnistSet *set,
                           const Batch *b)
{
    const Dropout *d = (const Dropout *)ops; /* ops is d's first member */
    d->inner->gather(d->inner, X, Y, set, b);
    if (d->share != NULL)
        dropout_draw_share(d, b->m); /* chapter 11: this process's columns */
    else
        dropout_draw(d, d->rng, b->m); /* new masks every step */
}

static void dropout_forward(const ModelOps *ops, Model *model, size_t l, const Matrix *input)
{
    const Dropout *d = (const Dropout *)ops;
    d->inner->forward(d->inner, model, l, input);
    Layer *layer = &model->layers[l];
    if (l < d->count && d->masks[l] != NULL)
        mat_hadamard(layer->A, layer->A, d->masks[l]); /* A_l = ReLU(Z_l) ⊙ M_l */
}

static void dropout_backward(const ModelOps *ops, Model *model, size_t l, const Matrix *input,
                             Matrix *dX, const Update *update)
{
    const Dropout *d = (const Dropout *)ops;
    Layer *layer = &model->layers[l];
    if (l < d->count && d->masks[l] != NULL)
        mat_hadamard(layer->dA, layer->dA, d->masks[l]); /* dA_l ⊙ M_l */
    d->inner->backward(d->inner, model, l, input, dX, update);
}

Dropout *dropout_new(const Model *model, double keep, const ModelOps *inner, Rng *rng)
{
    NN_REQUIRE(keep > 0 && keep <= 1, "keep probability %g", keep);
    Dropout *d = nn_alloc(1, sizeof *d, "dropout");
    *d = (Dropout){.ops = {dropout_gather, dropout_forward, dropout_backward},
                   .inner = inner,
                   .rng = rng,
                   .keep = keep,
                   .count = model->count - 1};
    d->masks = nn_alloc(d->count == 0 ? 1 : d->count, sizeof *d->masks, "the dropout masks");
    for (size_t l = 0; l < d->count; l++) /* none on chapter 10's convolutions: see dropout.h */
        d->masks[l] =
            model->layers[l].conv == NULL ? mat_new(model->layers[l].units, model->batch) : NULL;
    return d;
}

void dropout_free(Dropout *d)
{
    if (d == NULL) return;
    if (d->share != NULL) d->share->dropout = NULL;
    for (size_t l = 0; l < d->count; l++) mat_free(d->masks[l]);
    free(d->masks);
    free(d);
}

void dropout_draw(const Dropout *d, Rng *rng, size_t m)
{
    real kept = (real)(1 / d->keep);
    for (size_t l = 0; l < d->count; l++) {
        Matrix *M = d->masks[l];
        if (M == NULL) continue;
        mat_set_cols(M, m);
        for (size_t i = 0; i < M->rows * M->cols; i++)
            M->data[i] = rng_uniform(rng) < d->keep ? kept : 0; /* 1/keep or 0 */
    }
}

void dropout_share(Dropout *d, DropoutShare *share)
{
    if (d->share != NULL) d->share->dropout = NULL;
    d->share = share;
    if (share != NULL) share->dropout = d;
}

void dropout_draw_share(const Dropout *d, size_t m)
{
    size_t first = d->share->first, whole = d->share->whole;
    NN_REQUIRE(first + m <= whole, "columns %zu..%zu of a batch of %zu", first, first + m, whole);
    dropout_draw(d, d->rng, whole); /* M_l (units × whole), as one process draws it */
    for (size_t l = 0; l < d->count && m > 0; l++) {
        Matrix *M = d->masks[l];
        if (M == NULL) continue;
        for (size_t i = 0; i < M->rows; i++) /* row i's columns first..first+m-1, moved left */
            memmove(M->data + i * m, M->data + i * whole + first, m * sizeof *M->data);
        mat_set_cols(M, m);
    }
}
