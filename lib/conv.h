/* conv.h: the convolution, by its definition: the reference that im2col and
 * the product (im2col.h) are tested against, and the lesson's formulas.
 *
 * F filters of C channels, each a K×K kernel: W (F × C·K·K), the weight of
 * filter f on channel c at kernel entry (ky, kx) in W[f][(c·K + ky)·K + kx],
 * and a bias b (F×1). For a batch X (C·H·W × m) in im2col.h's layout, output
 * map f at position (oy, ox), for example j, is the kernel's dot product with
 * the patch of X under it, summed over the channels:
 *   Z[f,oy,ox][j] = b[f] + Σ_c Σ_ky Σ_kx W[f][c,ky,kx] · X[c, oy·S+ky−P, ox·S+kx−P][j]
 * with X = 0 in the padding, and Z (F·OH·OW × m) in the same layout, row
 * (f·OH + oy)·OW + ox. As in every deep-learning library, this is really a
 * cross-correlation: the kernel is NOT flipped (a flipped one would be the
 * convolution of mathematics; learnt weights do not care which).
 *
 * The backward pass, from dZ (F·OH·OW × m), the gradient of the loss by Z,
 * sends each dZ entry back along every product that made it:
 *   dW[f][c,ky,kx] = Σ_oy,ox Σ_j dZ[f,oy,ox][j] · X[c, oy·S+ky−P, ox·S+kx−P][j]
 *   db[f]          = Σ_oy,ox Σ_j dZ[f,oy,ox][j]
 *   dX[c,iy,ix][j] = Σ_f Σ over the (oy, ox, ky, kx) with oy·S+ky−P = iy and
 *                    ox·S+kx−P = ix of W[f][c,ky,kx] · dZ[f,oy,ox][j]
 * dW and db are plain SUMS over the positions and the examples, with no 1/m:
 * the mean is the caller's, either by scaling them by 1/m as layer_backward
 * does (dZ of the summed loss m·L, layer.h's convention) or by passing a dZ
 * that already holds it (chapter 09's, fast_layer.h). dX needs no 1/m either
 * way, as layer.h's dX = Wᵀ·dZ needs none. */
#ifndef NN_CONV_H
#define NN_CONV_H

#include "im2col.h"
#include "matrix.h"

/* Z (F·OH·OW × m) = the convolution of X (C·H·W × m) by W (F × C·K·K) plus
 * b (F×1), as above. Z must have F·OH·OW rows and room for m columns (it is
 * given m, as mat_set_cols does). Plain loops: slow, and obviously right. */
void conv_forward_direct(Matrix *Z, const Matrix *W, const Matrix *b, const Matrix *X,
                         const ConvGeometry *g);

/* dW (F × C·K·K), db (F×1) and, unless dX is NULL, dX (C·H·W × m, given m
 * columns as above) from dZ (F·OH·OW × m), W and the input X of the forward
 * pass, as above: sums, no 1/m. */
void conv_backward_direct(Matrix *dW, Matrix *db, Matrix *dX, const Matrix *dZ, const Matrix *W,
                          const Matrix *X, const ConvGeometry *g);

#endif
