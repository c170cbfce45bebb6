/* rng.c: xoshiro256** seeded by splitmix64, and the draws built on it (rng.h). */
#include "rng.h"

#include <math.h>

#include "fail.h"

/* splitmix64: turns any seed into well-mixed 64-bit words for the state. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void rng_seed(Rng *rng, uint64_t seed)
{
    for (int i = 0; i < 4; i++) rng->s[i] = splitmix64(&seed);
    rng->has_spare = 0;
    rng->spare_normal = 0;
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(Rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rng_uniform(Rng *rng)
{
    return (double)(rng_next(rng) >> 11) * 0x1.0p-53; /* the top 53 bits, exactly */
}

uint64_t rng_below(Rng *rng, uint64_t n)
{
    NN_REQUIRE(n > 0, "n must be positive");
    /* Reject the last incomplete block of 2^64 mod n values, so each result is equally likely. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = rng_next(rng);
    while (x >= limit);
    return x % n;
}

double rng_normal(Rng *rng)
{
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare_normal;
    }
    double u, v, s;
    do {
        u = 2 * rng_uniform(rng) - 1;
        v = 2 * rng_uniform(rng) - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double factor = sqrt(-2 * log(s) / s);
    rng->spare_normal = v * factor;
    rng->has_spare = 1;
    return u * factor;
}

void rng_shuffle(Rng *rng, size_t *index, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rng_below(rng, i); /* j in [0, i) */
        size_t tmp = index[i - 1];
        index[i - 1] = index[j];
        index[j] = tmp;
    }
}

void rng_fill_uniform(Rng *rng, Matrix *M, double lo, double hi)
{
    for (size_t i = 0; i < M->rows * M->cols; i++)
        M->data[i] = (real)(lo + (hi - lo) * rng_uniform(rng));
}

void rng_fill_normal(Rng *rng, Matrix *M, double stddev)
{
    for (size_t i = 0; i < M->rows * M->cols; i++) M->data[i] = (real)(stddev * rng_normal(rng));
}
