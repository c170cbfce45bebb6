/* loss.h: how wrong the network is (cross-entropy) and how often it is right.
 *
 * For one example with one-hot label y and probabilities a = softmax(z), the
 * cross-entropy is -Σ_i y_i ln a_i = -ln a_label: small when the network gives
 * the true digit a high probability. Over a batch we take the mean, (1/m) Σ.
 * An untrained network guesses about 1/10 for every digit: -ln(1/10) = 2.303. */
#ifndef NN_LOSS_H
#define NN_LOSS_H

#include <stddef.h>

#include "matrix.h"

/* L = -(1/m) Σ_j Σ_i Y_ij ln softmax(Z2)_ij for logits Z2 (10×m) and one-hot
 * Y (10×m). Computed from the logits with the log-sum-exp form,
 * ln softmax(z)_i = z_i - max - ln Σ_j exp(z_j - max), so that a probability
 * that rounds to 0 gives a large finite loss, never ln 0 = -inf. */
double cross_entropy(const Matrix *Z2, const Matrix *Y);

/* cross_entropy, and, unless P is NULL, P (10×m) = softmax(Z2) from the same
 * exponentials: what a training step needs, the loss and then P - Y. */
double cross_entropy_softmax(const Matrix *Z2, const Matrix *Y, Matrix *P);

/* How many columns of `scores` (10×m) have their largest entry where Y (10×m)
 * has its 1. Scores may be logits or probabilities: softmax keeps the order. */
size_t count_correct(const Matrix *scores, const Matrix *Y);

#endif
