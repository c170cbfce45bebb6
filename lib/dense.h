/* dense.h: a dense (fully connected) layer, Z = W·X + b, and its random start.
 *
 * A layer of n units reading k inputs has weights W (n×k) and biases b (n×1).
 * For a batch X (k×m), one example per column, its pre-activations are
 * Z (n×m) = W·X + b, the bias added to every column. */
#ifndef NN_DENSE_H
#define NN_DENSE_H

#include "matrix.h"
#include "rng.h"

/* Z (n×m) = W (n×k) · X (k×m) + b (n×1) */
void dense_forward(Matrix *Z, const Matrix *W, const Matrix *X, const Matrix *b);

/* The notebook's start: every weight and bias uniform in (-half_width, half_width). */
void dense_init_uniform(Matrix *W, Matrix *b, Rng *rng, double half_width);

/* The two starts, by the names an --init flag takes (args.h's ARG_CHOICE):
 * "he" and "uniform", NULL after the last. */
typedef enum { INIT_HE, INIT_UNIFORM } InitKind;
extern const char *const INIT_NAMES[];

/* He initialisation, for layers followed by ReLU: weights normal with standard
 * deviation sqrt(2 / k) for k inputs, biases zero. It keeps the size of the
 * activations about the same from layer to layer. */
void dense_init_he(Matrix *W, Matrix *b, Rng *rng);

#endif
