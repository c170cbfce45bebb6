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

void weight_decay_gradient(Model *model, double lambda)
{
    for (size_t l = 0; l < model->count; l++)
        mat_axpy(model->layers[l].dW, (real)lambda, model->layers[l].W); /* dW = dW + λ W */
}
