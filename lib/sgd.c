/* sgd.c: the training step, the update rule and the epoch loop (sgd.h). */
#include "sgd.h"

#include <math.h>
#include <stdlib.h>

#include "fail.h"
#include "loss.h"
#include "softmax.h"

Trainer *trainer_new(const Net *net, size_t batch_size)
{
    Trainer *t = nn_alloc(1, sizeof *t, "the trainer");
    t->batch_size = batch_size;
    t->X = mat_new(net->inputs, batch_size);
    t->Y = mat_new(net->outputs, batch_size);
    t->f = forward_new(net, batch_size);
    t->g = grads_new(net, batch_size);
    return t;
}

void trainer_free(Trainer *t)
{
    if (t == NULL) return;
    mat_free(t->X), mat_free(t->Y), forward_free(t->f), grads_free(t->g);
    free(t);
}

void sgd_update(Net *net, const Grads *g, real learning_rate)
{
    mat_axpy(net->W1, -learning_rate, g->dW1); /* W1 = W1 - α dW1 */
    mat_axpy(net->b1, -learning_rate, g->db1); /* b1 = b1 - α db1 */
    mat_axpy(net->W2, -learning_rate, g->dW2); /* W2 = W2 - α dW2 */
    mat_axpy(net->b2, -learning_rate, g->db2); /* b2 = b2 - α db2 */
}

double sgd_step(Net *net, Trainer *t, const MnistSet *set, const size_t *index, size_t m,
                real learning_rate, size_t *correct)
{
    mat_set_cols(t->X, m), mat_set_cols(t->Y, m);
    mnist_gather(t->X, t->Y, set, index, m); /* X (784×m), Y (10×m) */
    net_forward(net, t->X, t->f);            /* Z1, A1, Z2 */
    softmax(t->f->A2, t->f->Z2);             /* A2 (10×m) = softmax(Z2) */
    double loss = cross_entropy(t->f->Z2, t->Y);
    *correct += count_correct(t->f->Z2, t->Y);
    backprop(t->g, net, t->f, t->X, t->Y);
    sgd_update(net, t->g, learning_rate);
    return loss;
}

double sgd_epoch(Net *net, Trainer *t, const MnistSet *set, size_t *order, size_t n, Rng *rng,
                 real learning_rate, size_t *correct, size_t *bad_step, StepFn on_step, void *ctx)
{
    rng_shuffle(rng, order, n);
    size_t steps = (n + t->batch_size - 1) / t->batch_size;
    double total = 0;
    for (size_t step = 0; step < steps; step++) {
        size_t first = step * t->batch_size;
        size_t m = n - first < t->batch_size ? n - first : t->batch_size;
        double loss = sgd_step(net, t, set, &order[first], m, learning_rate, correct);
        if (!isfinite(loss) || loss > SGD_DIVERGED_LOSS) {
            *bad_step = step + 1;
            return loss;
        }
        total += loss * (double)m;
        if (on_step != NULL) on_step(ctx, step + 1, loss, first + m);
    }
    return total / (double)n;
}
