/* net.h: the notebook's network, 784 → h (ReLU) → 10, its parameters and its
 * forward pass up to the logits Z2.
 *
 *   Z1 (h×m)  = W1 (h×784) · X (784×m) + b1 (h×1)
 *   A1 (h×m)  = ReLU(Z1)
 *   Z2 (10×m) = W2 (10×h) · A1 (h×m) + b2 (10×1)
 *   A2 (10×m) = softmax(Z2)          (chapter 03 fills A2)
 * Chapter 06 generalises this to any number of layers. */
#ifndef NN_NET_H
#define NN_NET_H

#include <stddef.h>

#include "matrix.h"
#include "rng.h"

typedef struct {
    size_t inputs, hidden, outputs; /* 784, h, 10 */
    Matrix *W1, *b1;                /* (h×784), (h×1) */
    Matrix *W2, *b2;                /* (10×h), (10×1) */
} Net;

/* The values of one forward pass over a batch of m examples, kept for the
 * backward pass. Made once per batch size, reused for every batch. */
typedef struct {
    size_t m;
    Matrix *Z1, *A1; /* (h×m) */
    Matrix *Z2, *A2; /* (10×m) */
} Forward;

/* A network with all parameters zero; initialise it with one of the two below. */
Net *net_new(size_t inputs, size_t hidden, size_t outputs);
void net_free(Net *net);
/* The notebook's start: all parameters uniform in (-0.5, 0.5). */
void net_init_uniform(Net *net, Rng *rng);
/* He initialisation (dense.h): what chapter 05 trains from by default. */
void net_init_he(Net *net, Rng *rng);

Forward *forward_new(const Net *net, size_t m);
void forward_free(Forward *f);

/* Computes f->Z1, f->A1 and f->Z2 for the batch X (inputs × m'), m' ≤ f->m. */
void net_forward(const Net *net, const Matrix *X, Forward *f);

#endif
