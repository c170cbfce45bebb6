/* check_02_forward.c: chapter 02's dense layer, ReLU, initialisation and the
 * untrained network's forward pass (shapes, and a guess no better than chance). */
#include <check.h>
#include <math.h>

#include "dense.h"
#include "mnist.h"
#include "net.h"
#include "relu.h"
#include "support/testkit.h"

START_TEST(dense_forward_by_hand)
{
    /* W = [1 2; 3 4], X = [1 0 2; 0 1 1], b = [10; 20]: W·X + b = [11 12 14; 23 24 30]. */
    const real w[] = {1, 2, 3, 4}, x[] = {1, 0, 2, 0, 1, 1}, bias[] = {10, 20};
    Matrix *W = mat_from(2, 2, w), *X = mat_from(2, 3, x), *b = mat_from(2, 1, bias);
    Matrix *Z = mat_new(2, 3);
    dense_forward(Z, W, X, b);
    const real expected[] = {11, 12, 14, 23, 24, 30};
    assert_matrix_equals(Z, expected, 0);
    mat_free(W), mat_free(X), mat_free(b), mat_free(Z);
}
END_TEST

START_TEST(relu_and_its_derivative)
{
    const real z[] = {-2, -0.0, 0, 0.5, 3, -1e-30};
    Matrix *Z = mat_from(1, 6, z), *A = mat_new(1, 6), *dA = mat_new(1, 6), *dZ = mat_new(1, 6);
    relu(A, Z);
    const real a[] = {0, 0, 0, 0.5, 3, 0};
    assert_matrix_equals(A, a, 0);
    mat_fill(dA, 7);
    relu_backward(dZ, dA, Z); /* 7 where z > 0, else 0 (0 at the kink itself) */
    const real dz[] = {0, 0, 0, 7, 7, 0};
    assert_matrix_equals(dZ, dz, 0);
    mat_free(Z), mat_free(A), mat_free(dA), mat_free(dZ);
}
END_TEST

START_TEST(initialisations_have_their_scales)
{
    Rng rng;
    rng_seed(&rng, 1);
    Net *net = net_new(MNIST_PIXELS, 256, MNIST_CLASSES);
    net_init_uniform(net, &rng);
    for (size_t i = 0; i < 256 * MNIST_PIXELS; i++) ck_assert(fabs((double)net->W1->data[i]) < 0.5);
    for (size_t i = 0; i < 256; i++) ck_assert(fabs((double)net->b1->data[i]) < 0.5);
    net_init_he(net, &rng);
    double sum_sq = 0;
    for (size_t i = 0; i < 256 * MNIST_PIXELS; i++)
        sum_sq += (double)net->W1->data[i] * net->W1->data[i];
    ck_assert_double_eq_tol(sqrt(sum_sq / (256 * MNIST_PIXELS)), sqrt(2.0 / MNIST_PIXELS), 0.001);
    for (size_t i = 0; i < 256; i++) ck_assert(net->b1->data[i] == 0);
    net_free(net);
}
END_TEST

START_TEST(untrained_network_guesses_at_chance)
{
    MnistSet test;
    NnError err;
    ck_assert_msg(mnist_load_named(NN_SOURCE_DIR "/data/sample", "t10k", &test, &err) == 0, "%s",
                  err.message);
    size_t m = test.count, index[200];
    ck_assert_uint_eq(m, 200);
    for (size_t j = 0; j < m; j++) index[j] = j;
    Matrix *X = mat_new(MNIST_PIXELS, m);
    mnist_gather(X, NULL, &test, index, m);
    Rng rng;
    rng_seed(&rng, 1);
    Net *net = net_new(MNIST_PIXELS, 128, MNIST_CLASSES);
    net_init_he(net, &rng);
    Forward *f = forward_new(net, m);
    net_forward(net, X, f);
    ck_assert_uint_eq(f->Z1->rows, 128);
    ck_assert_uint_eq(f->Z1->cols, m);
    ck_assert_uint_eq(f->Z2->rows, MNIST_CLASSES);
    ck_assert_uint_eq(f->Z2->cols, m);
    size_t right = 0;
    for (size_t j = 0; j < m; j++) right += mat_argmax_col(f->Z2, j) == test.labels[j];
    /* Chance is 10%: 20 of 200. An untrained net can lean towards a few digits, so allow 0-25%. */
    ck_assert_msg(right <= 50, "an untrained network got %zu of 200 right", right);
    for (size_t i = 0; i < 128 * m; i++) ck_assert(f->A1->data[i] >= 0);
    mat_free(X), net_free(net), forward_free(f), mnist_free(&test);
}
END_TEST

START_TEST(smaller_last_batch_reuses_the_forward_pass)
{
    Rng rng;
    rng_seed(&rng, 2);
    Net *net = net_new(5, 4, 3);
    net_init_he(net, &rng);
    Matrix *X = mat_new(5, 7), *X3 = mat_new(5, 3);
    rng_fill_uniform(&rng, X, 0, 1);
    for (size_t r = 0; r < 5; r++)
        for (size_t c = 0; c < 3; c++) MAT_AT(X3, r, c) = MAT_AT(X, r, c);
    Forward *f = forward_new(net, 7), *f3 = forward_new(net, 3);
    net_forward(net, X3, f3);
    net_forward(net, X, f);
    net_forward(net, X3, f); /* the 7-column pass now holds 3 columns */
    ck_assert_uint_eq(f->Z2->cols, 3);
    assert_matrix_equals(f->Z2, f3->Z2->data, 0);
    mat_free(X), mat_free(X3), forward_free(f), forward_free(f3), net_free(net);
}
END_TEST

Suite *suite_02_forward(void);
Suite *suite_02_forward(void)
{
    Suite *s = suite_create("02 forward pass");
    TCase *tc = tcase_create("forward");
    tcase_add_test(tc, dense_forward_by_hand);
    tcase_add_test(tc, relu_and_its_derivative);
    tcase_add_test(tc, initialisations_have_their_scales);
    tcase_add_test(tc, untrained_network_guesses_at_chance);
    tcase_add_test(tc, smaller_last_batch_reuses_the_forward_pass);
    suite_add_tcase(s, tc);
    return s;
}
