/* flags.c: what the compiler's flags do to one loop (chapter 09).
 *
 * Chapter 01's product in i-k-j order, with `restrict`, in float and in
 * double, on the first layer's product (128×784)·(784×64), standing alone
 * (no library) so that `make ch09-flags` can build it with different flags
 * and show the GFLOP/s of each build; `make ch09-asm` shows the instructions
 * the compiler made of the inner loop. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The sizes, read at run time as in the library (with sizes known when it
 * compiles, the compiler would unroll the inner loop completely). */
static size_t N = 128, K = 784, P = 64;

/* C (N×P) = A (N×K) · B (K×P), rows in a line: c[j] += a·b[j]. */
#define IKJ(name, type)                                                                            \
    static void name(type *restrict C, const type *restrict A, const type *restrict B)             \
    {                                                                                              \
        for (size_t i = 0; i < N * P; i++) C[i] = 0;                                               \
        for (size_t i = 0; i < N; i++)                                                             \
            for (size_t k = 0; k < K; k++) {                                                       \
                type a = A[i * K + k];                                                             \
                for (size_t j = 0; j < P; j++) C[i * P + j] += a * B[k * P + j];                   \
            }                                                                                      \
    }
IKJ(ikj_float, float)
IKJ(ikj_double, double)

static double now(void)
{
    struct timespec t;
    timespec_get(&t, TIME_UTC); /* C11 */
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* GFLOP/s of one of the two products: the median of five timings of at
 * least 0.1 s each. */
#define RATE(name, type)                                                                           \
    static double rate_##name(void)                                                                \
    {                                                                                              \
        type *A = malloc(N * K * sizeof(type)), *B = malloc(K * P * sizeof(type)),                 \
             *C = malloc(N * P * sizeof(type));                                                    \
        if (!A || !B || !C) {                                                                      \
            fprintf(stderr, "flags: out of memory\n");                                             \
            exit(1);                                                                               \
        }                                                                                          \
        for (size_t i = 0; i < N * K; i++) A[i] = (type)(i % 7) / 7;                               \
        for (size_t i = 0; i < K * P; i++) B[i] = (type)(i % 5) / 5;                               \
        double r[5];                                                                               \
        for (int t = 0; t < 5; t++) {                                                              \
            long reps = 0;                                                                         \
            double start = now();                                                                  \
            do name(C, A, B), reps++;                                                              \
            while (now() - start < 0.1);                                                           \
            r[t] = 2.0 * (double)(N * K * P) * (double)reps / (now() - start) / 1e9;               \
        }                                                                                          \
        for (int i = 1; i < 5; i++)                                                                \
            for (int j = i; j > 0 && r[j] < r[j - 1]; j--) {                                       \
                double x = r[j];                                                                   \
                r[j] = r[j - 1], r[j - 1] = x;                                                     \
            }                                                                                      \
        free(A), free(B), free(C);                                                                 \
        return r[2];                                                                               \
    }
RATE(ikj_float, float)
RATE(ikj_double, double)

/* flags LABEL [N K P]: prints LABEL and the two rates. */
int main(int argc, char **argv)
{
    if (argc == 5)
        N = strtoul(argv[2], NULL, 10), K = strtoul(argv[3], NULL, 10),
        P = strtoul(argv[4], NULL, 10);
    if (argc != 2 && argc != 5) {
        fprintf(stderr, "usage: %s LABEL [N K P]\n", argv[0]);
        return 2;
    }
    printf("  %-44s %6.1f %6.1f\n", argv[1], rate_ikj_float(), rate_ikj_double());
    return 0;
}
