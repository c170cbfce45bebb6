/* early_stop.c: the best model so far, and when to stop (early_stop.h). */
#include "early_stop.h"

#include <math.h>

static void copy_parameters(Model *to, const Model *from)
{
    for (size_t l = 0; l < from->count; l++) {
        mat_copy(to->layers[l].W, from->layers[l].W);
        mat_copy(to->layers[l].b, from->layers[l].b);
    }
}

void early_stop_init(EarlyStop *es, const Model *model, size_t patience)
{
    size_t sizes[MODEL_MAX_SIZES];
    sizes[0] = model_inputs(model);
    for (size_t l = 0; l < model->count; l++) sizes[l + 1] = model->layers[l].units;
    *es = (EarlyStop){.patience = patience, .best_loss = INFINITY};
    es->best = model_new(sizes, model->count + 1, 1);
}

void early_stop_release(EarlyStop *es)
{
    model_free(es->best);
    es->best = NULL;
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
    if (es->best_epoch > 0) copy_parameters(model, es->best);
}
