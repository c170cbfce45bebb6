/* model.c: a stack of layers, its forward and backward pass (model.h). */
#include "model.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "dense.h"
#include "fail.h"
#include "loss.h"
#include "softmax.h"

Model *model_alloc(size_t count, size_t outputs, size_t batch)
{
    NN_REQUIRE(count >= 1 && count < MODEL_MAX_SIZES, "%zu layers", count);
    Model *model = nn_alloc(1, sizeof *model, "the model");
    model->count = count;
    model->batch = batch;
    model->layers = nn_alloc(count, sizeof *model->layers, "the layers");
    model->P = mat_new(outputs, batch);
    model->inspect = NULL;
    return model;
}

Model *model_new(const size_t *sizes, size_t count, size_t batch)
{
    NN_REQUIRE(count >= 2 && count <= MODEL_MAX_SIZES, "%zu sizes", count);
    Model *model = model_alloc(count - 1, sizes[count - 1], batch);
    for (size_t l = 0; l < model->count; l++)
        layer_init(&model->layers[l], sizes[l], sizes[l + 1],
                   l + 1 < model->count ? LAYER_RELU : LAYER_LINEAR, batch);
    return model;
}

void model_free(Model *model)
{
    if (model == NULL) return;
    for (size_t l = 0; l < model->count; l++) layer_release(&model->layers[l]);
    free(model->layers);
    mat_free(model->P);
    free(model);
}

size_t model_inputs(const Model *model)
{
    return model->layers[0].inputs;
}

size_t model_outputs(const Model *model)
{
    return model->layers[model->count - 1].units;
}

size_t model_parameter_count(const Model *model)
{
    size_t total = 0;
    for (size_t l = 0; l < model->count; l++) {
        const Layer *layer = &model->layers[l];
        total += layer->W->rows * layer->W->cols + layer->b->rows;
    }
    return total;
}

void model_init_he(Model *model, Rng *rng)
{
    for (size_t l = 0; l < model->count; l++)
        dense_init_he(model->layers[l].W, model->layers[l].b, rng);
}

void model_init_uniform(Model *model, Rng *rng)
{
    for (size_t l = 0; l < model->count; l++)
        dense_init_uniform(model->layers[l].W, model->layers[l].b, rng, 0.5);
}

void model_init(Model *model, InitKind init, Rng *rng)
{
    if (init == INIT_HE)
        model_init_he(model, rng);
    else
        model_init_uniform(model, rng);
}

static void loops_gather(const ModelOps *ops, Matrix *X, Matrix *Y, const MnistSet *set,
                         const Batch *b)
{
    (void)ops;
    mat_set_cols(X, b->m), mat_set_cols(Y, b->m);
    mnist_gather(X, Y, set, b->index, b->m); /* X (inputs×m), Y (outputs×m) */
}

static void loops_forward(const ModelOps *ops, Model *model, size_t l, const Matrix *input)
{
    (void)ops;
    layer_forward(&model->layers[l], input); /* Z_l = W_l · A_(l-1) + b_l, A_l = g(Z_l) */
}

static void loops_backward(const ModelOps *ops, Model *model, size_t l, const Matrix *input,
                           Matrix *dX, const Update *update)
{
    (void)ops;
    Layer *layer = &model->layers[l];
    layer_backward(layer, input, dX);
    if (update != NULL) update->rows(update->rule, layer, l, 0, layer->units);
}

const ModelOps MODEL_LOOPS = {loops_gather, loops_forward, loops_backward};

const Matrix *model_forward_with(Model *model, const Matrix *X, const ModelOps *ops)
{
    const Matrix *input = X; /* A0 = X */
    for (size_t l = 0; l < model->count; l++) {
        ops->forward(ops, model, l, input);
        input = model->layers[l].A;
    }
    return input; /* the logits Z_L (A_L = Z_L: the last layer is linear) */
}

const Matrix *model_forward(Model *model, const Matrix *X)
{
    return model_forward_with(model, X, &MODEL_LOOPS);
}

double model_loss(Model *model, const Matrix *Y)
{
    const Matrix *Z = model->layers[model->count - 1].Z;
    mat_set_cols(model->P, Z->cols);
    return cross_entropy_softmax(Z, Y, model->P); /* L, and P = softmax(Z_L) */
}

void model_backward_with(Model *model, const Matrix *X, const Matrix *Y, const ModelOps *ops,
                         const Update *update)
{
    Layer *last = &model->layers[model->count - 1];
    mat_set_cols(last->dA, Y->cols);
    mat_sub(last->dA, model->P, Y); /* dA_L = P - Y */
    if (update != NULL && update->begin != NULL) update->begin(update->rule);
    for (size_t l = model->count; l-- > 0;) {
        const Matrix *input = l > 0 ? model->layers[l - 1].A : X;
        Matrix *dX = l > 0 ? model->layers[l - 1].dA : NULL; /* no dX for the input */
        ops->backward(ops, model, l, input, dX, update);
    }
}

void model_backward(Model *model, const Matrix *X, const Matrix *Y)
{
    mat_set_cols(model->P, Y->cols);
    softmax(model->P, model->layers[model->count - 1].Z); /* P (outputs×m) = softmax(Z_L) */
    model_backward_with(model, X, Y, &MODEL_LOOPS, NULL);
}

int model_parse_sizes(const char *text, size_t *sizes, size_t *count, NnError *err)
{
    const char *p = text;
    *count = 0;
    for (;;) {
        char *end;
        errno = 0;
        unsigned long long n = isdigit((unsigned char)*p) ? strtoull(p, &end, 10) : 0;
        if (n < 1 || n > 65536 || errno != 0)
            return nn_error(err,
                            "\"%s\": layer sizes are whole numbers from 1 to 65536 separated by "
                            "commas, like 784,256,128,10",
                            text);
        if (*count == MODEL_MAX_SIZES)
            return nn_error(err, "\"%s\": at most %d sizes (%d layers)", text, MODEL_MAX_SIZES,
                            MODEL_MAX_SIZES - 1);
        sizes[(*count)++] = (size_t)n;
        if (*end == '\0') break;
        if (*end != ',')
            return nn_error(err, "\"%s\": '%c' where a comma or the end was expected", text, *end);
        p = end + 1;
    }
    if (*count < 2)
        return nn_error(err, "\"%s\": give the inputs and the outputs at least, like 784,10", text);
    size_t parameters = 0; /* each at most 65536 × 65537: no overflow in 16 of them */
    for (size_t l = 1; l < *count; l++) parameters += sizes[l] * (sizes[l - 1] + 1);
    if (parameters > MODEL_MAX_PARAMETERS)
        return nn_error(err,
                        "\"%s\": %zu weights and biases, more than the %d this program trains "
                        "(training keeps several copies of each: that much memory would run "
                        "out); use smaller layers",
                        text, parameters, MODEL_MAX_PARAMETERS);
    return 0;
}

void model_describe(const Model *model, char *out, size_t size)
{
    int n = snprintf(out, size, "%zu", model_inputs(model));
    for (size_t l = 0; l < model->count && n >= 0 && (size_t)n < size; l++)
        n += snprintf(out + n, size - (size_t)n, "-%zu", model->layers[l].units);
}
