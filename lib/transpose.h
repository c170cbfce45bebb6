/* transpose.h: a small square of numbers transposed in vector registers, for
 * chapter 09's gather (the batch's rows into X's columns) and gemm's packing
 * of a transposed B (dW2 = dZ2·A1ᵀ's A1ᵀ).
 *
 * Written as two loops, to[p][j] = from[j][p], a transpose moves one number
 * at a time: gcc 12 loads each of a row's 16 numbers on its own and inserts
 * it into a register, 256 loads for a 16×16 square. Here the square is
 * TRANSPOSE_N × TRANSPOSE_N, one vector register across (16 floats with
 * AVX-512, 8 with AVX, 4 otherwise; half as many doubles): its N rows are
 * loaded whole into N registers, interleaved log2 N times, and stored whole.
 * Interleaving rows i and i + N/2 into rows 2i and 2i + 1, number by number,
 *     row 2i     = r[i][0], r[i+N/2][0], r[i][1], r[i+N/2][1], ...  (first halves)
 *     row 2i + 1 = the same of the second halves,
 * moves the number at (i, j) to (j, i) after log2 N rounds: written as one
 * number of 2·log2 N bits, the row's bits then the column's, each round
 * rotates a position left by one bit, so log2 N rounds swap the halves.
 * Numbers are only moved, never computed: the same bits as the loops. */
#ifndef NN_TRANSPOSE_H
#define NN_TRANSPOSE_H

#include <stddef.h>

#include "real.h"

/* The bytes of one vector register, as chapter 09's build targets it. */
#if defined(__AVX512F__)
#define TRANSPOSE_BYTES 64
#elif defined(__AVX__)
#define TRANSPOSE_BYTES 32
#else
#define TRANSPOSE_BYTES 16 /* SSE2, which every x86-64 has, or ARM's NEON */
#endif

#ifdef NN_REAL_DOUBLE
#define TRANSPOSE_N (TRANSPOSE_BYTES / 8)
#else
#define TRANSPOSE_N (TRANSPOSE_BYTES / 4)
#endif

/* to[p·ldt + j] = from[j·ldf + p] for p, j < TRANSPOSE_N: the square at
 * `from` (rows ldf numbers apart) transposed into the square at `to` (rows
 * ldt apart). The two squares must not overlap. */
void transpose_square(real *restrict to, size_t ldt, const real *restrict from, size_t ldf);

#endif
