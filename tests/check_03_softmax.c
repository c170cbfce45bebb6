/* check_03_softmax.c: chapter 03's softmax, cross-entropy and accuracy, and
 * the sanity check that teaches: an untrained network's loss is close to ln 10. */
#include <check.h>
#include <math.h>

#include "loss.h"
#include "mnist.h"
#include "net.h"
#include "softmax.h"
#include "support/testkit.h"

static double column_sum(const Matrix *A, size_t c)
{
    double sum = 0;
    for (size_t r = 0; r < A->rows; r++) sum += MAT_AT(A, r, c);
    return sum;
}

START_TEST(softmax_by_hand)
{
    /* softmax(1, 2, 3) = (e, e², e³) / (e + e² + e³) = (0.090031, 0.244728, 0.665241). */
    const real z[] = {1, 2, 3};
    Matrix *Z = mat_from(3, 1, z), *A = mat_new(3, 1);
    softmax(A, Z);
    const real expected[] = {0.0900306, 0.2447285, 0.6652410};
    assert_matrix_equals(A, expected, 1e-6);
    mat_free(Z), mat_free(A);
}
END_TEST

/* Each column on its own: (1, 2, 3), (0, 0, 0) and (3, 1, -1), side by side.
 * A softmax over rows, or over the whole matrix, gets every column wrong. */
START_TEST(softmax_by_hand_column_by_column)
{
    /* clang-format off */
    const real z[] = {1, 0, 3, /* row by row */
                      2, 0, 1,
                      3, 0, -1};
    /* clang-format on */
    Matrix *Z = mat_from(3, 3, z), *A = mat_new(3, 3);
    softmax(A, Z);
    /* (3, 1, -1): (e³, e, e⁻¹) / (e³ + e + e⁻¹) = (0.8668133, 0.1173104, 0.0158762) */
    /* clang-format off */
    const real expected[] = {0.0900306, 1.0 / 3, 0.8668133,
                             0.2447285, 1.0 / 3, 0.1173104,
                             0.6652410, 1.0 / 3, 0.0158762};
    /* clang-format on */
    assert_matrix_equals(A, expected, 1e-6);
    mat_free(Z), mat_free(A);
}
END_TEST

START_TEST(columns_sum_to_one_and_stay_finite_at_1000)
{
    const real z[] = {1000, -1000, 0.5, 1001, -1000, 0.5, 999, -1000, 0.5};
    Matrix *Z = mat_from(3, 3, z), *A = mat_new(3, 3);
    softmax(A, Z);
    for (size_t c = 0; c < 3; c++) ck_assert_double_eq_tol(column_sum(A, c), 1, 1e-6);
    for (size_t i = 0; i < 9; i++)
        ck_assert_msg(isfinite(A->data[i]), "entry %zu is not finite", i);
    ck_assert_double_eq_tol(MAT_AT(A, 0, 0), 0.2447285, 1e-6); /* softmax(1000, 1001, 999)_0 */
    ck_assert_double_eq_tol(MAT_AT(A, 0, 1), 1.0 / 3, 1e-6);   /* three equal scores */
    mat_free(Z), mat_free(A);
}
END_TEST

START_TEST(naive_softmax_overflows)
{
    const real z[] = {1000, 1001, 1002};
    Matrix *Z = mat_from(3, 1, z), *A = mat_new(3, 1);
    softmax_naive(A, Z);
    ck_assert(isnan(A->data[0])); /* inf / inf: the reason the stable form exists */
    mat_free(Z), mat_free(A);
}
END_TEST

START_TEST(cross_entropy_of_a_perfect_guess_is_near_zero)
{
    /* Two examples (columns), labels 2 and 0, each scoring 50 on its true class. */
    /* clang-format off */
    const real z[] = {0, 50,
                      0, 0,
                      50, 0};
    const real y[] = {0, 1,
                      0, 0,
                      1, 0};
    /* clang-format on */
    Matrix *Z = mat_from(3, 2, z), *Y = mat_from(3, 2, y);
    ck_assert_double_lt(cross_entropy(Z, Y), 1e-12);
    ck_assert_uint_eq(count_correct(Z, Y), 2);
    mat_free(Z), mat_free(Y);
}
END_TEST

START_TEST(cross_entropy_of_equal_scores_is_ln_classes)
{
    Matrix *Z = mat_new(10, 4), *Y = mat_new(10, 4);
    mat_fill(Z, 3);
    for (size_t c = 0; c < 4; c++) MAT_AT(Y, c, c) = 1;
    ck_assert_double_eq_tol(cross_entropy(Z, Y), log(10.0), 1e-6);
    mat_free(Z), mat_free(Y);
}
END_TEST

START_TEST(cross_entropy_stays_finite_when_a_probability_rounds_to_zero)
{
    /* softmax gives the true class exp(-2000) ≈ 0; the loss is 2000, not inf. */
    const real z[] = {0, 2000}, y[] = {1, 0};
    Matrix *Z = mat_from(2, 1, z), *Y = mat_from(2, 1, y);
    ck_assert_double_eq_tol(cross_entropy(Z, Y), 2000, 1e-6);
    mat_free(Z), mat_free(Y);
}
END_TEST

START_TEST(accuracy_counts_argmax_matches)
{
    /* Four examples; the guesses (argmax by column) are 0, 1, 2, 0, the labels 0, 1, 0, 0. */
    /* clang-format off */
    const real z[] = {0.9, 0.1, 0.2, 0.6,
                      0.05, 0.8, 0.3, 0.3,
                      0.05, 0.1, 0.5, 0.1};
    const real y[] = {1, 0, 1, 1,
                      0, 1, 0, 0,
                      0, 0, 0, 0};
    /* clang-format on */
    Matrix *Z = mat_from(3, 4, z), *Y = mat_from(3, 4, y);
    ck_assert_uint_eq(count_correct(Z, Y), 3);
    mat_free(Z), mat_free(Y);
}
END_TEST

START_TEST(untrained_loss_is_close_to_ln_10)
{
    MnistSet test;
    NnError err;
    ck_assert_msg(mnist_load_named(NN_SOURCE_DIR "/data/sample", "t10k", &test, &err) == 0, "%s",
                  err.message);
    size_t m = test.count, index[200];
    for (size_t j = 0; j < m; j++) index[j] = j;
    Matrix *X = mat_new(MNIST_PIXELS, m), *Y = mat_new(MNIST_CLASSES, m);
    mnist_gather(X, Y, &test, index, m);
    Rng rng;
    rng_seed(&rng, 1);
    Net *net = net_new(MNIST_PIXELS, 128, MNIST_CLASSES);
    net_init_he(net, &rng);
    Forward *f = forward_new(net, m);
    net_forward(net, X, f);
    double loss = cross_entropy(f->Z2, Y);
    ck_assert_msg(fabs(loss - log(MNIST_CLASSES)) < 0.1, "untrained loss %.4f, ln 10 = 2.3026",
                  loss);
    mat_free(X), mat_free(Y), net_free(net), forward_free(f), mnist_free(&test);
}
END_TEST

Suite *suite_03_softmax(void);
Suite *suite_03_softmax(void)
{
    Suite *s = suite_create("03 softmax and loss");
    TCase *tc = tcase_create("softmax");
    tcase_add_test(tc, softmax_by_hand);
    tcase_add_test(tc, softmax_by_hand_column_by_column);
    tcase_add_test(tc, columns_sum_to_one_and_stay_finite_at_1000);
    tcase_add_test(tc, naive_softmax_overflows);
    tcase_add_test(tc, cross_entropy_of_a_perfect_guess_is_near_zero);
    tcase_add_test(tc, cross_entropy_of_equal_scores_is_ln_classes);
    tcase_add_test(tc, cross_entropy_stays_finite_when_a_probability_rounds_to_zero);
    tcase_add_test(tc, accuracy_counts_argmax_matches);
    tcase_add_test(tc, untrained_loss_is_close_to_ln_10);
    suite_add_tcase(s, tc);
    return s;
}
