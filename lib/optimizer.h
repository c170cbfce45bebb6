/* optimizer.h: what a step does with the gradients: plain SGD, momentum, Adam.
 *
 * For every parameter θ (each layer's W and b) with gradient g, at step t
 * (from 1) and learning rate α_t (schedule.h):
 *   sgd:       θ = θ - α g
 *   momentum:  v = μ v + g;            θ = θ - α v
 *              v remembers the direction of the last steps (μ = 0.9: about
 *              the last ten), so steps that agree add up and noise cancels.
 *   adam:      m = β1 m + (1 - β1) g   (the mean of recent gradients)
 *              s = β2 s + (1 - β2) g²  (the mean of their squares)
 *              θ = θ - α · (m / (1 - β1^t)) / (√(s / (1 - β2^t)) + ε)
 *              each parameter gets its own step size: small where the
 *              gradient is large or noisy, larger where it is small and
 *              steady. The 1 - β^t undo the start of m and s at zero.
 *              β1 = 0.9, β2 = 0.999, ε = 1e-8.
 * Weight decay λ (weight_decay.h) adds λW to every dW before the rule.
 * The rule works row by row (an Update, model.h), so that a layer's step can
 * follow its backward pass, and threads can share it (chapter 09). */
#ifndef NN_OPTIMIZER_H
#define NN_OPTIMIZER_H

#include <stddef.h>

#include "model.h"
#include "schedule.h"

typedef enum { OPTIMIZER_SGD, OPTIMIZER_MOMENTUM, OPTIMIZER_ADAM } OptimizerKind;

typedef struct {
    OptimizerKind kind;
    Schedule schedule; /* α_t */
    double momentum;   /* μ */
    double beta1, beta2, epsilon;
    double weight_decay;   /* λ, 0 for none */
    size_t t;              /* steps taken */
    double alpha;          /* α_t of the step being taken */
    real unbias1, unbias2; /* Adam's 1 - β1^t and 1 - β2^t, for that step */
    size_t tensors;        /* 2 per layer: W, b */
    Matrix **v, **s;       /* per tensor: momentum's v or Adam's m; Adam's s (NULL otherwise) */
} Optimizer;

/* An optimizer for `model`'s parameters, its state zero, with the usual
 * constants (μ = 0.9; β1 = 0.9, β2 = 0.999, ε = 1e-8). */
Optimizer *optimizer_new(const Model *model, OptimizerKind kind, Schedule schedule,
                         double weight_decay);
void optimizer_free(Optimizer *opt);

/* The optimizer as the Update a step takes (model.h): begin works out α_t
 * and Adam's corrections, then rows changes each layer's rows. */
Update optimizer_as_update(Optimizer *opt);

/* One whole step on every layer of model: what the Update does, at once. */
void optimizer_update(Optimizer *opt, Model *model);

/* Their names, in OptimizerKind's order, NULL after the last: "sgd",
 * "momentum", "adam" (a --optimizer flag's choices, args.h). */
extern const char *const OPTIMIZER_NAMES[];

#endif
