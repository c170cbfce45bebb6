/* sgd.c: chapter 05's training step and update rule (sgd.h). */
#include "sgd.h"

#include <stdlib.h>

#include "fail.h"
#include "loss.h"
#include "softmax.h"

Trainer *trainer_new(Net *net, const MnistSet *set, size_t batch_size, real learning_rate)
{
    Trainer *t = nn_alloc(1, sizeof *t, "the trainer");
    *t = (Trainer){.net = net, .set = set, .learning_rate = learning_rate};
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

double sgd_step(void *trainer, const Batch *batch, size_t *correct)
{
    Trainer *t = trainer;
    size_t m = batch->m;
    mat_set_cols(t->X, m), mat_set_cols(t->Y, m);
    mnist_gather(t->X, t->Y, t->set, batch->index, m); /* X (784×m), Y (10×m) */
    net_forward(t->net, t->X, t->f);                   /* Z1, A1, Z2 */
    softmax(t->f->A2, t->f->Z2);                       /* A2 (10×m) = softmax(Z2) */
    double loss = cross_entropy(t->f->Z2, t->Y);
    *correct += count_correct(t->f->Z2, t->Y);
    backprop(t->g, t->net, t->f, t->X, t->Y);
    sgd_update(t->net, t->g, t->learning_rate);
    return loss;
}
