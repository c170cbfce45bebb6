/* check_10_gradients.c: chapter 10's convolution and pooling layers, checked in double.
 *
 * Every parameter tensor (dW and db of every layer) and dX, the gradient by
 * the input through col2im, against centred differences (conv_check.h), on
 * tiny networks that cover what can go wrong: one channel and several,
 * padding, stride 2, a non-square input, pooling with windows that leave
 * pixels out, two convolutions in a row, a dense hidden layer after them,
 * and a batch of one. An instructor grades a student's convolution layer
 * with these: make test CH=10 STUDENT_conv_layer=file.c. */
#include <check.h>
#include <stdio.h>

#include "conv_check.h"
#include "conv_layer.h"
#include "support/testkit.h"

#ifndef NN_REAL_DOUBLE
#error "the gradient checks need double: build with -DNN_REAL_DOUBLE (REAL=double)"
#endif

typedef struct {
    const char *layers; /* convnet.h's text */
    uint64_t seed;
    size_t m;
} Case;

static const Case cases[] = {
    {"1x5x5,conv2k3,3", 1, 2},                   /* the plain sliding dot product */
    {"2x6x5,conv3k3s2p1,4", 2, 3},               /* channels, stride 2, padding, not square */
    {"1x6x6,conv2k3p1,pool2,3", 3, 2},           /* pooling */
    {"3x7x7,conv2k2,pool3,2", 4, 1},             /* three channels, pooling 3×3; m = 1 */
    {"1x8x8,conv2k3p1,pool2,conv3k3,5,3", 5, 2}, /* two stages, a dense hidden layer */
    {"2x9x9,conv3k3s2,conv2k2p1,pool2,3", 6, 2}, /* two in a row, a pool leaving a row out */
    {"1x7x7,conv2k3s2p2,3", 7, 3},               /* padding larger than the kernel's reach */
};

START_TEST(every_tensor_matches_numeric)
{
    const Case *c = &cases[_i];
    ConvEngine engine;
    conv_engine_init(&engine);
    ConvProblem *p = conv_problem_new(c->layers, c->seed, c->m, &engine.evaluate.ops);
    char what[96];
    snprintf(what, sizeof what, "%s, m = %zu", c->layers, c->m);
    GradCheck checks[CONV_CHECK_MAX];
    testkit_guard_bugs(what);
    size_t n = conv_check_all(p, checks);
    testkit_unguard_bugs();
    ck_assert_msg(n == 2 * p->model->count + 1, "%s: %zu tensors checked", what, n);
    for (size_t i = 0; i < n; i++) {
        char verdict[320];
        gradcheck_describe(&checks[i], verdict, sizeof verdict);
        ck_assert_msg(checks[i].passed, "%s: %s", what, verdict);
    }
    conv_problem_free(p);
    conv_engine_release(&engine);
}
END_TEST

Suite *suite_10_gradients(void);
Suite *suite_10_gradients(void)
{
    Suite *s = suite_create("10 gradients");
    TCase *layers = tcase_create("convolution and pooling");
    tcase_add_loop_test(layers, every_tensor_matches_numeric, 0, sizeof cases / sizeof cases[0]);
    suite_add_tcase(s, layers);
    return s;
}
