/* gemm.c: blocked, packed, register-tiled matrix products (gemm.h). */
#include "gemm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "fail.h"

/* The tile of C kept in registers, and the cache blocks. A tile row is two
 * vector registers wide. With AVX-512 (32 registers of 64 bytes: 16 floats)
 * an 8×32 tile of floats takes 16 registers, leaving room for B's two and
 * A's broadcast. With AVX2 (16 registers of 32 bytes) a 6×16 tile takes 12.
 * Doubles: half as many per register, so half the columns. */
#if defined(__AVX512F__)
enum { MR = 8, NR = 128 / (int)sizeof(real) };
#else
enum { MR = 6, NR = 64 / (int)sizeof(real) };
#endif
enum { KC = 256, MC = 96, NC = 4096 };

#ifdef __FMA__
#define MADD(a, b, c) ((real)_Generic((real)0, float: fmaf, double: fma)((a), (b), (c)))
#else
#define MADD(a, b, c) ((a) * (b) + (c))
#endif

size_t gemm_tile_rows(void)
{
    return MR;
}

size_t gemm_tile_cols(void)
{
    return NR;
}

int gemm_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

void gemm_work_init(GemmWork *w)
{
    *w = (GemmWork){0};
}

void gemm_work_release(GemmWork *w)
{
    free(w->a), free(w->b);
    *w = (GemmWork){0};
}

/* Makes *buf hold at least n reals (it keeps the larger of old and new). */
static real *reserve(real **buf, size_t *size, size_t n)
{
    if (*size < n) {
        free(*buf);
        *buf = nn_alloc(n, sizeof(real), "the packing buffers");
        *size = n;
    }
    return *buf;
}

/* A view of a matrix as op(M): element (i, j) at data[i*rs + j*cs]. */
typedef struct {
    const real *data;
    size_t rows, cols, rs, cs;
} View;

static View view(const Matrix *M, GemmOp op)
{
    return op == GEMM_PLAIN ? (View){M->data, M->rows, M->cols, M->cols, 1}
                            : (View){M->data, M->cols, M->rows, 1, M->cols};
}

/* Packs rows i0..i0+mc-1, columns p0..p0+kc-1 of A into panels of MR rows:
 * panel r holds, for each p, its MR numbers side by side (zeros past mc). */
static void pack_a(const View *A, size_t i0, size_t mc, size_t p0, size_t kc, real *out)
{
    for (size_t ir = 0; ir < mc; ir += MR)
        for (size_t p = 0; p < kc; p++)
            for (size_t i = 0; i < MR; i++)
                *out++ = ir + i < mc ? A->data[(i0 + ir + i) * A->rs + (p0 + p) * A->cs] : 0;
}

/* Packs rows p0..p0+kc-1, columns j0..j0+nc-1 of B into panels of NR columns.
 * Where B's rows are contiguous (not transposed) a whole panel row is one copy. */
static void pack_b(const View *B, size_t p0, size_t kc, size_t j0, size_t nc, real *out)
{
    for (size_t jr = 0; jr < nc; jr += NR)
        for (size_t p = 0; p < kc; p++, out += NR) {
            const real *row = &B->data[(p0 + p) * B->rs + (j0 + jr) * B->cs];
            if (B->cs == 1 && jr + NR <= nc) {
                memcpy(out, row, NR * sizeof(real));
                continue;
            }
            for (size_t j = 0; j < NR; j++) out[j] = jr + j < nc ? row[j * B->cs] : 0;
        }
}

/* Where a micro-kernel's tile goes, and what to do there. */
typedef struct {
    real *c;            /* the tile's corner in C */
    size_t ldc, mr, nr; /* C's row length; the rows and columns of the tile that exist */
    int first;          /* the first block of k: store, rather than add to what is there */
    const real *bias;   /* the last block of k: b_i added to row i (NULL: none) */
    real *relu;         /* the last block of k: ReLU(C) also written here, laid out as C */
} Tile;

/* C = (first ? 0 : C) + acc; then, on the last block of k, C += b and
 * A = ReLU(C), while the tile is still in the L1 cache, instead of in two
 * more passes over the whole of Z (the fusion). */
static inline void store(size_t rows, size_t cols, real acc[MR][NR], const Tile *t)
{
    real *c = t->c;
    for (size_t i = 0; i < rows; i++, c += t->ldc)
        for (size_t j = 0; j < cols; j++) c[j] = t->first ? acc[i][j] : c[j] + acc[i][j];
    if (t->bias == NULL) return;
    c = t->c;
    for (size_t i = 0; i < rows; i++, c += t->ldc) {
        for (size_t j = 0; j < cols; j++) c[j] += t->bias[i];
        if (t->relu == NULL) continue;
        real *a = t->relu + i * t->ldc;
        for (size_t j = 0; j < cols; j++) a[j] = c[j] > 0 ? c[j] : 0;
    }
}

/* The micro-kernel: `rows` (≤ MR) rows of packed A (MR×kc panels) times
 * packed B (kc×NR), an MR×NR tile kept in registers, then stored. Called
 * with a constant `rows`, the compiler makes one copy per value: a remainder
 * of 2 rows costs 2 rows of work, not MR. */
static inline void kernel_rows(size_t rows, size_t kc, const real *restrict a,
                               const real *restrict b, const Tile *t)
{
    real acc[MR][NR];
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < NR; j++) acc[i][j] = 0;
    for (size_t p = 0; p < kc; p++, a += MR, b += NR)
        for (size_t i = 0; i < rows; i++)
#pragma omp simd /* gcc vectorises floats on its own, doubles only when told */
            for (size_t j = 0; j < NR; j++) acc[i][j] = MADD(a[i], b[j], acc[i][j]);
    if (t->mr == rows && t->nr == NR)
        store(rows, NR, acc, t); /* a whole tile: fixed bounds, so the stores vectorise too */
    else
        store(t->mr, t->nr, acc, t);
}

static void kernel(size_t kc, const real *a, const real *b, const Tile *t)
{
    switch (t->mr) { /* the rows left: MR, or the last tile's remainder */
    case 1: kernel_rows(1, kc, a, b, t); break;
    case 2: kernel_rows(2, kc, a, b, t); break;
    case 3: kernel_rows(3, kc, a, b, t); break;
    case 4: kernel_rows(4, kc, a, b, t); break;
    case 5: kernel_rows(5, kc, a, b, t); break;
    case 6: kernel_rows(6, kc, a, b, t); break;
#if MR > 6
    case 7: kernel_rows(7, kc, a, b, t); break;
#endif
    default: kernel_rows(MR, kc, a, b, t); break;
    }
}

/* What gemm applies as it stores the last block of k: see Tile. */
typedef struct {
    const Matrix *bias; /* (M×1) or NULL */
    Matrix *relu;       /* like C, or NULL */
} Epilogue;

/* One block of C: rows ic..ic+mc-1 against the packed B panel (kc×nc at
 * column jc), for the kc rows of B starting at pc, of K in all. */
static void block(const View *A, size_t ic, size_t mc, size_t pc, size_t kc, size_t K,
                  const real *b, size_t jc, size_t nc, real *a, Matrix *C, const Epilogue *e)
{
    int last = pc + kc == K;
    pack_a(A, ic, mc, pc, kc, a);
    for (size_t jr = 0; jr < nc; jr += NR)
        for (size_t ir = 0; ir < mc; ir += MR) {
            size_t at = (ic + ir) * C->cols + jc + jr;
            Tile t = {&C->data[at], C->cols, mc - ir < MR ? mc - ir : MR,
                      nc - jr < NR ? nc - jr : NR, pc == 0,
                      last && e->bias != NULL ? &e->bias->data[ic + ir] : NULL,
                      last && e->relu != NULL ? &e->relu->data[at] : NULL};
            kernel(kc, a + ir * kc, b + jr * kc, &t);
        }
}

static void gemm_with(GemmWork *w, Matrix *C, const Matrix *A_, GemmOp op_a, const Matrix *B_,
                      GemmOp op_b, const Epilogue *e)
{
    View A = view(A_, op_a), B = view(B_, op_b);
    NN_REQUIRE(A.cols == B.rows && C->rows == A.rows && C->cols == B.cols,
               "C (%zu×%zu) = op(A) (%zu×%zu) · op(B) (%zu×%zu): shapes do not fit", C->rows,
               C->cols, A.rows, A.cols, B.rows, B.cols);
    NN_REQUIRE(C != A_ && C != B_, "C must not be A or B");
    size_t M = A.rows, N = B.cols, K = A.cols;
    if (K == 0) { /* an empty sum: zeros (a layer has inputs, so no epilogue comes here) */
        memset(C->data, 0, M * N * sizeof(real));
        return;
    }
    /* Below about a million multiply-adds, waking a second thread costs more
     * than it saves. */
    int threads = (double)M * (double)N * (double)K < 1e6 ? 1 : gemm_threads();
    /* Rows per block: MC, or fewer so that every thread gets a block. */
    size_t per_thread = (M + (size_t)threads - 1) / (size_t)threads;
    size_t mc_rows = per_thread < MC ? (per_thread + MR - 1) / MR * MR : MC;
    size_t mc_blocks = (M + mc_rows - 1) / mc_rows;
    real *bp = reserve(&w->b, &w->b_size, (size_t)KC * ((NC + NR - 1) / NR * NR));
    real *ap = reserve(&w->a, &w->a_size, (size_t)threads * MC * KC);
    for (size_t jc = 0; jc < N; jc += NC) {
        size_t nc = N - jc < NC ? N - jc : NC;
        for (size_t pc = 0; pc < K; pc += KC) {
            size_t kc = K - pc < KC ? K - pc : KC;
            pack_b(&B, pc, kc, jc, nc, bp);
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && mc_blocks > 1)
#endif
            for (size_t blk = 0; blk < mc_blocks; blk++) {
                size_t ic = blk * mc_rows, mc = M - ic < mc_rows ? M - ic : mc_rows;
#ifdef _OPENMP
                real *a = ap + (size_t)omp_get_thread_num() * MC * KC;
#else
                real *a = ap;
#endif
                block(&A, ic, mc, pc, kc, K, bp, jc, nc, a, C, e);
            }
        }
    }
}

void gemm(GemmWork *w, Matrix *C, const Matrix *A, GemmOp op_a, const Matrix *B, GemmOp op_b)
{
    const Epilogue none = {NULL, NULL};
    gemm_with(w, C, A, op_a, B, op_b, &none);
}

void gemm_bias_relu(GemmWork *w, Matrix *Z, Matrix *A, const Matrix *W, const Matrix *X, GemmOp op_x,
                    const Matrix *b)
{
    NN_REQUIRE(b->rows == Z->rows && b->cols == 1, "b (%zu×%zu) for Z (%zu×%zu)", b->rows, b->cols,
               Z->rows, Z->cols);
    NN_REQUIRE(A == NULL || (A->rows == Z->rows && A->cols == Z->cols && A != Z),
               "A must be shaped like Z, and not Z");
    const Epilogue e = {b, A};
    gemm_with(w, Z, W, GEMM_PLAIN, X, op_x, &e);
}
