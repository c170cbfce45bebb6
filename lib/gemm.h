/* gemm.h: fast matrix products, the speed chapter's (chapter 09).
 *
 * The products of chapter 01, C = op(A) · op(B) with op the matrix or its
 * transpose, computed the way fast libraries compute them:
 *  - cache blocking: C is made block by block, and the pieces of A and B a
 *    block needs are first copied ("packed") into small contiguous buffers
 *    sized to stay in the caches while they are used: KC×MC of A in the L2
 *    cache, KC×NR strips of B streaming through L1;
 *  - a register-blocked micro-kernel: an MR×NR tile of C stays in vector
 *    registers for the whole KC loop; each step loads MR numbers of A and NR
 *    of B and does MR·NR fused multiply-adds;
 *  - both cores: the blocks of rows are shared among threads with OpenMP,
 *    when the library is built with it (OMP_NUM_THREADS chooses how many).
 * A transpose costs nothing: packing reads A or B in whichever order.
 * The results differ from chapter 01's products by rounding only: the same
 * terms, summed in another order, with fused multiply-adds. */
#ifndef NN_GEMM_H
#define NN_GEMM_H

#include <stddef.h>

#include "matrix.h"

typedef enum { GEMM_PLAIN, GEMM_TRANSPOSED } GemmOp;

/* The packing buffers, made on first use, grown when needed, reused: after
 * the first product of each shape, a product allocates nothing. */
typedef struct {
    real *a, *b;
    size_t a_size, b_size; /* in reals */
} GemmWork;

void gemm_work_init(GemmWork *w);
void gemm_work_release(GemmWork *w);

/* C = op_a(A) · op_b(B), where op(M) is M or Mᵀ. C must not be A or B.
 * Shapes that do not fit are a bug: it stops, naming them. */
void gemm(GemmWork *w, Matrix *C, const Matrix *A, GemmOp op_a, const Matrix *B, GemmOp op_b);

/* C = C + a · op_a(A) · op_b(B), the sum of each tile added to C as it
 * leaves the registers: the same bits as making P = op(A)·op(B) first and
 * then mat_axpy(C, a, P), without P. The step W = W - α·dZ·Xᵀ, with no dW
 * stored (chapter 09's plain SGD). The whole sum over k is made before it is
 * added, so k is not cut into blocks: meant for short sums, such as a batch. */
void gemm_axpy(GemmWork *w, Matrix *C, real a, const Matrix *A, GemmOp op_a, const Matrix *B,
               GemmOp op_b);

/* A dense layer's forward pass in one product: Z = W·op(X) + b, and, unless
 * A is NULL, A = ReLU(Z), both written as each tile of Z leaves the
 * registers instead of in two more passes over Z. */
void gemm_bias_relu(GemmWork *w, Matrix *Z, Matrix *A, const Matrix *W, const Matrix *X,
                    GemmOp op_x, const Matrix *b);

/* The micro-kernel's tile, MR×NR, for this build (it depends on the vector
 * registers the compiler targets: AVX-512, or narrower). */
size_t gemm_tile_rows(void);
size_t gemm_tile_cols(void);

/* How many threads gemm uses (1 without OpenMP). */
int gemm_threads(void);

#endif
