/* model_sgd.c: the training step, the epoch and the evaluation of a model
 * (model_sgd.h). */
#include "model_sgd.h"

#include <math.h>
#include <stdlib.h>

#include "fail.h"
#include "loss.h"

enum { MODEL_EVAL_BATCH = 256 }; /* examples per forward pass when evaluating, at most */

ModelTrainer *model_trainer_new(Model *model, UpdateFn update, void *rule)
{
    ModelTrainer *t = nn_alloc(1, sizeof *t, "the trainer");
    *t = (ModelTrainer){.model = model, .update = update, .rule = rule};
    t->X = mat_new(model_inputs(model), model->batch);
    t->Y = mat_new(model_outputs(model), model->batch);
    return t;
}

void model_trainer_free(ModelTrainer *t)
{
    if (t == NULL) return;
    mat_free(t->X), mat_free(t->Y);
    free(t);
}

void model_sgd_update(void *learning_rate, Model *model)
{
    real alpha = *(const real *)learning_rate;
    for (size_t l = 0; l < model->count; l++) {
        Layer *layer = &model->layers[l];
        mat_axpy(layer->W, -alpha, layer->dW); /* W = W - α dW */
        mat_axpy(layer->b, -alpha, layer->db); /* b = b - α db */
    }
}

double model_step(ModelTrainer *t, const MnistSet *set, const size_t *index, size_t m,
                  size_t *correct)
{
    mat_set_cols(t->X, m), mat_set_cols(t->Y, m);
    mnist_gather(t->X, t->Y, set, index, m);            /* X (784×m), Y (10×m) */
    const Matrix *logits = model_forward(t->model, t->X); /* Z_L (10×m) */
    double loss = cross_entropy(logits, t->Y);
    *correct += count_correct(logits, t->Y);
    model_backward(t->model, t->X, t->Y);
    t->update(t->rule, t->model);
    return loss;
}

double model_epoch(ModelTrainer *t, const MnistSet *set, size_t *order, size_t n, Rng *rng,
                   size_t *correct, size_t *bad_step, StepFn on_step, void *ctx)
{
    size_t batch = t->model->batch;
    rng_shuffle(rng, order, n);
    double total = 0;
    for (size_t first = 0, step = 1; first < n; first += batch, step++) {
        size_t m = n - first < batch ? n - first : batch;
        double loss = model_step(t, set, &order[first], m, correct);
        if (!isfinite(loss) || loss > SGD_DIVERGED_LOSS) {
            *bad_step = step;
            return loss;
        }
        total += loss * (double)m;
        if (on_step != NULL) on_step(ctx, step, loss, first + m);
    }
    return total / (double)n;
}

Score model_evaluate(Model *model, const MnistSet *set, size_t first, size_t count, Matrix *X,
                     Matrix *Y, BatchObserver observe, void *ctx)
{
    NN_REQUIRE(count > 0 && first + count <= set->count, "examples %zu..%zu of %zu", first,
               first + count, set->count);
    size_t index[MODEL_EVAL_BATCH], batch = model->batch;
    if (batch > MODEL_EVAL_BATCH) batch = MODEL_EVAL_BATCH;
    double total_loss = 0;
    size_t correct = 0;
    for (size_t start = first; start < first + count; start += batch) {
        size_t m = first + count - start < batch ? first + count - start : batch;
        for (size_t j = 0; j < m; j++) index[j] = start + j;
        mat_set_cols(X, m), mat_set_cols(Y, m);
        mnist_gather(X, Y, set, index, m);
        const Matrix *logits = model_forward(model, X);
        total_loss += cross_entropy(logits, Y) * (double)m;
        correct += count_correct(logits, Y);
        if (observe != NULL) observe(ctx, logits, set, start);
    }
    return (Score){total_loss / (double)count, (double)correct / (double)count};
}
