/* early_stop.c: the best model so far, and when to stop (early_stop.h). */
#include "early_stop.h"

#include <math.h>
#include <stdlib.h>

#include "fail.h"

/* The parameters of `from` into to[2l] (W_l) and to[2l + 1] (b_l). */
static void copy_parameters(Matrix **to, const Model *from)
{
    for (size_t l = 0; l < from->count; l++) {
        mat_copy(to[2 * l], from->layers[l].W);
        mat_copy(to[2 * l + 1], from->layers[l].b);
    }
}

void early_stop_init(EarlyStop *es, const Model *model, size_t patience)
{
    *es = (EarlyStop){.patience = patience, .best_loss = INFINITY, .count = model->count};
    es->best = nn_alloc(2 * model->count, sizeof *es->best, "the best parameters");
    for (size_t l = 0; l < model->count; l++) {
        const Layer *layer = &model->layers[l];
        es->best[2 * l] = mat_new(layer->W->rows, layer->W->cols);
        es->best[2 * l + 1] = mat_new(layer->b->rows, 1);
    }
}

void early_stop_release(EarlyStop *es)
{
    for (size_t i = 0; i < 2 * es->count; i++) mat_free(es->best[i]);
    free(es->best);
    es->best = NULL, es->count = 0;
}

int early_stop_update(EarlyStop *es, const Model *model, size_t epoch, double val_loss)
{
    if (val_loss < es->best_loss) {
        es->best_loss = val_loss;
        es->best_epoch = epoch;
        copy_parameters(es->best, model);
    }
    return es->patience > 0 && epoch - es->best_epoch >= es->patience;
}

void early_stop_restore(const EarlyStop *es, Model *model)
{
    if (es->best_epoch == 0) return;
    for (size_t l = 0; l < model->count; l++) {
        mat_copy(model->layers[l].W, es->best[2 * l]);
        mat_copy(model->layers[l].b, es->best[2 * l + 1]);
    }
}
