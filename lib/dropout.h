/* dropout.h: dropout, switching hidden units off at random while training.
 *
 * At each training step every hidden unit is kept with probability `keep`
 * (say 0.8) and otherwise silenced, for that step and that example, by a mask
 * of zeros and ones drawn anew every step. The kept ones are scaled by 1/keep
 * so that a unit's expected output is what it is without dropout; evaluation
 * then uses the plain network, no mask, no scaling ("inverted" dropout):
 *   forward:   A_l = ReLU(Z_l) ⊙ M_l,      M_l (n×m) entries 1/keep or 0
 *   backward:  the gradient reaching ReLU(Z_l) is dA_l ⊙ M_l
 * No unit can count on any other being there, so each must be useful alone:
 * the network cannot memorise an image through one fragile combination.
 * The output layer is never dropped. */
#ifndef NN_DROPOUT_H
#define NN_DROPOUT_H

#include "model.h"
#include "rng.h"

typedef struct {
    double keep;     /* the probability of keeping a unit, in (0, 1] */
    size_t count;    /* hidden layers: the model's layers but the last */
    Matrix **masks;  /* M_l (units × batch) for each hidden layer */
} Dropout;

Dropout *dropout_new(const Model *model, double keep);
void dropout_free(Dropout *d);

/* Draws new masks for a batch of m examples. */
void dropout_draw(Dropout *d, Rng *rng, size_t m);

/* The training forward pass with the current masks: model_forward with
 * A_l = ReLU(Z_l) ⊙ M_l after each hidden layer. Returns the logits. */
const Matrix *dropout_forward(Dropout *d, Model *model, const Matrix *X);

/* The backward pass matching it: model_backward with dA_l ⊙ M_l before each
 * hidden layer's own backward. */
void dropout_backward(Dropout *d, Model *model, const Matrix *X, const Matrix *Y);

#endif
