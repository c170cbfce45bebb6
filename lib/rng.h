/* rng.h: a small deterministic random number generator.
 *
 * The same seed gives the same numbers on every platform and compiler: the
 * state update is integer arithmetic (xoshiro256**, seeded by splitmix64, both
 * by D. Blackman and S. Vigna, public domain algorithms), and uniform numbers
 * are built from its bits exactly. Normal draws use the Marsaglia polar method,
 * which needs log and sqrt: sqrt is exact everywhere, log is correct to the
 * last bit or so, so normals agree across C libraries to about 1e-15. */
#ifndef NN_RNG_H
#define NN_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "matrix.h"

typedef struct {
    uint64_t s[4];
    double spare_normal; /* the polar method makes normals in pairs */
    int has_spare;
} Rng;

/* Seeds the generator: any 64-bit value, 0 included, gives a good state. */
void rng_seed(Rng *rng, uint64_t seed);
/* 64 random bits. */
uint64_t rng_next(Rng *rng);
/* Uniform in [0, 1), with 53 random bits. */
double rng_uniform(Rng *rng);
/* Uniform integer in [0, n), without modulo bias; n > 0. */
uint64_t rng_below(Rng *rng, uint64_t n);
/* Standard normal: mean 0, standard deviation 1. */
double rng_normal(Rng *rng);
/* Puts index[0..n-1] in a uniformly random order (Fisher–Yates). */
void rng_shuffle(Rng *rng, size_t *index, size_t n);

/* Fills M with values uniform in [lo, hi). */
void rng_fill_uniform(Rng *rng, Matrix *M, double lo, double hi);
/* Fills M with normal values of mean 0 and standard deviation `stddev`. */
void rng_fill_normal(Rng *rng, Matrix *M, double stddev);

#endif
