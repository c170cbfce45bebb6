/* conv.c: the convolution and its gradients by their definition, in plain
 * loops that read like conv.h's formulas. */
#include "conv.h"

#include "fail.h"

/* The row of X holding channel c at (iy, ix) = (oy·S + ky − P, ox·S + kx − P),
 * the input under kernel entry (ky, kx) at output (oy, ox); -1 when that is
 * the padding, where X is 0. */
static ptrdiff_t input_row(const ConvGeometry *g, size_t c, size_t oy, size_t ox, size_t ky,
                           size_t kx)
{
    ptrdiff_t iy = (ptrdiff_t)(oy * g->stride + ky) - (ptrdiff_t)g->pad;
    ptrdiff_t ix = (ptrdiff_t)(ox * g->stride + kx) - (ptrdiff_t)g->pad;
    if (iy < 0 || iy >= (ptrdiff_t)g->height || ix < 0 || ix >= (ptrdiff_t)g->width) return -1;
    return ((ptrdiff_t)c * (ptrdiff_t)g->height + iy) * (ptrdiff_t)g->width + ix;
}

/* Stops the program, naming func and the shapes, unless W is (F × C·K·K),
 * X (C·H·W × m), the maps Z have F·OH·OW rows and room for m columns, and the
 * bias b is (F×1). */
static void require_shapes(const char *func, const Matrix *Z, const Matrix *W, const Matrix *b,
                           const Matrix *X, const ConvGeometry *g)
{
    size_t C = g->channels, K = g->kernel, F = W->rows, m = X->cols;
    size_t maps = F * conv_out_height(g) * conv_out_width(g);
    if (W->cols != C * K * K || b->rows != F || b->cols != 1 ||
        X->rows != C * g->height * g->width || Z->rows != maps || maps * m > Z->capacity)
        nn_bug(func,
               "Z (%zu×%zu, room for %zu values), W (%zu×%zu), b (%zu×%zu), X (%zu×%zu) "
               "for " CONV_GEOMETRY_FMT ": W must be F×%zu, b F×1, X %zu×m, Z F·OH·OW×m = %zu×%zu",
               Z->rows, Z->cols, Z->capacity, W->rows, W->cols, b->rows, b->cols, X->rows, X->cols,
               CONV_GEOMETRY_ARGS(g), C * K * K, C * g->height * g->width, maps, m);
}

void conv_forward_direct(Matrix *Z, const Matrix *W, const Matrix *b, const Matrix *X,
                         const ConvGeometry *g)
{
    require_shapes(__func__, Z, W, b, X, g);
    size_t C = g->channels, K = g->kernel, m = X->cols;
    size_t OH = conv_out_height(g), OW = conv_out_width(g);
    mat_set_cols(Z, m);
    for (size_t f = 0; f < W->rows; f++)
        for (size_t oy = 0; oy < OH; oy++)
            for (size_t ox = 0; ox < OW; ox++) {
                real *z = &MAT_AT(Z, (f * OH + oy) * OW + ox, 0); /* Z[f,oy,ox][j], every j */
                for (size_t j = 0; j < m; j++) z[j] = b->data[f];
                for (size_t c = 0; c < C; c++)
                    for (size_t ky = 0; ky < K; ky++)
                        for (size_t kx = 0; kx < K; kx++) {
                            ptrdiff_t i = input_row(g, c, oy, ox, ky, kx);
                            if (i < 0) continue; /* the padding: X = 0 adds nothing */
                            real w = MAT_AT(W, f, (c * K + ky) * K + kx);
                            const real *x = &MAT_AT(X, (size_t)i, 0);
                            for (size_t j = 0; j < m; j++) z[j] += w * x[j];
                        }
            }
}

/* Stops the program, naming func and the shapes, unless dW has W's shape, dZ
 * X's m columns, and dX (unless NULL) X's rows and room for its m columns. */
static void require_gradients(const char *func, const Matrix *dW, const Matrix *dX,
                              const Matrix *dZ, const Matrix *W, const Matrix *X)
{
    size_t m = X->cols;
    if (dW->rows != W->rows || dW->cols != W->cols || dZ->cols != m ||
        (dX != NULL && (dX->rows != X->rows || X->rows * m > dX->capacity)))
        nn_bug(func,
               "dW (%zu×%zu), dX (%zu×%zu) from dZ (%zu×%zu), W (%zu×%zu), X (%zu×%zu): dW must "
               "be %zu×%zu, dX %zu×%zu, dZ %zu columns",
               dW->rows, dW->cols, dX != NULL ? dX->rows : 0, dX != NULL ? dX->cols : 0, dZ->rows,
               dZ->cols, W->rows, W->cols, X->rows, X->cols, W->rows, W->cols, X->rows, m, m);
}

void conv_backward_direct(Matrix *dW, Matrix *db, Matrix *dX, const Matrix *dZ, const Matrix *W,
                          const Matrix *X, const ConvGeometry *g)
{
    require_shapes(__func__, dZ, W, db, X, g);
    require_gradients(__func__, dW, dX, dZ, W, X);
    size_t C = g->channels, K = g->kernel, m = X->cols;
    size_t OH = conv_out_height(g), OW = conv_out_width(g);
    mat_fill(dW, 0), mat_fill(db, 0);
    if (dX != NULL) mat_set_cols(dX, m), mat_fill(dX, 0);
    for (size_t f = 0; f < W->rows; f++)
        for (size_t oy = 0; oy < OH; oy++)
            for (size_t ox = 0; ox < OW; ox++) {
                const real *dz = &MAT_AT(dZ, (f * OH + oy) * OW + ox, 0); /* dZ[f,oy,ox][j] */
                for (size_t j = 0; j < m; j++) db->data[f] += dz[j];
                for (size_t c = 0; c < C; c++)
                    for (size_t ky = 0; ky < K; ky++)
                        for (size_t kx = 0; kx < K; kx++) {
                            ptrdiff_t i = input_row(g, c, oy, ox, ky, kx);
                            if (i < 0) continue; /* the padding: no weight met an input here */
                            size_t k = (c * K + ky) * K + kx;
                            const real *x = &MAT_AT(X, (size_t)i, 0);
                            for (size_t j = 0; j < m; j++) MAT_AT(dW, f, k) += dz[j] * x[j];
                            if (dX == NULL) continue;
                            real *dx = &MAT_AT(dX, (size_t)i, 0);
                            for (size_t j = 0; j < m; j++) dx[j] += MAT_AT(W, f, k) * dz[j];
                        }
            }
}
