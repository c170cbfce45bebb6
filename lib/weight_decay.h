/* weight_decay.h: L2 weight decay, a penalty on large weights.
 *
 * The loss gets a term that grows with the squared size of every weight
 * (biases are left alone: they only shift a unit, they do not make it pick
 * up on noise):
 *     L' = L + (λ/2) Σ_layers Σ_ij W_ij²
 * and each weight's gradient one more term, the weight itself scaled by λ:
 *     dW' = dW + λ W
 * so every step pulls every weight a little towards zero: "decay". A network
 * held to small weights cannot hang on single pixels of single images; it
 * must use broad patterns, which carry over to images it has not seen. */
#ifndef NN_WEIGHT_DECAY_H
#define NN_WEIGHT_DECAY_H

#include "model.h"

/* (λ/2) Σ W², over every layer's weights. */
double weight_decay_penalty(const Model *model, double lambda);

/* dW = dW + λ W on rows r0..r1-1 of one layer, after its backward pass. */
void weight_decay_rows(Layer *layer, size_t r0, size_t r1, double lambda);

#endif
