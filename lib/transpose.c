/* transpose.c: a square transposed in vector registers (transpose.h). */
#include "transpose.h"

#include <string.h>

enum { N = TRANSPOSE_N };

/* gcc 12 and later and clang have __builtin_shufflevector; elsewhere (gcc
 * 11, say) the loops below, correct and as slow as before. */
#if defined(__has_builtin)
#if __has_builtin(__builtin_shufflevector)
#define HAVE_SHUFFLE 1
#endif
#endif

#ifdef HAVE_SHUFFLE
/* One row of the square in a register (N numbers of `real`). */
typedef real Row __attribute__((vector_size(N * sizeof(real))));

/* Which numbers of a ‖ b (2N of them: a's then b's) make the row of the
 * first halves interleaved, and of the second halves. */
/* clang-format off */
#if TRANSPOSE_N == 16
#define FIRST  0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23
#define SECOND 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31
#elif TRANSPOSE_N == 8
#define FIRST  0, 8, 1, 9, 2, 10, 3, 11
#define SECOND 4, 12, 5, 13, 6, 14, 7, 15
#elif TRANSPOSE_N == 4
#define FIRST  0, 4, 1, 5
#define SECOND 2, 6, 3, 7
#else /* 2: doubles in 16 bytes */
#define FIRST  0, 2
#define SECOND 1, 3
#endif
/* clang-format on */

void transpose_square(real *restrict to, size_t ldt, const real *restrict from, size_t ldf)
{
    Row r[N], next[N];
    for (size_t i = 0; i < N; i++) memcpy(&r[i], &from[i * ldf], sizeof(Row)); /* whole rows */
    for (size_t round = 1; round < N; round *= 2) {                            /* log2 N rounds */
        for (size_t i = 0; i < N / 2; i++) {
            next[2 * i] = __builtin_shufflevector(r[i], r[i + N / 2], FIRST);
            next[2 * i + 1] = __builtin_shufflevector(r[i], r[i + N / 2], SECOND);
        }
        memcpy(r, next, sizeof r);
    }
    for (size_t i = 0; i < N; i++) memcpy(&to[i * ldt], &r[i], sizeof(Row));
}
#else
void transpose_square(real *restrict to, size_t ldt, const real *restrict from, size_t ldf)
{
    for (size_t p = 0; p < N; p++)
        for (size_t j = 0; j < N; j++) to[p * ldt + j] = from[j * ldf + p];
}
#endif
