/* pool.h: max pooling, each channel shrunk by keeping the largest value of
 * every window.
 *
 * For a batch of maps X (C·H·W × m) in im2col.h's layout, windows of
 * size × size pixels, `stride` apart, no padding: OH × OW of them per channel,
 *   OH = (H − size)/stride + 1,   OW = (W − size)/stride + 1   (rounded down:
 * the last rows and columns no window reaches are left out), and
 *   Y[c,oy,ox][j] = max over ky, kx < size of X[c, oy·stride + ky, ox·stride + kx][j],
 * Y (C·OH·OW × m), row (c·OH + oy)·OW + ox. Pooling has no parameters; its
 * backward pass sends each dY entry to the one input that won its window:
 *   dX = 0, then dX[where[r][j]][j] += dY[r][j] for every entry of dY,
 * added, so that an input that wins several overlapping windows (stride <
 * size) gets the sum of their gradients; every other input gets exactly 0.
 *
 * Ties: the FIRST maximum in the window's row-major order (ky, then kx)
 * wins. NaN: a NaN wins over any number (the first NaN, when there are
 * several), so Y is NaN and a diverging network does not hide it; its
 * gradient goes to that NaN input. */
#ifndef NN_POOL_H
#define NN_POOL_H

#include <stddef.h>

#include "error.h"
#include "matrix.h"

/* C channels of H×W pixels, windows of size×size, `stride` pixels apart. */
typedef struct {
    size_t channels, height, width;
    size_t size, stride;
} PoolGeometry;

/* Where each maximum came from: one entry per entry of Y (C·OH·OW × m), in
 * Y's order, data[r·cols + j] the row of X that held Y[r][j]. */
typedef struct {
    size_t rows, cols;
    size_t *data;
    size_t capacity; /* entries allocated: rows × cols at creation */
} PoolIndex;

/* Returns 0 when g can pool: C, H, W, size and stride from 1 to
 * CONV_MAX_SIZE (im2col.h) and the window within the map (size ≤ H, size ≤ W);
 * otherwise -1 and a message in err saying what is wrong (error.h). */
int pool_geometry_check(const PoolGeometry *g, NnError *err);

/* OH = (H − size)/stride + 1 and OW = (W − size)/stride + 1. The geometry
 * must pass pool_geometry_check: any other stops the program (a bug). */
size_t pool_out_height(const PoolGeometry *g);
size_t pool_out_width(const PoolGeometry *g);

/* A new index of rows × cols entries (C·OH·OW × the largest batch), made
 * once by the caller, who frees it with pool_index_free (NULL: nothing). */
PoolIndex *pool_index_new(size_t rows, size_t cols);
void pool_index_free(PoolIndex *where);

/* Y (C·OH·OW × m) = the max of every window of X (C·H·W × m), and in where
 * the row of X each came from (ties and NaN as above). Y and where must have
 * C·OH·OW rows and room for m columns: they are given m (as mat_set_cols). */
void max_pool_forward(Matrix *Y, PoolIndex *where, const Matrix *X, const PoolGeometry *g);

/* dX (C·H·W × m) = 0, then each entry of dY (C·OH·OW × m) added to the input
 * that won its window, as where (from max_pool_forward) says. dX must have
 * C·H·W rows and room for m columns: it is given m. */
void max_pool_backward(Matrix *dX, const Matrix *dY, const PoolIndex *where, const PoolGeometry *g);

#endif
