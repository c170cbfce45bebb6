/* gemm.c: blocked, packed, register-tiled matrix products (gemm.h). */
#include "gemm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "fail.h"
#include "transpose.h"

/* The tile of C kept in registers, and the cache blocks. A tile row is two
 * vector registers wide. With AVX-512 (32 registers of 64 bytes: 16 floats)
 * an 8×32 tile of floats takes 16 registers, leaving room for B's two and
 * A's broadcast. With AVX or AVX2 (16 registers of 32 bytes) a 6×16 tile
 * takes 12. Otherwise, the portable tile: 6×8, 12 registers of 16 bytes
 * (SSE2, which every x86-64 has, or ARM's NEON). Doubles: half as many per
 * register, so half the columns. */
#if defined(__AVX512F__)
enum { MR = 8, NR = 128 / (int)sizeof(real) };
#elif defined(__AVX__)
enum { MR = 6, NR = 64 / (int)sizeof(real) };
#else
enum { MR = 6, NR = 32 / (int)sizeof(real) };
#endif
enum { KC = 256, MC = 96, NC = 4096 };
_Static_assert(NR == 2 * TRANSPOSE_N, "a panel of B is two of transpose.h's squares across");
#ifndef GEMM_DIRECT_BYTES
#define GEMM_DIRECT_BYTES (256 * 1024)
#endif

/* clang, left alone, vectorises the kernel across the tile's rows, through
 * memory; unrolled first, the rows' loop leaves it the columns'. gcc needs
 * no telling. */
#ifdef __clang__
#define UNROLL_ROWS _Pragma("unroll")
/* Under AddressSanitizer, which checks every access, clang cannot vectorise
 * the kernel: the request (omp simd) then fails with a warning, harmlessly.
 * Elsewhere the warning stays an error: a kernel left scalar is a bug. */
#if __has_feature(address_sanitizer)
#pragma clang diagnostic ignored "-Wpass-failed"
#endif
#else
#define UNROLL_ROWS
#endif

/* Laid out by hand: clang-format would space _Generic's associations like labels. */
/* clang-format off */
#ifdef __FMA__
#define MADD(a, b, c) ((real)_Generic((real)0, float: fmaf, double: fma)((a), (b), (c)))
#else
#define MADD(a, b, c) ((a) * (b) + (c))
#endif
/* clang-format on */

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
        *buf = nn_alloc_lines(n, sizeof(real), "the packing buffers");
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

/* The rows of the next tile, `left` rows before the end of a block: MR, but
 * no short last tile: MR + r rows with r < MR/2 become two tiles of about
 * (MR + r)/2 (a 2-row tile keeps too few sums going to hide the latency of
 * its multiply-adds; Z2's 10 rows run as 5 + 5, not 8 + 2). */
static size_t tile_rows(size_t left)
{
    if (left <= MR) return left;
    if (left < MR + MR / 2) return (left + 1) / 2;
    return MR;
}

/* Packs rows i0..i0+mc-1, columns p0..p0+kc-1 of a transposed A (its
 * columns, op(A)'s rows, lie apart; for each p its MR numbers lie side by
 * side) into panels of MR×kc, one per tile (tile_rows): for each p, a tile's
 * numbers side by side, zeros after its last row. */
static void pack_a(const View *A, size_t i0, size_t mc, size_t p0, size_t kc, real *out)
{
    const real *a = &A->data[i0 + p0 * A->cs];
    for (size_t ir = 0, rows; ir < mc; ir += rows, a += rows) {
        rows = tile_rows(mc - ir);
        for (size_t p = 0; p < kc; p++, out += MR)
            if (rows == MR) /* fixed bounds: one vector copy, not a call to memcpy */
                for (size_t i = 0; i < MR; i++) out[i] = a[p * A->cs + i];
            else
                for (size_t i = 0; i < MR; i++) out[i] = i < rows ? a[p * A->cs + i] : 0;
    }
}

/* Whether panel jr of B (kc×NR, at column j0 + jr) is read where it is,
 * unpacked: B's rows are contiguous there and the panel is whole, and
 * packing would not pay (`direct`): B is small enough that its rows stay in
 * the caches anyway, or C has so few rows that each panel serves one block
 * of them, once. Copying B then costs as much as multiplying by it. */
static int in_place(const View *B, int direct, size_t jr, size_t nc)
{
    return direct && B->cs == 1 && jr + NR <= nc;
}

/* Packs panel jr of B: rows p0..p0+kc-1, columns j0+jr..j0+jr+NR-1 (zeros
 * past nc), NR numbers side by side for each p. It reads B in the order it
 * lies in memory: along rows, or, for a transposed B, down its columns (each
 * column of op(B) is then a contiguous row of the matrix in memory). */
static void pack_b(const View *B, size_t p0, size_t kc, size_t j0, size_t jr, size_t nc, real *out)
{
    const real *b = &B->data[p0 * B->rs + (j0 + jr) * B->cs];
    size_t cols = nc - jr < NR ? nc - jr : NR;
    if (B->rs == 1) { /* transposed: column j of the panel is contiguous */
        size_t p = 0;
        if (cols == NR) /* a whole panel: squares moved in registers (transpose.h) */
            for (; p + TRANSPOSE_N <= kc; p += TRANSPOSE_N)
                for (size_t j = 0; j < NR; j += TRANSPOSE_N)
                    transpose_square(&out[p * NR + j], NR, &b[j * B->cs + p], B->cs);
        for (size_t j = 0; j < cols; j++) /* the rest one number at a time */
            for (size_t q = p; q < kc; q++) out[q * NR + j] = b[j * B->cs + q];
        for (size_t j = cols; j < NR; j++)
            for (size_t q = 0; q < kc; q++) out[q * NR + j] = 0;
        return;
    }
    if (B->cs == 1 && cols == NR) { /* a whole panel's rows: one copy each */
        for (size_t p = 0; p < kc; p++) memcpy(&out[p * NR], &b[p * B->rs], sizeof(real[NR]));
        return;
    }
    for (size_t p = 0; p < kc; p++)
        for (size_t j = 0; j < NR; j++) out[p * NR + j] = j < cols ? b[p * B->rs + j * B->cs] : 0;
}

/* Where a micro-kernel's tile goes, and what to do there. */
typedef struct {
    real *c;            /* the tile's corner in C */
    size_t ldc, mr, nr; /* C's row length; the rows and columns of the tile that exist */
    int first;          /* the first block of k: store, rather than add to what is there */
    const real *bias;   /* the last block of k: b_i added to row i (NULL: none) */
    real *relu;         /* the last block of k: ReLU(C) also written here, laid out as C */
    const real *scale;  /* k in one block: C = C + scale·sum (gemm_axpy), else NULL */
} Tile;

/* C = (first ? 0 : C) + acc; then, on the last block of k, C += b and
 * A = ReLU(C), while the tile is still in the L1 cache, instead of in two
 * more passes over the whole of Z (the fusion). */
static inline void store(size_t rows, size_t cols, real acc[MR][NR], const Tile *t)
{
    real *c = t->c;
    if (t->scale != NULL) { /* as mat_axpy would, with the product made here */
        for (size_t i = 0; i < rows; i++, c += t->ldc)
            for (size_t j = 0; j < cols; j++) c[j] += *t->scale * acc[i][j];
        return;
    }
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

/* Left to choose, the compilers keep one copy of the kernel for any number
 * of rows: gcc's then tests, at every step of the sum, whether each row
 * exists (eight compares and jumps among the 16 multiply-adds: 0.33 s for
 * the yardstick epoch on one thread against 0.29 s), and clang's cannot
 * unroll the rows at all on some targets (an error under -Werror). Told,
 * both make one copy per constant `rows`, as kernel asks. */
#if defined(__GNUC__) /* gcc and clang */
static inline void kernel_rows(size_t rows, size_t kc, const real *restrict a, size_t ars,
                               size_t acs, const real *restrict b, size_t ldb, const Tile *t)
    __attribute__((always_inline));
static inline void kernel_of(size_t rows, size_t kc, const real *a, size_t lda, const real *b,
                             size_t ldb, const Tile *t) __attribute__((always_inline));
#endif

/* The micro-kernel: `rows` (≤ MR) rows of A times packed B (kc×NR), an
 * MR×NR tile kept in registers, then stored. A's number (i, p) is at
 * a[i·ars + p·acs]: a packed panel (ars 1, acs MR) or A's rows where they
 * lie (ars its row length, acs 1). Called with a constant `rows` and a
 * constant layout, the compiler makes one copy of each: a remainder of 2
 * rows costs 2 rows of work, not MR. */
/* Laid out by hand: clang-format would read UNROLL_ROWS as a statement. */
/* clang-format off */
static inline void kernel_rows(size_t rows, size_t kc, const real *restrict a, size_t ars,
                               size_t acs, const real *restrict b, size_t ldb, const Tile *t)
{
    real acc[MR][NR];
    for (size_t i = 0; i < rows; i++) /* the first step starts the sums (kc ≥ 1) */
        for (size_t j = 0; j < NR; j++) acc[i][j] = a[i * ars] * b[j];
    a += acs, b += ldb;
    for (size_t p = 1; p < kc; p++, a += acs, b += ldb)
        UNROLL_ROWS
        for (size_t i = 0; i < rows; i++)
#pragma omp simd /* gcc vectorises floats on its own, doubles only when told */
            for (size_t j = 0; j < NR; j++) acc[i][j] = MADD(a[i * ars], b[j], acc[i][j]);
    if (t->nr == NR) /* rows is t->mr: kernel chose it so */
        store(rows, NR, acc, t); /* a whole tile: fixed bounds, so the stores vectorise too */
    else /* t->nr < NR; said again, so that gcc sees no read past the sums */
        store(rows, t->nr < NR ? t->nr : NR, acc, t);
}
/* clang-format on */

/* A `rows`-row tile, A packed (lda 0) or read in place (lda its row length). */
static inline void kernel_of(size_t rows, size_t kc, const real *a, size_t lda, const real *b,
                             size_t ldb, const Tile *t)
{
    if (lda == 0)
        kernel_rows(rows, kc, a, 1, MR, b, ldb, t);
    else
        kernel_rows(rows, kc, a, lda, 1, b, ldb, t);
}

static void kernel(size_t kc, const real *a, size_t lda, const real *b, size_t ldb, const Tile *t)
{
    switch (t->mr) { /* the rows left: MR, or the last tile's remainder */
    case 1: kernel_of(1, kc, a, lda, b, ldb, t); break;
    case 2: kernel_of(2, kc, a, lda, b, ldb, t); break;
    case 3: kernel_of(3, kc, a, lda, b, ldb, t); break;
    case 4: kernel_of(4, kc, a, lda, b, ldb, t); break;
    case 5: kernel_of(5, kc, a, lda, b, ldb, t); break;
    case 6: kernel_of(6, kc, a, lda, b, ldb, t); break;
#if defined(__AVX512F__) /* MR is 8 there (an enum: #if cannot read it) */
    case 7: kernel_of(7, kc, a, lda, b, ldb, t); break;
#endif
    default: kernel_of(MR, kc, a, lda, b, ldb, t); break;
    }
}

/* What gemm applies as it stores the last block of k: see Tile. */
typedef struct {
    const Matrix *bias; /* (M×1) or NULL */
    Matrix *relu;       /* like C, or NULL */
    const real *scale;  /* gemm_axpy's a, or NULL */
} Epilogue;

/* One block of C: rows ic..ic+mc-1 against B's rows pc..pc+kc-1 (of K in
 * all) and its panels jr0..jr1-1 of columns jc..jc+nc-1 (jr in steps of NR),
 * packed in b except the panels read in place: panel jr at b + jr·KCmax,
 * KCmax the product's largest block of k, so that where a panel lies does
 * not depend on the block (a thread packing the next block's panels never
 * writes over another's still in use).
 * A's rows are read where they lie when they are contiguous (A as it is):
 * the kernel streams its MR rows side by side from the cache as fast as one
 * packed panel, and copying W1 every step would cost as much as reading it.
 * A transposed A, whose rows lie apart, is packed into `a` first. */
static void block(const View *A, size_t ic, size_t mc, size_t pc, size_t kc, size_t K,
                  const View *B, int direct, const real *b, size_t kc_max, size_t jc, size_t nc,
                  size_t jr0, size_t jr1, real *a, Matrix *C, const Epilogue *e)
{
    int last = pc + kc == K, packed = A->cs != 1;
    if (packed) pack_a(A, ic, mc, pc, kc, a);
    for (size_t jr = jr0; jr < jr1; jr += NR) {
        int here = in_place(B, direct, jr, nc);
        const real *panel = here ? &B->data[pc * B->rs + jc + jr] : b + jr * kc_max;
        size_t ldb = here ? B->rs : NR;
        const real *a_panel = a; /* a packed tile's panel: MR×kc, whatever its rows */
        for (size_t ir = 0, rows; ir < mc; ir += rows, a_panel += MR * kc) {
            rows = tile_rows(mc - ir);
            size_t at = (ic + ir) * C->cols + jc + jr;
            Tile t = {&C->data[at],
                      C->cols,
                      rows,
                      nc - jr < NR ? nc - jr : NR,
                      pc == 0,
                      last && e->bias != NULL ? &e->bias->data[ic + ir] : NULL,
                      last && e->relu != NULL ? &e->relu->data[at] : NULL,
                      e->scale};
            if (packed)
                kernel(kc, a_panel, 0, panel, ldb, &t);
            else
                kernel(kc, &A->data[(ic + ir) * A->rs + pc], A->rs, panel, ldb, &t);
        }
    }
}

/* A product, as the threads share it: B's panels are packed by all, then
 * C's blocks of rows made by all, for each block of B (kc×nc at pc, jc). */
typedef struct {
    View A, B;
    Matrix *C;
    const Epilogue *e;
    size_t M, N, K, kc, mc_rows, mc_blocks;
    int direct;     /* B not worth packing: its whole panels are read in place */
    int by_columns; /* each thread its own panels of B, all of C's rows for them */
    int own_b;      /* each thread all of a narrow B, packed for itself, its own rows of C */
    real *bp;       /* B's packed block */
    real *ap;       /* each thread's packed block of a transposed A, MC×KC */
} Job;

/* Waits for the other threads of a product (none with one thread). */
static void wait_for_all(size_t threads)
{
#ifdef _OPENMP
    if (threads > 1) {
#pragma omp barrier
    }
#else
    (void)threads;
#endif
}

/* Thread `thread` of `threads`' share of the product's block of B at (pc,
 * jc), when the threads share C's columns: its own run of panels, packed and
 * used by itself alone, so that it never waits for the others. */
static void run_columns(const Job *j, size_t thread, size_t threads, size_t pc, size_t kc,
                        size_t jc, size_t nc, real *a)
{
    size_t panels = (nc + NR - 1) / NR;
    size_t jr0 = panels * thread / threads * NR, jr1 = panels * (thread + 1) / threads * NR;
    jr1 = jr1 < nc ? jr1 : nc;
    for (size_t jr = jr0; jr < jr1; jr += NR)
        if (!in_place(&j->B, j->direct, jr, nc))
            pack_b(&j->B, pc, kc, jc, jr, nc, j->bp + jr * j->kc);
    for (size_t ic = 0; ic < j->M; ic += j->mc_rows) {
        size_t mc = j->M - ic < j->mc_rows ? j->M - ic : j->mc_rows;
        block(&j->A, ic, mc, pc, kc, j->K, &j->B, j->direct, j->bp, j->kc, jc, nc, jr0, jr1, a,
              j->C, j->e);
    }
}

/* Thread `thread` of `threads`' share of the product: every threads-th
 * panel of B, every threads-th block of C's rows; or, for a C of few rows
 * (by_columns), a run of its columns; or, for a B of two panels or fewer
 * (own_b: a convolution's dWᵀ = cols·dZᵀ, 50 columns), every threads-th
 * block of rows against all of B, packed by each thread for itself: copying
 * so little twice costs less than the threads waiting for each other twice
 * per block of k, and on a busy machine far less. */
static void run(const Job *j, size_t thread, size_t threads)
{
    real *a = j->ap + thread * MC * j->kc;
    for (size_t jc = 0; jc < j->N; jc += NC) {
        size_t nc = j->N - jc < NC ? j->N - jc : NC;
        /* By columns, the next block of columns is shared out anew: a thread
         * may pack there a panel another still reads here. */
        if (j->by_columns && jc > 0) wait_for_all(threads);
        for (size_t pc = 0; pc < j->K; pc += j->kc) {
            size_t kc = j->K - pc < j->kc ? j->K - pc : j->kc;
            if (j->by_columns) {
                run_columns(j, thread, threads, pc, kc, jc, nc, a);
                continue;
            }
            /* A narrow B (own_b) each thread packs whole, into a buffer of its own. */
            real *b = j->own_b ? j->bp + thread * j->kc * ((nc + NR - 1) / NR * NR) : j->bp;
            size_t first = j->own_b ? 0 : thread * NR, step = j->own_b ? NR : threads * NR;
            for (size_t jr = first; jr < nc; jr += step)
                if (!in_place(&j->B, j->direct, jr, nc))
                    pack_b(&j->B, pc, kc, jc, jr, nc, b + jr * j->kc);
            if (!j->own_b) wait_for_all(threads); /* B packed */
            for (size_t blk = thread; blk < j->mc_blocks; blk += threads) {
                size_t ic = blk * j->mc_rows, mc = j->M - ic < j->mc_rows ? j->M - ic : j->mc_rows;
                block(&j->A, ic, mc, pc, kc, j->K, &j->B, j->direct, b, j->kc, jc, nc, 0, nc, a,
                      j->C, j->e);
            }
            if (!j->own_b) wait_for_all(threads); /* B's buffer free for the next block */
        }
    }
}

/* Below about a million multiply-adds, inside threads already running, or
 * with too few rows and too few columns to share (a convolution's dW, 20×25,
 * is a long sum: its blocks of k would each end at a barrier), a product
 * runs on one thread. */
static size_t threads_for(size_t M, size_t N, size_t K)
{
#ifdef _OPENMP
    if (omp_in_parallel()) return 1;
#endif
    size_t threads = (size_t)gemm_threads();
    if ((double)M * (double)N * (double)K < 1e6 || (M < threads * MC && N < threads * NR)) return 1;
    return threads;
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
    if (M == 0 || N == 0) return; /* no C to make */
    if (K == 0) { /* an empty sum: zeros (a layer has inputs, so no epilogue comes here) */
        if (e->scale == NULL) memset(C->data, 0, M * N * sizeof(real));
        return;
    }
    size_t threads = threads_for(M, N, K);
    /* Too few rows to give every thread a whole block of MC (a convolution's
     * 20 or 50 filters), and columns enough: the threads share the columns. */
    int by_columns = threads > 1 && M < threads * MC && N >= threads * NR;
    int own_b = threads > 1 && !by_columns && N <= 2 * NR;
    /* Rows per block: MC, or fewer so that every thread gets a block. */
    size_t per_thread = by_columns ? M : (M + threads - 1) / threads;
    size_t mc_rows = per_thread < MC ? (per_thread + MR - 1) / MR * MR : MC;
    /* K in equal blocks of at most KC: 784 as 4 × 196, not 3 × 256 + 16 (a
     * block of 16 would load and store its tiles of C for little work). A
     * scaled sum added to C (gemm_axpy) must be whole first: one block. */
    size_t k_blocks = e->scale != NULL ? 1 : (K + KC - 1) / KC, kc = (K + k_blocks - 1) / k_blocks;
    Job job = {A,
               B,
               C,
               e,
               M,
               N,
               K,
               kc,
               mc_rows,
               (M + mc_rows - 1) / mc_rows,
               (double)K * (double)N * sizeof(real) <= GEMM_DIRECT_BYTES || M <= mc_rows,
               by_columns,
               own_b,
               reserve(&w->b, &w->b_size, kc * ((NC + NR - 1) / NR * NR)),
               reserve(&w->a, &w->a_size, threads * MC * kc)};
    if (threads == 1) {
        run(&job, 0, 1);
        return;
    }
#ifdef _OPENMP
#pragma omp parallel num_threads((int)threads)
    run(&job, (size_t)omp_get_thread_num(), (size_t)omp_get_num_threads());
#endif
}

void gemm(GemmWork *w, Matrix *C, const Matrix *A, GemmOp op_a, const Matrix *B, GemmOp op_b)
{
    const Epilogue none = {NULL, NULL, NULL};
    gemm_with(w, C, A, op_a, B, op_b, &none);
}

void gemm_axpy(GemmWork *w, Matrix *C, real a, const Matrix *A, GemmOp op_a, const Matrix *B,
               GemmOp op_b)
{
    const Epilogue step = {NULL, NULL, &a};
    gemm_with(w, C, A, op_a, B, op_b, &step);
}

void gemm_bias_relu(GemmWork *w, Matrix *Z, Matrix *A, const Matrix *W, const Matrix *X,
                    GemmOp op_x, const Matrix *b)
{
    NN_REQUIRE(b->rows == Z->rows && b->cols == 1, "b (%zu×%zu) for Z (%zu×%zu)", b->rows, b->cols,
               Z->rows, Z->cols);
    NN_REQUIRE(A == NULL || (A->rows == Z->rows && A->cols == Z->cols && A != Z),
               "A must be shaped like Z, and not Z");
    const Epilogue e = {b, A, NULL};
    gemm_with(w, Z, W, GEMM_PLAIN, X, op_x, &e);
}
