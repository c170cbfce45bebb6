/* pool.c: max pooling, forward and backward (pool.h). */
#include "pool.h"

#include <math.h>
#include <stdlib.h>

#include "fail.h"
#include "im2col.h"

/* A geometry in a message, as im2col.h's CONV_GEOMETRY_FMT. */
#define POOL_GEOMETRY_FMT "a %zu×%zu×%zu input, %zu×%zu windows, stride %zu"
#define POOL_GEOMETRY_ARGS(g)                                                                      \
    (g)->channels, (g)->height, (g)->width, (g)->size, (g)->size, (g)->stride

int pool_geometry_check(const PoolGeometry *g, NnError *err)
{
    size_t C = g->channels, H = g->height, W = g->width, size = g->size, S = g->stride;
    if (C < 1 || C > CONV_MAX_SIZE || H < 1 || H > CONV_MAX_SIZE || W < 1 || W > CONV_MAX_SIZE)
        return nn_error(err, "a %zu×%zu×%zu map to pool (C×H×W): each goes from 1 to %d", C, H, W,
                        CONV_MAX_SIZE);
    if (S < 1 || S > CONV_MAX_SIZE)
        return nn_error(err, "a pooling stride of %zu: it goes from 1 to %d", S, CONV_MAX_SIZE);
    if (size < 1 || size > H || size > W)
        return nn_error(err, "%zu×%zu pooling windows on a %zu×%zu map: their side is 1 to %zu",
                        size, size, H, W, H < W ? H : W);
    return 0;
}

/* (side − size)/stride + 1: the windows along a side of the map. Stops the
 * program, naming func and what is wrong, unless g is valid. */
static size_t windows(const char *func, const PoolGeometry *g, size_t side)
{
    NnError err;
    if (pool_geometry_check(g, &err) != 0) nn_bug(func, "%s", err.message);
    return (side - g->size) / g->stride + 1;
}

size_t pool_out_height(const PoolGeometry *g)
{
    return windows(__func__, g, g->height);
}

size_t pool_out_width(const PoolGeometry *g)
{
    return windows(__func__, g, g->width);
}

PoolIndex *pool_index_new(size_t rows, size_t cols)
{
    NN_REQUIRE(rows > 0 && cols > 0, "an index needs at least one row and one column, got %zu×%zu",
               rows, cols);
    PoolIndex *where = nn_alloc(1, sizeof *where, "a pooling index header");
    where->data = nn_alloc(rows, cols * sizeof *where->data, "a pooling index");
    where->rows = rows, where->cols = cols, where->capacity = rows * cols;
    for (size_t i = 0; i < rows * cols; i++) where->data[i] = 0;
    return where;
}

void pool_index_free(PoolIndex *where)
{
    if (where == NULL) return;
    free(where->data);
    free(where);
}

/* Whether v takes the place of the window's best so far: a larger number, or
 * the first NaN. An equal value does not: the first maximum stays. */
static int beats(real v, real best)
{
    return v > best || (isnan(v) && !isnan(best));
}

/* y[j] = the max of the window whose top-left pixel is row `first` of X, and
 * at[j] the row that held it, for every example j. */
static void window_max(real *y, size_t *at, const Matrix *X, size_t first, const PoolGeometry *g)
{
    size_t m = X->cols;
    for (size_t j = 0; j < m; j++) y[j] = MAT_AT(X, first, j), at[j] = first;
    for (size_t ky = 0; ky < g->size; ky++)
        for (size_t kx = 0; kx < g->size; kx++) {  /* (0, 0) again: it does not beat itself */
            size_t i = first + ky * g->width + kx; /* pixel (oy·S + ky, ox·S + kx) */
            const real *x = &MAT_AT(X, i, 0);
            for (size_t j = 0; j < m; j++)
                if (beats(x[j], y[j])) y[j] = x[j], at[j] = i;
        }
}

/* Stops the program, naming func and the shapes, unless the maps have C·H·W
 * rows and room for m columns, and the pooled C·OH·OW rows and room for m. */
static void require_shapes(const char *func, const Matrix *maps, const Matrix *pooled,
                           const PoolIndex *where, const PoolGeometry *g, size_t m)
{
    size_t rows = g->channels * pool_out_height(g) * pool_out_width(g);
    if (maps->rows != g->channels * g->height * g->width || maps->rows * m > maps->capacity ||
        pooled->rows != rows || rows * m > pooled->capacity || where->rows != rows ||
        rows * m > where->capacity)
        nn_bug(func,
               "maps (%zu×%zu, room for %zu values), pooled (%zu×%zu, room for %zu), where "
               "(%zu×%zu, room for %zu) for " POOL_GEOMETRY_FMT
               ": the maps must be %zu×%zu, the pooled and where %zu×%zu",
               maps->rows, maps->cols, maps->capacity, pooled->rows, pooled->cols, pooled->capacity,
               where->rows, where->cols, where->capacity, POOL_GEOMETRY_ARGS(g),
               g->channels * g->height * g->width, m, rows, m);
}

void max_pool_forward(Matrix *Y, PoolIndex *where, const Matrix *X, const PoolGeometry *g)
{
    size_t m = X->cols, OH = pool_out_height(g), OW = pool_out_width(g);
    require_shapes(__func__, X, Y, where, g, m);
    mat_set_cols(Y, m), where->cols = m; /* Y, where (C·OH·OW × m) */
    /* The threads share the channels: each window is one thread's. */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (X->rows * m >= CONV_PARALLEL_MIN)
#endif
    for (size_t c = 0; c < g->channels; c++)
        for (size_t oy = 0; oy < OH; oy++)
            for (size_t ox = 0; ox < OW; ox++) {
                size_t r = (c * OH + oy) * OW + ox; /* Y[c,oy,ox] */
                size_t first = (c * g->height + oy * g->stride) * g->width + ox * g->stride;
                window_max(&MAT_AT(Y, r, 0), &where->data[r * m], X, first, g);
            }
}

void max_pool_backward(Matrix *dX, const Matrix *dY, const PoolIndex *where, const PoolGeometry *g)
{
    size_t m = dY->cols;
    require_shapes(__func__, dX, dY, where, g, m);
    NN_REQUIRE(where->cols == m, "where (%zu×%zu) for dY (%zu×%zu): not the same batch",
               where->rows, where->cols, dY->rows, dY->cols);
    mat_set_cols(dX, m), mat_fill(dX, 0); /* dX (C·H·W × m) = 0 */
    /* Channel c's windows win only inputs of channel c: the threads share the
     * channels, each adding its own in the order one thread would. */
    size_t per_channel = dY->rows / g->channels;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (dX->rows * m >= CONV_PARALLEL_MIN)
#endif
    for (size_t c = 0; c < g->channels; c++)
        for (size_t r = c * per_channel; r < (c + 1) * per_channel; r++)
            for (size_t j = 0; j < m; j++) {
                size_t i = where->data[r * m + j]; /* the input that won Y[r][j] */
                NN_REQUIRE(i < dX->rows, "where[%zu][%zu] = %zu is not a row of dX (%zu×%zu)", r, j,
                           i, dX->rows, dX->cols);
                MAT_AT(dX, i, j) += MAT_AT(dY, r, j);
            }
}
