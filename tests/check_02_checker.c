/* check_02_checker.c: the check of the gather has teeth. A deliberately wrong gather must fail
 * the very check that grades lib/mnist.c (support/gather_check.h), for the reason it is wrong,
 * and the library's own gather must pass it.
 *
 * Like check_04_checker.c, these tests check the check, not a student: their runner
 * (checker-double-chNN) always links the library's own modules, so that a student's wrong
 * module is graded by the module's suite alone. */
#include <check.h>

#include "mnist.h"
#include "support/gather_check.h"
#include "support/testkit.h"

/* mnist.c's gather copied, its checks of the shapes left out, with one line wrong (MISTAKE):
 * a student who wrote each label's 1 and left the other nine as they were. A new Y of zeros
 * hides it; the check gathers again into a used Y, as training does every step. */
static void gather_writing_only_the_ones(Matrix *X, Matrix *Y, const MnistSet *set,
                                         const size_t *index, size_t m)
{
    size_t pixels = set->rows * set->cols;
    for (size_t j = 0; j < m; j++) {
        const unsigned char *image = set->pixels + index[j] * pixels;
        for (size_t p = 0; p < pixels; p++) MAT_AT(X, p, j) = (real)image[p] / (real)255;
        if (Y != NULL) MAT_AT(Y, set->labels[index[j]], j) = 1; /* MISTAKE: no 0s around it */
    }
}

START_TEST(the_gather_check_rejects_a_used_Y_left_unclean)
{
    Outcome right = {0}, wrong = {0};
    gather_scales_and_one_hots(mnist_gather, &right);
    gather_scales_and_one_hots(gather_writing_only_the_ones, &wrong);
    assert_catches("a gather writing the label's 1 only", &right, &wrong,
                   "a gather into a used Y: Y(0, 0) is 7, not 0");
}
END_TEST

Suite *suite_02_checker(void);
Suite *suite_02_checker(void)
{
    Suite *s = suite_create("02 checker");
    TCase *teeth = tcase_create("mistakes caught");
    tcase_add_test(teeth, the_gather_check_rejects_a_used_Y_left_unclean);
    suite_add_tcase(s, teeth);
    return s;
}
