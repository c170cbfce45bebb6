/* im2col.c: the patches of a batch of feature maps as the columns of one
 * matrix, and the adjoint that adds them back (im2col.h). */
#include "im2col.h"

#include <stdint.h>
#include <string.h>

#include "fail.h"

/* What inside() says of a coordinate that falls in the padding. */
#define PADDING SIZE_MAX

int conv_geometry_check(const ConvGeometry *g, NnError *err)
{
    size_t C = g->channels, H = g->height, W = g->width, K = g->kernel, S = g->stride, P = g->pad;
    if (C < 1 || C > CONV_MAX_SIZE || H < 1 || H > CONV_MAX_SIZE || W < 1 || W > CONV_MAX_SIZE)
        return nn_error(err, "a %zu×%zu×%zu input (C×H×W): each goes from 1 to %d", C, H, W,
                        CONV_MAX_SIZE);
    if (K < 1 || K > CONV_MAX_SIZE)
        return nn_error(err, "a %zu×%zu kernel: its side goes from 1 to %d", K, K, CONV_MAX_SIZE);
    if (S < 1 || S > CONV_MAX_SIZE)
        return nn_error(err, "a stride of %zu: it goes from 1 to %d", S, CONV_MAX_SIZE);
    if (P > CONV_MAX_SIZE)
        return nn_error(err, "a padding of %zu: it goes from 0 to %d", P, CONV_MAX_SIZE);
    if (K > H + 2 * P || K > W + 2 * P)
        return nn_error(err,
                        "a %zu×%zu kernel does not fit in a %zu×%zu input padded with %zu "
                        "zeros on every side (%zu×%zu): use a smaller kernel or more padding",
                        K, K, H, W, P, H + 2 * P, W + 2 * P);
    return 0;
}

/* (side + 2P − K)/S + 1: the positions of the kernel along a side of the
 * input. Stops the program, naming func and what is wrong, unless g is valid. */
static size_t positions(const char *func, const ConvGeometry *g, size_t side)
{
    NnError err;
    if (conv_geometry_check(g, &err) != 0) nn_bug(func, "%s", err.message);
    return (side + 2 * g->pad - g->kernel) / g->stride + 1;
}

size_t conv_out_height(const ConvGeometry *g)
{
    return positions(__func__, g, g->height);
}

size_t conv_out_width(const ConvGeometry *g)
{
    return positions(__func__, g, g->width);
}

/* i = at − P when that is a pixel of an image of `size` pixels (0 ≤ i < size),
 * with at = o·S + k the coordinate in the padded image; PADDING otherwise. */
static size_t inside(size_t at, size_t pad, size_t size)
{
    return at >= pad && at - pad < size ? at - pad : PADDING;
}

/* Stops the program, naming func and the shapes, unless the maps have C·H·W
 * rows and room for m columns, and the patches C·K·K rows and room for OH·OW·m. */
static void require_shapes(const char *func, const Matrix *maps, const Matrix *cols,
                           const ConvGeometry *g, size_t m)
{
    size_t C = g->channels, K = g->kernel;
    size_t outputs = conv_out_height(g) * conv_out_width(g); /* OH·OW */
    if (maps->rows != C * g->height * g->width || maps->rows * m > maps->capacity ||
        cols->rows != C * K * K || cols->rows * outputs * m > cols->capacity)
        nn_bug(func,
               "maps (%zu×%zu, room for %zu values) and patches (%zu×%zu, room for %zu) "
               "for " CONV_GEOMETRY_FMT ": the maps must be %zu×%zu, the patches %zu×%zu",
               maps->rows, maps->cols, maps->capacity, cols->rows, cols->cols, cols->capacity,
               CONV_GEOMETRY_ARGS(g), C * g->height * g->width, m, C * K * K, outputs * m);
}

void im2col(Matrix *cols, const Matrix *X, const ConvGeometry *g)
{
    size_t K = g->kernel, S = g->stride, P = g->pad, m = X->cols;
    size_t OH = conv_out_height(g), OW = conv_out_width(g);
    require_shapes(__func__, X, cols, g, m);
    mat_set_cols(cols, OH * OW * m); /* cols (C·K·K × OH·OW·m) */
    size_t run = m * sizeof(real);   /* one pixel across the batch: m reals in a line */
    /* Each row of cols is written by one thread: the threads share them. */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (cols->rows * cols->cols >= CONV_PARALLEL_MIN)
#endif
    for (size_t r = 0; r < cols->rows; r++) {
        /* row r of cols is kernel entry (ky, kx) of channel c: r = (c·K + ky)·K + kx */
        size_t c = r / (K * K), ky = r / K % K, kx = r % K;
        for (size_t oy = 0; oy < OH; oy++) {
            real *to = &MAT_AT(cols, r, oy * OW * m); /* output (oy, 0), example 0 */
            size_t iy = inside(oy * S + ky, P, g->height);
            if (iy == PADDING) { /* a row of padding: OW pixels of zeros */
                memset(to, 0, OW * run);
                continue;
            }
            for (size_t ox = 0; ox < OW; ox++, to += m) {
                size_t ix = inside(ox * S + kx, P, g->width);
                if (ix == PADDING)
                    memset(to, 0, run);
                else
                    memcpy(to, &MAT_AT(X, (c * g->height + iy) * g->width + ix, 0), run);
            }
        }
    }
}

/* Channel c's part of col2im: its K·K rows of dcols (m examples each)
 * added back where im2col took them from. */
static void add_channel(Matrix *dX, const Matrix *dcols, const ConvGeometry *g, size_t c, size_t m)
{
    size_t K = g->kernel, S = g->stride, P = g->pad;
    size_t OH = conv_out_height(g), OW = conv_out_width(g);
    for (size_t r = c * K * K; r < (c + 1) * K * K; r++) { /* r = (c·K + ky)·K + kx */
        size_t ky = r / K % K, kx = r % K;
        for (size_t oy = 0; oy < OH; oy++) {
            const real *from = &MAT_AT(dcols, r, oy * OW * m);
            size_t iy = inside(oy * S + ky, P, g->height);
            if (iy == PADDING) continue; /* a row of padding: nothing to add to */
            for (size_t ox = 0; ox < OW; ox++, from += m) {
                size_t ix = inside(ox * S + kx, P, g->width);
                if (ix == PADDING) continue;
                real *to = &MAT_AT(dX, (c * g->height + iy) * g->width + ix, 0);
                for (size_t j = 0; j < m; j++) to[j] += from[j];
            }
        }
    }
}

void col2im(Matrix *dX, const Matrix *dcols, const ConvGeometry *g)
{
    size_t OH = conv_out_height(g), OW = conv_out_width(g), m = dcols->cols / (OH * OW);
    NN_REQUIRE(m * OH * OW == dcols->cols && m > 0,
               "dcols (%zu×%zu) for " CONV_GEOMETRY_FMT ": its columns must be OH·OW·m = %zu·m",
               dcols->rows, dcols->cols, CONV_GEOMETRY_ARGS(g), OH * OW);
    require_shapes(__func__, dX, dcols, g, m);
    mat_set_cols(dX, m); /* dX (C·H·W × m) */
    mat_fill(dX, 0);
    /* Channel c's rows of dcols add only into channel c of dX: the threads
     * share the channels, each adding its own in the order one thread would. */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (dcols->rows * dcols->cols >= CONV_PARALLEL_MIN)
#endif
    for (size_t c = 0; c < g->channels; c++) add_channel(dX, dcols, g, c, m);
}
