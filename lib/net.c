/* net.c: the two-layer network's parameters and forward pass (net.h). */
#include "net.h"

#include <stdlib.h>

#include "dense.h"
#include "fail.h"
#include "relu.h"

Net *net_new(size_t inputs, size_t hidden, size_t outputs)
{
    Net *net = nn_alloc(1, sizeof *net, "a network");
    net->inputs = inputs;
    net->hidden = hidden;
    net->outputs = outputs;
    net->W1 = mat_new(hidden, inputs);
    net->b1 = mat_new(hidden, 1);
    net->W2 = mat_new(outputs, hidden);
    net->b2 = mat_new(outputs, 1);
    return net;
}

void net_free(Net *net)
{
    if (net == NULL) return;
    mat_free(net->W1), mat_free(net->b1), mat_free(net->W2), mat_free(net->b2);
    free(net);
}

void net_init_uniform(Net *net, Rng *rng)
{
    dense_init_uniform(net->W1, net->b1, rng, 0.5);
    dense_init_uniform(net->W2, net->b2, rng, 0.5);
}

void net_init_he(Net *net, Rng *rng)
{
    dense_init_he(net->W1, net->b1, rng);
    dense_init_he(net->W2, net->b2, rng);
}

Forward *forward_new(const Net *net, size_t m)
{
    Forward *f = nn_alloc(1, sizeof *f, "a forward pass");
    f->m = m;
    f->Z1 = mat_new(net->hidden, m);
    f->A1 = mat_new(net->hidden, m);
    f->Z2 = mat_new(net->outputs, m);
    f->A2 = mat_new(net->outputs, m);
    return f;
}

void forward_free(Forward *f)
{
    if (f == NULL) return;
    mat_free(f->Z1), mat_free(f->A1), mat_free(f->Z2), mat_free(f->A2);
    free(f);
}

void net_forward(const Net *net, const Matrix *X, Forward *f)
{
    /* A batch may be smaller than the one f was made for (the last of an epoch). */
    mat_set_cols(f->Z1, X->cols), mat_set_cols(f->A1, X->cols);
    mat_set_cols(f->Z2, X->cols), mat_set_cols(f->A2, X->cols);
    dense_forward(f->Z1, net->W1, X, net->b1);     /* Z1 (h×m) = W1 (h×784) · X (784×m) + b1 */
    relu(f->A1, f->Z1);                            /* A1 (h×m) = ReLU(Z1) */
    dense_forward(f->Z2, net->W2, f->A1, net->b2); /* Z2 (10×m) = W2 (10×h) · A1 (h×m) + b2 */
}
