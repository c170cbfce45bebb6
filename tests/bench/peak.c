/* peak.c: peak.h's loop of multiply-adds, on the widest vectors this build
 * targets: AVX-512 (__AVX512F__), else AVX2's 256 bits with FMA (__FMA__),
 * else a portable fallback of 4-float vectors (SSE on x86) doing a multiply
 * then an add, which is that build's peak, not the CPU's. */
#include "peak.h"

#include <stdio.h>

#if defined(__AVX512F__) || defined(__FMA__)
#include <immintrin.h>
#endif
#ifdef _OPENMP
#include <omp.h>
#endif

#include "gemm.h"
#include "timer.h"

/* An FMA's result is ready about 4 cycles after it starts (5 on older
 * cores), and a core starts up to 2 a cycle, so 8 to 10 must be in flight
 * at once; 12 accumulators, plus the two factors, fit even AVX2's 16
 * registers. STEPS rounds of them take about a millisecond. */
enum { ACCUMULATORS = 12, STEPS = 1 << 18 };

#if defined(__AVX512F__)
typedef __m512 Vec;
enum { LANES = 16 };
#define KIND          "AVX-512 FMA, 12 accumulators of 16 floats"
#define SPLAT(x)      _mm512_set1_ps(x)
#define MADD(c, a, b) _mm512_fmadd_ps(c, a, b)
#define ADD(x, y)     _mm512_add_ps(x, y)
static float lanes_sum(Vec v)
{
    return _mm512_reduce_add_ps(v);
}
#elif defined(__FMA__)
typedef __m256 Vec;
enum { LANES = 8 };
#define KIND          "AVX2 FMA, 12 accumulators of 8 floats"
#define SPLAT(x)      _mm256_set1_ps(x)
#define MADD(c, a, b) _mm256_fmadd_ps(c, a, b)
#define ADD(x, y)     _mm256_add_ps(x, y)
static float lanes_sum(Vec v)
{
    __m128 half = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    float f[4];
    _mm_storeu_ps(f, half);
    return f[0] + f[1] + f[2] + f[3];
}
#else
typedef float Vec __attribute__((vector_size(16))); /* gcc's and clang's vectors */
enum { LANES = 4 };
#define KIND          "no FMA in this build: a multiply then an add, 12 accumulators of 4 floats"
#define SPLAT(x)      ((Vec){(x), (x), (x), (x)})
#define MADD(c, a, b) ((c) * (a) + (b)) /* -ffp-contract=off keeps them apart */
#define ADD(x, y)     ((x) + (y))
static float lanes_sum(Vec v)
{
    return v[0] + v[1] + v[2] + v[3];
}
#endif

const char *peak_kind(void)
{
    return KIND;
}

/* Read at run time, so that the compiler cannot work the loop out. With
 * a < 1 every accumulator tends to b / (1 - a) = 1: no overflow, no
 * subnormal numbers (which would be slow). */
static volatile float factor_a = 0.999f, term_b = 0.001f;

/* `steps` rounds of c ← c·a + b on every accumulator, then their sum, which
 * the caller keeps: without it the whole loop would be dead code. */
static float madd_loop(long steps)
{
    Vec a = SPLAT(factor_a), b = SPLAT(term_b), c[ACCUMULATORS];
    for (int i = 0; i < ACCUMULATORS; i++) c[i] = SPLAT((float)i);
    for (long s = 0; s < steps; s++)
#pragma GCC unroll 12 /* whole, so that every c[i] stays in a register */
        for (int i = 0; i < ACCUMULATORS; i++) c[i] = MADD(c[i], a, b);
    for (int i = 1; i < ACCUMULATORS; i++) c[0] = ADD(c[0], c[i]);
    return lanes_sum(c[0]);
}

/* One timing's work: the loop once on each of `threads` threads. */
typedef struct {
    int threads;
    int copies;          /* how many ran: OpenMP may give fewer threads */
    volatile float sink; /* the loops' sums, kept */
} Copies;

static void run_copies(void *ctx)
{
    Copies *p = ctx;
    float sum = 0;
    int copies = 0;
#ifdef _OPENMP
#pragma omp parallel num_threads(p->threads) reduction(+ : sum, copies)
#endif
    {
        sum += madd_loop(STEPS);
        copies++;
    }
    p->sink = sum, p->copies = copies;
}

double peak_gflops(int threads)
{
    Copies p = {threads, 1, 0};
    double rate = timer_rate(run_copies, &p); /* p.copies: the last timing's */
    return 2.0 * LANES * ACCUMULATORS * (double)STEPS * p.copies * rate / 1e9;
}

double peak_of_threads(void)
{
    int threads = gemm_threads();
    double one = peak_gflops(1), all = threads == 1 ? one : peak_gflops(threads);
    double peak = all * (double)sizeof(float) / (double)sizeof(real);
    printf("peak multiply-adds (%s), GFLOP/s: %.1f on 1 thread", peak_kind(), one);
    if (threads > 1) printf(", %.1f on %d threads", all, threads);
    printf("\nthe shares of the peak below are of %.1f GFLOP/s, the peak on %d thread%s%s\n", peak,
           threads, threads == 1 ? "" : "s",
           sizeof(real) == sizeof(float) ? "" : " in double: half the float peak");
    if (all < 0.9 * threads * one) /* each thread should have had a core's FMA units */
        printf("WARNING: %d threads did %.0f%% of %d times one thread's peak: the threads share "
               "cores, or something else is running (every figure below suffers)\n",
               threads, 100 * all / (threads * one), threads);
    return peak;
}
