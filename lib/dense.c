/* dense.c: the dense layer's forward pass and initialisations (dense.h). */
#include "dense.h"

#include <math.h>

const char *const INIT_NAMES[] = {"he", "uniform", NULL};

void dense_forward(Matrix *Z, const Matrix *W, const Matrix *X, const Matrix *b)
{
    mat_mul(Z, W, X);  /* Z (n×m) = W (n×k) · X (k×m) */
    mat_add_col(Z, b); /* Z (n×m) += b (n×1), broadcast over the m columns */
}

void dense_init_uniform(Matrix *W, Matrix *b, Rng *rng, double half_width)
{
    rng_fill_uniform(rng, W, -half_width, half_width);
    rng_fill_uniform(rng, b, -half_width, half_width);
}

void dense_init_he(Matrix *W, Matrix *b, Rng *rng)
{
    rng_fill_normal(rng, W, sqrt(2.0 / (double)W->cols));
    mat_fill(b, 0);
}
