/* check_10_conv.c: chapter 10's primitives: the output sizes, im2col and
 * its adjoint col2im, the convolution by its definition and its backward
 * pass, and max pooling.
 *
 * Small cases are worked out by hand (in the comments beside them); then the
 * identities that tie the pieces together are checked on hundreds of random
 * geometries: W·im2col(X) + b is the direct convolution, ⟨im2col(X), D⟩ =
 * ⟨X, col2im(D)⟩, and the direct backward pass is the im2col one. Shapes that
 * do not fit must stop the program: those tests expect SIGABRT. */
#include <check.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "conv.h"
#include "im2col.h"
#include "pool.h"
#include "support/testkit.h"

/* ---- output sizes ------------------------------------------------------------------------ */

/* C, H, W, K, S, P, then OH, OW worked out by hand from (H + 2P − K)/S + 1. */
static const size_t conv_sizes[][8] = {
    {1, 28, 28, 5, 1, 2, 28, 28}, /* "same" padding: (28 + 4 − 5)/1 + 1 = 28 */
    {1, 28, 28, 5, 1, 0, 24, 24}, /* no padding: 28 − 5 + 1 */
    {3, 7, 5, 3, 2, 1, 4, 3}, /* stride 2, pad 1: (7 + 2 − 3)/2 + 1 = 4, (5 + 2 − 3)/2 + 1 = 3 */
    {2, 5, 5, 2, 2, 0, 2, 2}, /* (5 − 2)/2 + 1 = 2.5, rounded down: the last pixels unread */
    {1, 4, 6, 4, 1, 0, 1, 3}, /* the kernel as high as the image: 1, and 6 − 4 + 1 = 3 */
    {1, 4, 4, 4, 1, 0, 1, 1}, /* the kernel is the whole image */
    {1, 3, 3, 5, 1, 1, 1, 1}, /* larger than the image, not than the padded one: 3 + 2 − 5 + 1 */
    {1, 5, 5, 3, 1, 2, 7, 7}, /* pad 2: 5 + 4 − 3 + 1 = 7 */
    {1, 6, 9, 3, 3, 0, 2, 3}, /* stride = kernel: (6 − 3)/3 + 1 = 2, (9 − 3)/3 + 1 = 3 */
    {4, 9, 9, 3, 2, 2, 6, 6}, /* (9 + 4 − 3)/2 + 1 = 6 */
    {1, 1, 1, 1, 1, 0, 1, 1},
};
enum { CONV_SIZES = sizeof conv_sizes / sizeof conv_sizes[0] };

/* Fails unless a geometry's check returned `status` (0: valid; -1: invalid,
 * with a message holding `says`). */
static void assert_checked(int got, int status, const NnError *err, const char *says)
{
    ck_assert_msg(got == status && (status == 0 || strstr(err->message, says) != NULL),
                  "the check returned %d, not %d; it said: %s (expected: %s)", got, status,
                  err->message, says);
}

START_TEST(conv_output_sizes_by_hand)
{
    const size_t *s = conv_sizes[_i];
    ConvGeometry g = {s[0], s[1], s[2], s[3], s[4], s[5]};
    NnError err = {{0}};
    assert_checked(conv_geometry_check(&g, &err), 0, &err, "");
    ck_assert_uint_eq(conv_out_height(&g), s[6]);
    ck_assert_uint_eq(conv_out_width(&g), s[7]);
}
END_TEST

START_TEST(bad_conv_geometries_are_reported)
{
    const struct {
        ConvGeometry g;
        const char *says;
    } bad[] = {
        {{1, 3, 3, 5, 1, 0}, "a 5×5 kernel does not fit in a 3×3 input padded with 0 zeros"},
        {{1, 8, 3, 5, 1, 0}, "8×3 input padded with 0 zeros on every side (8×3)"}, /* too wide */
        {{1, 3, 8, 6, 1, 1}, "(5×10)"},                                            /* too high */
        {{1, 3, 3, 3, 0, 0}, "a stride of 0"},
        {{1, 3, 3, 0, 1, 0}, "a 0×0 kernel"},
        {{0, 3, 3, 3, 1, 0}, "a 0×3×3 input"},
        {{1, 0, 3, 1, 1, 0}, "a 1×0×3 input"},
        {{1, 3, 3, 3, 1, 65537}, "a padding of 65537"},
        {{1, 65537, 3, 3, 1, 0}, "a 1×65537×3 input (C×H×W): each goes from 1 to 65536"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        NnError err = {{0}};
        assert_checked(conv_geometry_check(&bad[i].g, &err), -1, &err, bad[i].says);
    }
}
END_TEST

START_TEST(the_size_of_a_bad_geometry_stops)
{
    ConvGeometry g = {1, 3, 3, 5, 1, 0}; /* the kernel does not fit: a bug once flags are checked */
    conv_out_height(&g);
}
END_TEST

/* C, H, W, size, stride, then OH, OW worked out by hand from (H − size)/stride + 1. */
static const size_t pool_sizes[][7] = {
    {1, 28, 28, 2, 2, 14, 14}, {1, 5, 5, 2, 2, 2, 2}, /* 2.5 rounded down: the last row unread */
    {1, 4, 6, 3, 1, 2, 4},     {2, 3, 3, 3, 1, 1, 1}, /* a window as large as the map */
    {1, 7, 7, 3, 2, 3, 3},     {1, 4, 4, 2, 3, 1, 1}, /* stride > size: (4 − 2)/3 + 1 = 1 */
    {1, 1, 1, 1, 1, 1, 1},
};
enum { POOL_SIZES = sizeof pool_sizes / sizeof pool_sizes[0] };

START_TEST(pool_output_sizes_by_hand)
{
    const size_t *s = pool_sizes[_i];
    PoolGeometry g = {s[0], s[1], s[2], s[3], s[4]};
    NnError err = {{0}};
    assert_checked(pool_geometry_check(&g, &err), 0, &err, "");
    ck_assert_uint_eq(pool_out_height(&g), s[5]);
    ck_assert_uint_eq(pool_out_width(&g), s[6]);
}
END_TEST

START_TEST(bad_pool_geometries_are_reported)
{
    const struct {
        PoolGeometry g;
        const char *says;
    } bad[] = {
        {{1, 3, 5, 4, 1}, "4×4 pooling windows on a 3×5 map: their side is 1 to 3"},
        {{1, 3, 3, 0, 1}, "0×0 pooling windows"},
        {{1, 3, 3, 2, 0}, "a pooling stride of 0"},
        {{0, 3, 3, 2, 2}, "a 0×3×3 map to pool (C×H×W): each goes"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        NnError err = {{0}};
        assert_checked(pool_geometry_check(&bad[i].g, &err), -1, &err, bad[i].says);
    }
}
END_TEST

/* ---- im2col and col2im by hand ------------------------------------------------------------ */

/* Case 0: one channel, 3×3, two examples, K = 2, S = 1, P = 0 (OH = OW = 2).
 * Example 0 holds 1..9, example 1 ten times that:
 *      1 2 3       10 20 30
 *      4 5 6       40 50 60
 *      7 8 9       70 80 90
 * The patches, position (oy, ox) = (0,0), (0,1), (1,0), (1,1) in turn, are
 * [1 2; 4 5], [2 3; 5 6], [4 5; 7 8], [5 6; 8 9]. Row (ky, kx) of cols holds
 * entry (ky, kx) of each patch, its two examples side by side:
 *   (0,0): 1 2 4 5,  (0,1): 2 3 5 6,  (1,0): 4 5 7 8,  (1,1): 5 6 8 9. */
static const real x0[] = {1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60, 7, 70, 8, 80, 9, 90};
/* clang-format off */
static const real cols0[] = {1, 10, 2, 20, 4, 40, 5, 50,
                             2, 20, 3, 30, 5, 50, 6, 60,
                             4, 40, 5, 50, 7, 70, 8, 80,
                             5, 50, 6, 60, 8, 80, 9, 90};
/* clang-format on */
/* Case 1: X = [1 2; 3 4] (1×2×2, m = 1), K = 2, S = 2, P = 1. Padded:
 *      0 0 0 0
 *      0 1 2 0       patches at (0,0) [0 0; 0 1], (0,1) [0 0; 2 0],
 *      0 3 4 0                  (1,0) [0 3; 0 0], (1,1) [4 0; 0 0]
 *      0 0 0 0
 * so rows (ky, kx): (0,0): 0 0 0 4,  (0,1): 0 0 3 0,  (1,0): 0 2 0 0,  (1,1): 1 0 0 0. */
static const real x1[] = {1, 2, 3, 4};
static const real cols1[] = {0, 0, 0, 4, 0, 0, 3, 0, 0, 2, 0, 0, 1, 0, 0, 0};
/* Case 2: two channels of 2×3, m = 1, K = 2, S = 1, P = 0 (OH = 1, OW = 2):
 *   channel 0: [1 2 3; 4 5 6], channel 1: [7 8 9; 10 11 12]. Rows (c, ky, kx):
 *   (0,0,0): 1 2, (0,0,1): 2 3, (0,1,0): 4 5, (0,1,1): 5 6,
 *   (1,0,0): 7 8, (1,0,1): 8 9, (1,1,0): 10 11, (1,1,1): 11 12. */
static const real x2[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
static const real cols2[] = {1, 2, 2, 3, 4, 5, 5, 6, 7, 8, 8, 9, 10, 11, 11, 12};

static const struct {
    ConvGeometry g;
    size_t m;
    const real *x, *cols;
} by_hand[] = {
    {{1, 3, 3, 2, 1, 0}, 2, x0, cols0},
    {{1, 2, 2, 2, 2, 1}, 1, x1, cols1},
    {{2, 2, 3, 2, 1, 0}, 1, x2, cols2},
};
enum { BY_HAND = sizeof by_hand / sizeof by_hand[0] };

START_TEST(im2col_by_hand)
{
    const ConvGeometry *g = &by_hand[_i].g;
    size_t m = by_hand[_i].m, K = g->kernel;
    size_t columns = conv_out_height(g) * conv_out_width(g) * m;
    Matrix *X = mat_from(g->channels * g->height * g->width, m, by_hand[_i].x);
    Matrix *cols = mat_new(g->channels * K * K, columns + 5); /* room for more */
    mat_fill(cols, 99); /* every entry must be written: 99 must not survive */
    im2col(cols, X, g);
    ck_assert_uint_eq(cols->cols, columns);
    assert_matrix_equals(cols, by_hand[_i].cols, 0);
    mat_free(X), mat_free(cols);
}
END_TEST

/* col2im adds where patches overlap. 1×3×3, K = 2, S = 1, P = 0: each pixel is
 * in as many of the four patches as there are 2×2 windows covering it:
 *      1 2 1
 *      2 4 2        (the centre is in all four)
 *      1 2 1
 * so col2im of all ones counts them; example 1, all twos, twice that.
 * With a 2×2 input, K = 2, S = 1, P = 1 (3×3 positions), every pixel is in four
 * patches, and the 20 entries that came from the padding are dropped. */
START_TEST(col2im_adds_overlapping_patches)
{
    const ConvGeometry g = {1, 3, 3, 2, 1, 0}, padded = {1, 2, 2, 2, 1, 1};
    Matrix *dcols = mat_new(4, 4 * 2), *dX = mat_new(9, 2);
    for (size_t i = 0; i < 4 * 4 * 2; i++) dcols->data[i] = (real)(1 + i % 2);
    mat_fill(dX, 7); /* col2im starts from zero: 7 must not survive */
    col2im(dX, dcols, &g);
    const real counts[] = {1, 2, 2, 4, 1, 2, 2, 4, 4, 8, 2, 4, 1, 2, 2, 4, 1, 2};
    assert_matrix_equals(dX, counts, 0);
    Matrix *dcols_p = mat_new(4, 9), *dX_p = mat_new(4, 1);
    mat_fill(dcols_p, 1);
    col2im(dX_p, dcols_p, &padded);
    const real fours[] = {4, 4, 4, 4};
    assert_matrix_equals(dX_p, fours, 0);
    mat_free(dcols), mat_free(dX), mat_free(dcols_p), mat_free(dX_p);
}
END_TEST

/* ---- the convolution by hand -------------------------------------------------------------- */

/* Two channels of 3×3, two filters of 2×2, K = 2, S = 1, P = 0 (OH = OW = 2).
 * Example 0: channel 0 = [1 2 3; 4 5 6; 7 8 9], channel 1 = [1 0 0; 0 0 0; 0 0 2];
 * example 1 is its negative.
 * Filter 0: [1 0; 0 -1] on channel 0, [1 2; 3 4] on channel 1, b = 0.5.
 *   channel 0 gives x[oy][ox] − x[oy+1][ox+1] = −4 everywhere;
 *   channel 1 gives 1·1 = 1 at (0,0), 0 at (0,1) and (1,0), 2·4 = 8 at (1,1);
 *   Z = −4 + (1, 0, 0, 8) + 0.5 = (−2.5, −3.5, −3.5, 4.5).
 *   (A flipped kernel, true convolution, would give +4 and 4·1, 1·2 instead.)
 * Filter 1: zeros on channel 0, [0 0; 0 1] on channel 1, b = −1: x1[oy+1][ox+1] − 1
 *   = (−1, −1, −1, 1).
 * Example 1, the negative, gives b − (Z − b): filter 0 (3.5, 4.5, 4.5, −3.5),
 * filter 1 (−1, −1, −1, −3). */
START_TEST(direct_convolution_by_hand)
{
    const ConvGeometry g = {2, 3, 3, 2, 1, 0};
    const real pixels[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 0, 0, 0, 0, 0, 0, 0, 2};
    /* clang-format off */
    const real w[] = {1, 0, 0, -1, 1, 2, 3, 4,  /* filter 0: channel 0, then channel 1 */
                      0, 0, 0,  0, 0, 0, 0, 1}; /* filter 1 */
    /* clang-format on */
    const real bias[] = {0.5, -1};
    /* rows (f·2 + oy)·2 + ox, the two examples side by side */
    const real expected[] = {-2.5, 3.5, -3.5, 4.5, -3.5, 4.5, 4.5, -3.5,
                             -1,   -1,  -1,   -1,  -1,   -1,  1,   -3};
    Matrix *X = mat_new(18, 2), *W = mat_from(2, 8, w), *b = mat_from(2, 1, bias);
    for (size_t r = 0; r < 18; r++) MAT_AT(X, r, 0) = pixels[r], MAT_AT(X, r, 1) = -pixels[r];
    Matrix *Z = mat_new(8, 4); /* room for more examples */
    mat_fill(Z, 99);
    conv_forward_direct(Z, W, b, X, &g);
    ck_assert_uint_eq(Z->cols, 2);
    assert_matrix_equals(Z, expected, 0);
    mat_free(X), mat_free(W), mat_free(b), mat_free(Z);
}
END_TEST

/* X = [1 2; 3 4], K = 2, S = 2, P = 1, W = [1 2; 3 4], b = 0: the patches of
 * im2col_by_hand's case 1, [0 0; 0 1], [0 0; 2 0], [0 3; 0 0], [4 0; 0 0],
 * dotted with W: 4·1 = 4, 3·2 = 6, 2·3 = 6, 1·4 = 4. */
START_TEST(padded_strided_convolution_by_hand)
{
    const ConvGeometry g = {1, 2, 2, 2, 2, 1};
    const real k[] = {1, 2, 3, 4}, zero[] = {0}, expected[] = {4, 6, 6, 4};
    Matrix *X = mat_from(4, 1, x1), *W = mat_from(1, 4, k), *b = mat_from(1, 1, zero);
    Matrix *Z = mat_new(4, 1);
    conv_forward_direct(Z, W, b, X, &g);
    assert_matrix_equals(Z, expected, 0);
    mat_free(X), mat_free(W), mat_free(b), mat_free(Z);
}
END_TEST

/* ---- random geometries -------------------------------------------------------------------- */

enum { PROBLEMS = 300 };

/* A convolution problem: a geometry, m examples, F filters. */
typedef struct {
    ConvGeometry g;
    size_t m, F;
    char name[160];
} Problem;

/* A number from lo to hi, from a generator of the test's own (the same on every run). */
static size_t draw(unsigned long long *state, size_t lo, size_t hi)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (size_t)(*state >> 33) % (hi - lo + 1);
}

/* Problem `seed`: C 1..3, H and W 1..9 apiece, P 0..2, S 1..3, K from 1 to the
 * smaller side of the padded input, m 1..5, F 1..4. */
static Problem problem(unsigned long long seed)
{
    unsigned long long s = seed;
    Problem p = {.g = {.channels = draw(&s, 1, 3)}}; /* then one draw after another, in order */
    p.g.height = draw(&s, 1, 9), p.g.width = draw(&s, 1, 9);
    p.g.stride = draw(&s, 1, 3), p.g.pad = draw(&s, 0, 2);
    size_t side = p.g.height < p.g.width ? p.g.height : p.g.width;
    p.g.kernel = draw(&s, 1, side + 2 * p.g.pad);
    p.m = draw(&s, 1, 5), p.F = draw(&s, 1, 4);
    snprintf(p.name, sizeof p.name,
             "problem %llu: C×H×W = %zu×%zu×%zu, K = %zu, S = %zu, P = %zu, m = %zu, F = %zu", seed,
             p.g.channels, p.g.height, p.g.width, p.g.kernel, p.g.stride, p.g.pad, p.m, p.F);
    return p;
}

static void make_absolute(Matrix *M)
{
    for (size_t i = 0; i < M->rows * M->cols; i++) M->data[i] = fabs(M->data[i]);
}

/* Fails unless got and want agree within the rounding of sums of n terms:
 * |got − want| ≤ 4 n ε · bound, entry by entry, where bound holds the same
 * sums taken of the terms' absolute values. */
static void assert_within_rounding(const Matrix *got, const Matrix *want, const Matrix *bound,
                                   size_t n, const char *what, const Problem *p)
{
    ck_assert_msg(got->rows == want->rows && got->cols == want->cols, "%s: %zu×%zu, not %zu×%zu",
                  what, got->rows, got->cols, want->rows, want->cols);
    for (size_t i = 0; i < got->rows * got->cols; i++) {
        double tol = 4 * (double)n * REAL_EPSILON * bound->data[i] + 1e-30;
        ck_assert_msg(fabs((double)got->data[i] - (double)want->data[i]) <= tol,
                      "%s, %s: entry %zu is %.9g, the reference %.9g (tolerance %.3g)", p->name,
                      what, i, (double)got->data[i], (double)want->data[i], tol);
    }
}

/* Z (F·OH·OW × m) seen as (F × OH·OW·m), or back: the same numbers in the same order. */
static Matrix reshaped(const Matrix *M, size_t rows, size_t cols)
{
    ck_assert(rows * cols == M->rows * M->cols);
    return (Matrix){rows, cols, M->data, rows * cols};
}

/* W·im2col(X) + b, in im2col.h's layout, into Z (F·OH·OW × m). */
static void conv_by_product(Matrix *Z, const Matrix *W, const Matrix *b, const Matrix *X,
                            const ConvGeometry *g)
{
    size_t K = g->kernel, positions = conv_out_height(g) * conv_out_width(g), m = X->cols;
    Matrix *cols = mat_new(g->channels * K * K, positions * m);
    mat_fill(cols, 99); /* every entry must be written: 99 must not survive */
    im2col(cols, X, g);
    Matrix WX = reshaped(Z, W->rows, positions * m);
    mat_mul(&WX, W, cols); /* Z (F × OH·OW·m) = W (F × C·K·K) · cols (C·K·K × OH·OW·m) */
    mat_add_col(&WX, b);   /*                  + b (F×1), along each row */
    mat_free(cols);
}

static void check_product(const Problem *p, unsigned long long seed)
{
    const ConvGeometry *g = &p->g;
    size_t CKK = g->channels * g->kernel * g->kernel;
    size_t maps = p->F * conv_out_height(g) * conv_out_width(g);
    Matrix *X = mat_new(g->channels * g->height * g->width, p->m), *W = mat_new(p->F, CKK);
    Matrix *b = mat_new(p->F, 1), *Z = mat_new(maps, p->m), *ZP = mat_new(maps, p->m);
    Matrix *S = mat_new(maps, p->m);
    fill_uniform(X, seed, -1, 1), fill_uniform(W, seed + 1000, -1, 1);
    fill_uniform(b, seed + 2000, -1, 1);
    conv_forward_direct(Z, W, b, X, g);
    conv_by_product(ZP, W, b, X, g);
    make_absolute(X), make_absolute(W), make_absolute(b);
    conv_forward_direct(S, W, b, X, g); /* the sums of |terms|, for the tolerance */
    assert_within_rounding(ZP, Z, S, CKK + 1, "W·im2col(X) + b against the direct Z", p);
    mat_free(X), mat_free(W), mat_free(b), mat_free(Z), mat_free(ZP), mat_free(S);
}

START_TEST(one_product_is_the_direct_convolution)
{
    for (unsigned long long seed = 1; seed <= PROBLEMS; seed++) {
        Problem p = problem(seed);
        check_product(&p, seed);
    }
}
END_TEST

/* ⟨A, B⟩ = Σ A_i B_i in double, and in *absolute Σ |A_i B_i|. */
static double inner(const Matrix *A, const Matrix *B, double *absolute)
{
    double sum = 0;
    *absolute = 0;
    for (size_t i = 0; i < A->rows * A->cols; i++) {
        double term = (double)A->data[i] * (double)B->data[i];
        sum += term, *absolute += fabs(term);
    }
    return sum;
}

/* col2im is im2col's adjoint: ⟨im2col(X), D⟩ = ⟨X, col2im(D)⟩. col2im adds up
 * to K·K terms into each entry: each side within K·K rounding steps of the
 * sum of |terms|. */
static void check_adjoint(const Problem *p, unsigned long long seed)
{
    const ConvGeometry *g = &p->g;
    size_t CKK = g->channels * g->kernel * g->kernel;
    size_t columns = conv_out_height(g) * conv_out_width(g) * p->m;
    Matrix *X = mat_new(g->channels * g->height * g->width, p->m), *dX = mat_new(X->rows, p->m);
    Matrix *cols = mat_new(CKK, columns), *D = mat_new(CKK, columns);
    fill_uniform(X, seed, -1, 1), fill_uniform(D, seed + 1000, -1, 1);
    mat_fill(cols, 99), mat_fill(dX, 7); /* im2col writes every entry, col2im starts at 0 */
    im2col(cols, X, g);
    col2im(dX, D, g);
    double terms, unused;
    double left = inner(cols, D, &terms), right = inner(X, dX, &unused);
    double tol = 4 * (double)(g->kernel * g->kernel + 1) * REAL_EPSILON * terms + 1e-30;
    ck_assert_msg(fabs(left - right) <= tol,
                  "%s: ⟨im2col(X), D⟩ = %.12g, ⟨X, col2im(D)⟩ = %.12g (tolerance %.3g)", p->name,
                  left, right, tol);
    mat_free(X), mat_free(dX), mat_free(cols), mat_free(D);
}

START_TEST(col2im_is_the_adjoint_of_im2col)
{
    for (unsigned long long seed = 1; seed <= PROBLEMS; seed++) {
        Problem p = problem(seed);
        check_adjoint(&p, seed);
    }
}
END_TEST

/* The backward pass through im2col, into dW, db, dX: dZ (F·OH·OW × m) seen as
 * dZ' (F × OH·OW·m), then dW = dZ'·colsᵀ, db = its row sums, dX = col2im(Wᵀ·dZ'). */
static void backward_by_product(Matrix *dW, Matrix *db, Matrix *dX, const Matrix *dZ,
                                const Matrix *W, const Matrix *X, const ConvGeometry *g)
{
    size_t CKK = W->cols, columns = dZ->rows / W->rows * dZ->cols;
    Matrix *cols = mat_new(CKK, columns), *dcols = mat_new(CKK, columns);
    Matrix dZ_rows = reshaped(dZ, W->rows, columns);
    im2col(cols, X, g);
    mat_mul_nt(dW, &dZ_rows, cols); /* dW (F × C·K·K) = dZ' (F × OH·OW·m) · colsᵀ */
    mat_sum_cols(db, &dZ_rows);     /* db (F×1) = Σ over positions and examples */
    mat_mul_tn(dcols, W, &dZ_rows); /* dcols (C·K·K × OH·OW·m) = Wᵀ (C·K·K × F) · dZ' */
    col2im(dX, dcols, g);           /* dX (C·H·W × m) */
    mat_free(cols), mat_free(dcols);
}

/* A backward pass's three gradients, as conv_backward_direct takes them. */
typedef struct {
    Matrix *dW, *db, *dX;
} Gradients;

static Gradients gradients_new(const Matrix *W, const Matrix *X)
{
    Gradients d = {mat_new(W->rows, W->cols), mat_new(W->rows, 1), mat_new(X->rows, X->cols)};
    mat_fill(d.dW, 7), mat_fill(d.db, 7), mat_fill(d.dX, 7); /* none may survive */
    return d;
}

static void gradients_free(Gradients d)
{
    mat_free(d.dW), mat_free(d.db), mat_free(d.dX);
}

static void check_backward(const Problem *p, unsigned long long seed)
{
    const ConvGeometry *g = &p->g;
    size_t K = g->kernel, positions = conv_out_height(g) * conv_out_width(g);
    Matrix *X = mat_new(g->channels * g->height * g->width, p->m);
    Matrix *W = mat_new(p->F, g->channels * K * K), *dZ = mat_new(p->F * positions, p->m);
    fill_uniform(X, seed, -1, 1), fill_uniform(W, seed + 1000, -1, 1);
    fill_uniform(dZ, seed + 2000, -1, 1);
    Gradients direct = gradients_new(W, X), product = gradients_new(W, X);
    Gradients bound = gradients_new(W, X), no_dX = gradients_new(W, X);
    conv_backward_direct(direct.dW, direct.db, direct.dX, dZ, W, X, g);
    conv_backward_direct(no_dX.dW, no_dX.db, NULL, dZ, W, X, g);
    backward_by_product(product.dW, product.db, product.dX, dZ, W, X, g);
    make_absolute(X), make_absolute(W), make_absolute(dZ);
    backward_by_product(bound.dW, bound.db, bound.dX, dZ, W, X, g);
    size_t n = positions * p->m > p->F * K * K ? positions * p->m : p->F * K * K;
    assert_within_rounding(direct.dW, product.dW, bound.dW, n, "dW", p);
    assert_within_rounding(direct.db, product.db, bound.db, n, "db", p);
    assert_within_rounding(direct.dX, product.dX, bound.dX, n, "dX", p);
    assert_within_rounding(no_dX.dW, direct.dW, bound.dW, 0, "dW with dX NULL", p);
    assert_within_rounding(no_dX.db, direct.db, bound.db, 0, "db with dX NULL", p);
    gradients_free(direct), gradients_free(product), gradients_free(bound);
    gradients_free(no_dX);
    mat_free(X), mat_free(W), mat_free(dZ);
}

START_TEST(direct_backward_is_the_im2col_backward)
{
    for (unsigned long long seed = 1; seed <= PROBLEMS; seed++) {
        Problem p = problem(seed);
        check_backward(&p, seed);
    }
}
END_TEST

/* The network's own layers, big enough that im2col, col2im and pooling share
 * their work among the threads (CONV_PARALLEL_MIN): the same checks, and
 * pooling against a run on one channel at a time, which no thread shares. */
static const Problem big[] = {
    {{20, 12, 12, 5, 1, 0}, 64, 3, "the second layer's input, 20×12×12, K = 5, m = 64, F = 3"},
    {{1, 28, 28, 5, 1, 2}, 64, 2, "an image, 1×28×28, K = 5, P = 2, m = 64, F = 2"},
};

START_TEST(big_maps_shared_by_the_threads)
{
    const Problem *p = &big[_i];
    size_t K = p->g.kernel, positions = conv_out_height(&p->g) * conv_out_width(&p->g);
    ck_assert_uint_ge(p->g.channels * K * K * positions * p->m, CONV_PARALLEL_MIN); /* shared */
    check_product(p, 7);
    check_adjoint(p, 8);
    check_backward(p, 9);
}
END_TEST

/* Channel c of maps M (C·H·W × m): rows c·H·W.. of the same memory. */
static Matrix channel_of(const Matrix *M, size_t c, size_t per_channel)
{
    return (Matrix){per_channel, M->cols, M->data + c * per_channel * M->cols,
                    per_channel * M->cols};
}

/* 50 maps of 8×8 for 64 examples (the second layer's), pooled 2×2 with the
 * threads sharing the channels, against each channel pooled alone. */
START_TEST(big_pooling_is_each_channel_pooled_alone)
{
    enum { C = 50, H = 8, W = 8, M = 64, OUT = 4 * 4 };
    const PoolGeometry g = {C, H, W, 2, 2}, one = {1, H, W, 2, 2};
    Matrix *X = mat_new(C * H * W, M), *Y = mat_new(C * OUT, M), *dY = mat_new(C * OUT, M);
    Matrix *dX = mat_new(C * H * W, M), *y = mat_new(OUT, M), *dx = mat_new(H * W, M);
    PoolIndex *where = pool_index_new(C * OUT, M), *at = pool_index_new(OUT, M);
    fill_uniform(X, 3, -1, 1), fill_uniform(dY, 4, -1, 1);
    ck_assert_uint_ge(X->rows * M, CONV_PARALLEL_MIN); /* shared */
    max_pool_forward(Y, where, X, &g);
    max_pool_backward(dX, dY, where, &g);
    for (size_t c = 0; c < C; c++) {
        Matrix x = channel_of(X, c, H * W), dy = channel_of(dY, c, OUT);
        max_pool_forward(y, at, &x, &one);
        max_pool_backward(dx, &dy, at, &one);
        for (size_t i = 0; i < OUT * M; i++) {
            ck_assert_msg(Y->data[c * OUT * M + i] == y->data[i], "channel %zu: Y differs at %zu",
                          c, i);
            ck_assert_uint_eq(where->data[c * OUT * M + i], at->data[i] + c * H * W);
        }
        for (size_t i = 0; i < H * W * M; i++)
            ck_assert_msg(dX->data[c * H * W * M + i] == dx->data[i],
                          "channel %zu: dX differs at %zu", c, i);
    }
    mat_free(X), mat_free(Y), mat_free(dY), mat_free(dX), mat_free(y), mat_free(dx);
    pool_index_free(where), pool_index_free(at);
}
END_TEST

/* ---- max pooling by hand ------------------------------------------------------------------ */

/* Two channels of 4×4, 2×2 windows, stride 2, two examples (rows c·16 + y·4 + x).
 * Example 0, channel 0:            channel 1: 1..16 row by row, so each
 *      1  5 |  2  0                window's max is its bottom-right pixel:
 *      3  4 |  8  8                6 (row 16+5), 8 (16+7), 14 (16+13), 16 (16+15).
 *     ------+------
 *     -1 -2 |  0  0
 *     -3 -4 |  0  0
 * windows: [1 5; 3 4] → 5 at row 1; [2 0; 8 8] → 8, a tie: the first, row 6;
 * [−1 −2; −3 −4] → −1 at row 8; all zeros → 0, the first, row 10.
 * Example 1 is the negative: channel 0's maxima −1 (row 0), 0 (row 3), 4 (row 13),
 * and −0 = 0 everywhere in the last window: the first, row 10; channel 1's are
 * the top-left pixels: −1 (16+0), −3 (16+2), −9 (16+8), −11 (16+10). */
static const real pool_channel0[] = {1, 5, 2, 0, 3, 4, 8, 8, -1, -2, 0, 0, -3, -4, 0, 0};
/* Y (8×2) and the rows that won, row (c·2 + oy)·2 + ox, the two examples side by side */
static const real pooled[] = {5, -1, 8, 0, -1, 4, 0, 0, 6, -1, 8, -3, 14, -9, 16, -11};
static const size_t winners[] = {1, 0, 6, 3, 8, 13, 10, 10, 21, 16, 23, 18, 29, 24, 31, 26};

static Matrix *pool_input(void)
{
    Matrix *X = mat_new(32, 2);
    for (size_t r = 0; r < 32; r++) {
        real v = r < 16 ? pool_channel0[r] : (real)(r - 15);
        MAT_AT(X, r, 0) = v, MAT_AT(X, r, 1) = -v;
    }
    return X;
}

START_TEST(max_pool_by_hand)
{
    const PoolGeometry g = {2, 4, 4, 2, 2};
    Matrix *X = pool_input(), *Y = mat_new(8, 3); /* room for more examples */
    PoolIndex *where = pool_index_new(8, 3);
    mat_fill(Y, 99);
    max_pool_forward(Y, where, X, &g);
    ck_assert_uint_eq(Y->cols, 2);
    ck_assert_uint_eq(where->cols, 2);
    assert_matrix_equals(Y, pooled, 0);
    for (size_t i = 0; i < 16; i++)
        ck_assert_msg(where->data[i] == winners[i], "entry (%zu, %zu) came from row %zu, not %zu",
                      i / 2, i % 2, where->data[i], winners[i]);
    mat_free(X), mat_free(Y), pool_index_free(where);
}
END_TEST

/* One channel of H×W (m = 1) pooled: each window's maximum into y, the row
 * of X it came from into won. */
static void pool_one(const real *x, size_t H, size_t W, size_t size, size_t stride, real *y,
                     size_t *won)
{
    const PoolGeometry g = {1, H, W, size, stride};
    size_t n = pool_out_height(&g) * pool_out_width(&g);
    Matrix *X = mat_from(H * W, 1, x), *Y = mat_new(n, 1);
    PoolIndex *where = pool_index_new(n, 1);
    max_pool_forward(Y, where, X, &g);
    for (size_t i = 0; i < n; i++) y[i] = Y->data[i], won[i] = where->data[i];
    mat_free(X), mat_free(Y), pool_index_free(where);
}

START_TEST(ties_go_to_the_first_maximum)
{
    real y[2];
    size_t won[2];
    /* [3 7; 7 7]: the 7 at (0,1), row 1, comes first in row-major order */
    const real one_window[] = {3, 7, 7, 7};
    pool_one(one_window, 2, 2, 2, 2, y, won);
    ck_assert(y[0] == 7);
    ck_assert_uint_eq(won[0], 1);
    /* all equal, 2×3, overlapping 2×2 windows at (0,0) and (0,1): each its own top-left */
    const real flat[] = {5, 5, 5, 5, 5, 5};
    pool_one(flat, 2, 3, 2, 1, y, won);
    ck_assert_uint_eq(won[0], 0);
    ck_assert_uint_eq(won[1], 1);
}
END_TEST

/* A NaN wins its window, the first NaN when there are several, wherever the
 * larger numbers are: [1 NaN; 5 NaN] → row 1; [NaN 3; 9 1] → row 0 (nothing
 * replaces it); [2 9; NaN 1] → row 2, after a larger number. */
START_TEST(a_nan_wins_its_window)
{
    const real cases[][4] = {{1, NAN, 5, NAN}, {NAN, 3, 9, 1}, {2, 9, NAN, 1}};
    const size_t first_nan[] = {1, 0, 2};
    for (size_t i = 0; i < 3; i++) {
        real y;
        size_t won;
        pool_one(cases[i], 2, 2, 2, 2, &y, &won);
        ck_assert_msg(isnan(y), "case %zu: %g, not NaN", i, (double)y);
        ck_assert_msg(won == first_nan[i], "case %zu: row %zu won, not %zu", i, won, first_nan[i]);
    }
}
END_TEST

/* max_pool_by_hand's case: dY[r][j] = 2r + j + 1 goes to the row that won
 * (the hand-worked winners), nothing anywhere else: exactly 0. */
START_TEST(pool_gradient_goes_to_the_winner_only)
{
    const PoolGeometry g = {2, 4, 4, 2, 2};
    Matrix *X = pool_input(), *Y = mat_new(8, 2), *dY = mat_new(8, 2), *dX = mat_new(32, 2);
    PoolIndex *where = pool_index_new(8, 2);
    real expected[64] = {0};
    for (size_t r = 0; r < 8; r++)
        for (size_t j = 0; j < 2; j++) {
            MAT_AT(dY, r, j) = (real)(2 * r + j + 1);
            expected[winners[r * 2 + j] * 2 + j] = (real)(2 * r + j + 1);
        }
    max_pool_forward(Y, where, X, &g);
    mat_fill(dX, 7); /* the backward pass starts from zero: 7 must not survive */
    max_pool_backward(dX, dY, where, &g);
    assert_matrix_equals(dX, expected, 0);
    mat_free(X), mat_free(Y), mat_free(dY), mat_free(dX), pool_index_free(where);
}
END_TEST

/* One channel of 3×3, 2×2 windows, stride 1: four windows that overlap.
 * Example 0 = [1 2 3; 4 9 5; 6 7 8]: the centre (row 4) wins all four, so it
 * gets dY's sum 1 + 2 + 3 + 4 = 10. Example 1 = [9 1 9; 1 1 1; 9 1 9]: each
 * window has a corner of its own (rows 0, 2, 6, 8), which get 5, 6, 7, 8. */
START_TEST(overlapping_windows_add_their_gradients)
{
    const PoolGeometry g = {1, 3, 3, 2, 1};
    const real x[] = {1, 9, 2, 1, 3, 9, 4, 1, 9, 1, 5, 1, 6, 9, 7, 1, 8, 9};
    const real dy[] = {1, 5, 2, 6, 3, 7, 4, 8};
    const real expected[] = {0, 5, 0, 0, 0, 6, 0, 0, 10, 0, 0, 0, 0, 7, 0, 0, 0, 8};
    Matrix *X = mat_from(9, 2, x), *Y = mat_new(4, 2), *dY = mat_from(4, 2, dy);
    Matrix *dX = mat_new(9, 2);
    PoolIndex *where = pool_index_new(4, 2);
    max_pool_forward(Y, where, X, &g);
    max_pool_backward(dX, dY, where, &g);
    assert_matrix_equals(dX, expected, 0);
    mat_free(X), mat_free(Y), mat_free(dY), mat_free(dX), pool_index_free(where);
}
END_TEST

/* ---- shapes that do not fit stop the program ---------------------------------------------- */

START_TEST(im2col_into_too_small_a_matrix_stops)
{
    const ConvGeometry g = {1, 3, 3, 2, 1, 0}; /* cols must be 4 × (4·m) */
    Matrix *X = mat_new(9, 2), *cols = mat_new(4, 7);
    im2col(cols, X, &g);
}
END_TEST

START_TEST(col2im_of_the_wrong_columns_stops)
{
    const ConvGeometry g = {1, 3, 3, 2, 1, 0}; /* OH·OW = 4: 6 columns are no batch */
    Matrix *dcols = mat_new(4, 6), *dX = mat_new(9, 2);
    col2im(dX, dcols, &g);
}
END_TEST

START_TEST(convolution_with_the_wrong_weights_stops)
{
    const ConvGeometry g = {2, 3, 3, 2, 1, 0}; /* W must be F × 8 */
    Matrix *X = mat_new(18, 1), *W = mat_new(3, 4), *b = mat_new(3, 1), *Z = mat_new(12, 1);
    conv_forward_direct(Z, W, b, X, &g);
}
END_TEST

START_TEST(pool_backward_into_the_wrong_shape_stops)
{
    const PoolGeometry g = {1, 4, 4, 2, 2}; /* dX must be 16 × m */
    Matrix *dY = mat_new(4, 1), *dX = mat_new(9, 1);
    PoolIndex *where = pool_index_new(4, 1);
    max_pool_backward(dX, dY, where, &g);
}
END_TEST

Suite *suite_10_conv(void);
Suite *suite_10_conv(void)
{
    Suite *s = suite_create("10 conv");
    TCase *sizes = tcase_create("sizes");
    tcase_add_loop_test(sizes, conv_output_sizes_by_hand, 0, CONV_SIZES);
    tcase_add_test(sizes, bad_conv_geometries_are_reported);
    tcase_add_loop_test(sizes, pool_output_sizes_by_hand, 0, POOL_SIZES);
    tcase_add_test(sizes, bad_pool_geometries_are_reported);
    suite_add_tcase(s, sizes);

    TCase *conv = tcase_create("convolution");
    tcase_set_timeout(conv, 60);
    tcase_add_loop_test(conv, im2col_by_hand, 0, BY_HAND);
    tcase_add_test(conv, col2im_adds_overlapping_patches);
    tcase_add_test(conv, direct_convolution_by_hand);
    tcase_add_test(conv, padded_strided_convolution_by_hand);
    tcase_add_test(conv, one_product_is_the_direct_convolution);
    tcase_add_test(conv, col2im_is_the_adjoint_of_im2col);
    tcase_add_test(conv, direct_backward_is_the_im2col_backward);
    tcase_add_loop_test(conv, big_maps_shared_by_the_threads, 0, sizeof big / sizeof big[0]);
    suite_add_tcase(s, conv);

    TCase *pool = tcase_create("max pooling");
    tcase_add_test(pool, max_pool_by_hand);
    tcase_add_test(pool, big_pooling_is_each_channel_pooled_alone);
    tcase_add_test(pool, ties_go_to_the_first_maximum);
    tcase_add_test(pool, a_nan_wins_its_window);
    tcase_add_test(pool, pool_gradient_goes_to_the_winner_only);
    tcase_add_test(pool, overlapping_windows_add_their_gradients);
    suite_add_tcase(s, pool);

    TCase *bugs = tcase_create("shapes that do not fit");
    tcase_add_test_raise_signal(bugs, the_size_of_a_bad_geometry_stops, SIGABRT);
    tcase_add_test_raise_signal(bugs, im2col_into_too_small_a_matrix_stops, SIGABRT);
    tcase_add_test_raise_signal(bugs, col2im_of_the_wrong_columns_stops, SIGABRT);
    tcase_add_test_raise_signal(bugs, convolution_with_the_wrong_weights_stops, SIGABRT);
    tcase_add_test_raise_signal(bugs, pool_backward_into_the_wrong_shape_stops, SIGABRT);
    suite_add_tcase(s, bugs);
    return s;
}
