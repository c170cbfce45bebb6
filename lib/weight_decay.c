/* weight_decay.c: the L2 penalty and its gradient (weight_decay.h). */
#include "weight_decay.h"

double weight_decay_penalty(const Model *model, double lambda)
{
    double sum = 0;
    for (size_t l = 0; l < model->count; l++) {
        const Matrix *W = model->layers[l].W;
        for (size_t i = 0; i < W->rows * W->cols; i++) sum += (double)W->data[i] * W->data[i];
    }
    return lambda / 2 * sum; /* (λ/2) Σ W² */
}

void weight_decay_rows(Layer *layer, size_t r0, size_t r1, double lambda)
{
    size_t k = layer->W->cols; /* W (n×k) */
    real decay = (real)lambda;
    for (size_t i = r0 * k; i < r1 * k; i++)
        layer->dW->data[i] += decay * layer->W->data[i]; /* dW = dW + λ W */
}
