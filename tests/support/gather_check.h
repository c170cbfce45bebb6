/* gather_check.h: the check of chapter 02's gather (mnist_gather), written as a function of
 * the gather under test, so that the suite grading lib/mnist.c (check_02_mnist.c) and the one
 * proving the check catches a real mistake (check_02_checker.c) run the same check. It gathers
 * from the tiny set of tests/corpus/idx/good.*. Header-only, like sample.h. */
#ifndef NN_TESTS_GATHER_CHECK_H
#define NN_TESTS_GATHER_CHECK_H

#include <check.h>

#include "mnist.h"
#include "testkit.h"

/* The tiny set: 2 images of 3 rows × 2 columns, labels 3 and 9. */
static const unsigned char tiny_pixels[2][6] = {{0, 51, 102, 153, 204, 255},
                                                {255, 128, 1, 0, 17, 34}};
static const unsigned char tiny_labels[2] = {3, 9};

static inline MnistSet tiny_set_load(void)
{
    MnistSet set;
    NnError err;
    int status = mnist_load(NN_SOURCE_DIR "/tests/corpus/idx/good.idx3",
                            NN_SOURCE_DIR "/tests/corpus/idx/good.idx1", &set, &err);
    ck_assert_msg(status == 0, "%s", err.message);
    return set;
}

/* A gather: mnist_gather, a student's, or a deliberately wrong one. */
typedef void (*GatherFn)(Matrix *X, Matrix *Y, const MnistSet *set, const size_t *index, size_t m);

/* Finds it wrong, in o, unless X (6×3) and, unless it is NULL, Y (10×3) hold the tiny set's
 * examples index[0..2]: every pixel / 255, every column of Y one-hot. `what` names the gather. */
static inline void tiny_batch_gathered(const Matrix *X, const Matrix *Y, const size_t *index,
                                       const char *what, Outcome *o)
{
    for (size_t j = 0; j < 3; j++) {
        for (size_t p = 0; p < 6; p++) {
            real want = (real)tiny_pixels[index[j]][p] / (real)255;
            outcome_expect(o, MAT_AT(X, p, j) == want,
                           "%s: X(%zu, %zu) is %g, not pixel / 255 = %g", what, p, j,
                           (double)MAT_AT(X, p, j), (double)want);
        }
        for (size_t d = 0; d < 10 && Y != NULL; d++) {
            real want = d == (size_t)tiny_labels[index[j]];
            outcome_expect(o, MAT_AT(Y, d, j) == want, "%s: Y(%zu, %zu) is %g, not %g", what, d, j,
                           (double)MAT_AT(Y, d, j), (double)want);
        }
    }
}

/* Examples 1, 0, 1 of the tiny set gathered three times: into new X and Y; into a Y that held
 * 7s (every column exactly one-hot after, whatever Y held: training gathers every batch into
 * the same Y); into an X that held -1s, without Y (the images only). */
static inline int gather_scales_and_one_hots(GatherFn gather, Outcome *o)
{
    MnistSet set = tiny_set_load();
    const size_t index[] = {1, 0, 1};
    Matrix *X = mat_new(6, 3), *Y = mat_new(10, 3);
    gather(X, Y, &set, index, 3);
    tiny_batch_gathered(X, Y, index, "a gather", o);
    mat_fill(Y, 7);
    gather(X, Y, &set, index, 3);
    tiny_batch_gathered(X, Y, index, "a gather into a used Y", o);
    mat_fill(X, -1);
    gather(X, NULL, &set, index, 3);
    tiny_batch_gathered(X, NULL, index, "a gather of the images alone", o);
    mat_free(X), mat_free(Y);
    mnist_free(&set);
    return !o->failed;
}

#endif
