/* im2col.h: a convolution as one matrix product, by copying every patch of
 * the input into a column.
 *
 * A batch of feature maps is a Matrix (C·H·W × m), one column per example,
 * as X (784×m) is for MNIST (a 1×28×28 map as it is): the value of channel
 * c at pixel (y, x) of example j is in row (c·H + y)·W + x, column j. The
 * example is the fastest index, so one pixel across the batch is a run of m
 * reals in a line, and a dense layer reads a convolution's output unchanged.
 *
 * A convolution slides a K×K kernel over the input padded with P zeros on
 * every side, S pixels at a time: OH × OW positions,
 *   OH = (H + 2P − K)/S + 1,   OW = (W + 2P − K)/S + 1   (rounded down).
 * im2col copies the patch under each position into a column of
 *   cols (C·K·K × OH·OW·m),
 *   cols[(c·K + ky)·K + kx][(oy·OW + ox)·m + j] = X[(c·H + iy)·W + ix][j],
 *   iy = oy·S + ky − P,  ix = ox·S + kx − P,  and 0 where (iy, ix) is padding,
 * so that F filters W (F × C·K·K), W[f][(c·K + ky)·K + kx], give every output
 * of every example in ONE product:
 *   Z (F × OH·OW·m) = W (F × C·K·K) · cols (C·K·K × OH·OW·m),
 * and the same memory read as (F·OH·OW × m) is the output maps in the layout
 * above: row (f·OH + oy)·OW + ox, column j. Its bias is mat_add_col on the
 * (F × OH·OW·m) view. col2im is im2col's adjoint, the backward pass's
 *   dX (C·H·W × m) = col2im(Wᵀ · dZ).
 * lib/conv.h defines the convolution itself, the reference for this. */
#ifndef NN_IM2COL_H
#define NN_IM2COL_H

#include <stddef.h>

#include "error.h"
#include "matrix.h"

/* The input's C channels of H×W pixels, and a square kernel of K×K sliding
 * S pixels at a time over the input padded with P zeros on every side. */
typedef struct {
    size_t channels, height, width; /* C, H, W */
    size_t kernel, stride, pad;     /* K, S, P */
} ConvGeometry;

/* The largest value of any of the six numbers of a geometry (of a pool's too). */
enum { CONV_MAX_SIZE = 65536 };

/* The numbers a pass over the maps must touch before the threads share it
 * (im2col, col2im, pooling): below, starting them costs more than it saves. */
enum { CONV_PARALLEL_MIN = 1 << 16 };

/* A geometry in a message: "in " CONV_GEOMETRY_FMT "...", CONV_GEOMETRY_ARGS(g). */
#define CONV_GEOMETRY_FMT "a %zu×%zu×%zu input, a %zu×%zu kernel, stride %zu, padding %zu"
#define CONV_GEOMETRY_ARGS(g)                                                                      \
    (g)->channels, (g)->height, (g)->width, (g)->kernel, (g)->kernel, (g)->stride, (g)->pad

/* Returns 0 when g is a geometry a convolution can have: C, H, W, K and S
 * from 1 to CONV_MAX_SIZE, P from 0 to CONV_MAX_SIZE, and the kernel within
 * the padded image (K ≤ H + 2P and K ≤ W + 2P); otherwise -1 and a message
 * in err saying which number is wrong (error.h), for a program checking its
 * flags. A padding of K or more is allowed: its outer outputs see only zeros. */
int conv_geometry_check(const ConvGeometry *g, NnError *err);

/* OH = (H + 2P − K)/S + 1 and OW = (W + 2P − K)/S + 1. The geometry must
 * pass conv_geometry_check: any other stops the program (a bug). */
size_t conv_out_height(const ConvGeometry *g);
size_t conv_out_width(const ConvGeometry *g);

/* cols (C·K·K × OH·OW·m) = the patches of X (C·H·W × m), as above. cols must
 * have C·K·K rows and room for OH·OW·m columns: they are set to that (as
 * mat_set_cols does), so a workspace for the largest batch serves every batch. */
void im2col(Matrix *cols, const Matrix *X, const ConvGeometry *g);

/* The adjoint of im2col: dX (C·H·W × m) = 0, then every entry of
 * dcols (C·K·K × OH·OW·m) added to the input entry im2col copied it from
 * (where patches overlap, their entries sum; those of the padding are
 * dropped). dX must have C·H·W rows and room for m columns, set as above. */
void col2im(Matrix *dX, const Matrix *dcols, const ConvGeometry *g);

#endif
