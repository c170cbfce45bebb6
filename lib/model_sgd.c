/* model_sgd.c: the training step and the evaluation of a model (model_sgd.h). */
#include "model_sgd.h"

#include <stdlib.h>

#include "fail.h"
#include "inspect.h"
#include "loss.h"

const Engine ENGINE_LOOPS = {&MODEL_LOOPS, &MODEL_LOOPS};

ModelTrainer *model_trainer_new(Model *model, const MnistSet *set, const ModelOps *ops,
                                Update update)
{
    ModelTrainer *t = nn_alloc(1, sizeof *t, "the trainer");
    *t = (ModelTrainer){.model = model, .set = set, .ops = ops, .update = update};
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

/* Rows r0..r1-1 of the layer: W = W - α dW, b = b - α db. */
static void sgd_rows(void *alpha, Layer *layer, size_t l, size_t r0, size_t r1)
{
    (void)l;
    real a = *(const real *)alpha;
    Matrix W = mat_rows(layer->W, r0, r1), dW = mat_rows(layer->dW, r0, r1);
    Matrix b = mat_rows(layer->b, r0, r1), db = mat_rows(layer->db, r0, r1);
    mat_axpy(&W, -a, &dW);
    mat_axpy(&b, -a, &db);
}

Update model_sgd(real *alpha)
{
    return (Update){NULL, sgd_rows, alpha, alpha};
}

double model_step(void *trainer, const Batch *batch, size_t *correct)
{
    ModelTrainer *t = trainer;
    t->ops->gather(t->ops, t->X, t->Y, t->set, batch);
    const Matrix *logits = model_forward_with(t->model, t->X, t->ops); /* Z_L (10×m) */
    double loss = model_loss(t->model, t->Y);                          /* and P */
    *correct += count_correct(logits, t->Y);
    model_backward_with(t->model, t->X, t->Y, t->ops, &t->update);
    return loss;
}

/* A model and the ops of its forward pass: what evaluation calls. */
typedef struct {
    Model *model;
    const ModelOps *ops;
} ModelPass;

static const Matrix *model_logits(void *pass, const Matrix *X)
{
    ModelPass *p = pass;
    return model_forward_with(p->model, X, p->ops);
}

Score model_evaluate(Model *model, const ModelOps *ops, const MnistSet *set, size_t first,
                     size_t count, Matrix *X, Matrix *Y, BatchObserver observe, void *ctx)
{
    ModelPass pass = {model, ops};
    return evaluate_batches(model_logits, &pass, model->batch, set, first, count, X, Y, observe,
                            ctx);
}

int model_inspect(Model *model, const ModelOps *ops, const MnistSet *test, const char *log_path,
                  NnError *err)
{
    Inspection in = {0};
    Matrix *X = mat_new(model_inputs(model), model->batch);
    Matrix *Y = mat_new(model_outputs(model), model->batch);
    model_evaluate(model, ops, test, 0, test->count, X, Y, inspect_batch, &in);
    mat_free(X), mat_free(Y);
    if (inspect_write(&in, model->layers[0].W, test, log_path, err) != 0) return -1;
    return model->inspect != NULL ? model->inspect(model, ops, test, log_path, err) : 0;
}
