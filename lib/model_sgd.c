/* model_sgd.c: the training step, the epoch and the evaluation of a model
 * (model_sgd.h). */
#include "model_sgd.h"

#include <math.h>
#include <stdlib.h>

#include "fail.h"
#include "inspect.h"
#include "loss.h"

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

static const Matrix *model_logits(void *model, const Matrix *X)
{
    return model_forward(model, X);
}

Score model_evaluate(Model *model, const MnistSet *set, size_t first, size_t count, Matrix *X,
                     Matrix *Y, BatchObserver observe, void *ctx)
{
    return evaluate_batches(model_logits, model, model->batch, set, first, count, X, Y, observe,
                            ctx);
}

int model_inspect(Model *model, const MnistSet *test, const char *log_path, NnError *err)
{
    Inspection in = {0};
    Matrix *X = mat_new(model_inputs(model), model->batch);
    Matrix *Y = mat_new(model_outputs(model), model->batch);
    model_evaluate(model, test, 0, test->count, X, Y, inspect_batch, &in);
    mat_free(X), mat_free(Y);
    return inspect_write(&in, model->layers[0].W, test, log_path, err);
}
