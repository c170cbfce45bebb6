/* check_09_fast.c: the fast training step computes what chapter 06's does:
 * the same logits and the same gradients of every layer, within float
 * rounding, and a fast epoch trains as well as the reference one. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fast_layer.h"
#include "loss.h"
#include "model_sgd.h"
#include "support/sample.h"
#include "support/testkit.h"

/* Fails unless A and B agree within tol relative to B's largest entry. */
static void assert_near(const Matrix *A, const Matrix *B, double tol, const char *what)
{
    double largest = 0;
    for (size_t i = 0; i < B->rows * B->cols; i++)
        if (fabs((double)B->data[i]) > largest) largest = fabs((double)B->data[i]);
    for (size_t i = 0; i < A->rows * A->cols; i++)
        ck_assert_msg(fabs((double)A->data[i] - (double)B->data[i]) <= tol * largest + 1e-30,
                      "%s: entry %zu is %.9g, the reference %.9g", what, i, (double)A->data[i],
                      (double)B->data[i]);
}

START_TEST(fast_gradients_are_the_references)
{
    size_t sizes[] = {784, 32, 16, 10}, index[40];
    Model *slow = model_new(sizes, 4, 40), *fast = model_new(sizes, 4, 40);
    Rng a, b;
    rng_seed(&a, 3), rng_seed(&b, 3);
    model_init_he(slow, &a), model_init_he(fast, &b);
    Matrix *X = mat_new(784, 40), *Y = mat_new(10, 40);
    for (size_t j = 0; j < 40; j++) index[j] = 7 * j;
    mnist_gather(X, Y, &sample, index, 40);
    FastWork f;
    fast_work_init(&f);
    assert_near(fast_forward(&f, fast, X, GEMM_PLAIN), model_forward(slow, X), 1e-5, "logits");
    double loss = fast_loss(fast, Y), reference = cross_entropy(slow->layers[2].Z, Y);
    ck_assert_msg(fabs(loss - reference) <= 1e-5 * reference, "loss %.9g, cross_entropy %.9g", loss,
                  reference);
    model_backward(slow, X, Y);
    assert_near(fast->P, slow->P, 1e-5, "P = softmax(Z_L)");
    fast_backward(&f, fast, X, GEMM_PLAIN, Y, 0);
    for (size_t l = 0; l < 3; l++) {
        char what[32];
        snprintf(what, sizeof what, "dW%zu", l + 1);
        assert_near(fast->layers[l].dW, slow->layers[l].dW, 1e-4, what);
        snprintf(what, sizeof what, "db%zu", l + 1);
        assert_near(fast->layers[l].db, slow->layers[l].db, 1e-4, what);
    }
    fast_work_release(&f);
    mat_free(X), mat_free(Y), model_free(slow), model_free(fast);
}
END_TEST

/* With a rate α the fast backward pass also takes chapter 05's step:
 * W = W - α dW and b = b - α db, every layer, shared among the threads. */
START_TEST(the_fast_step_is_sgd)
{
    size_t sizes[] = {784, 40, 10}, index[32];
    Model *slow = model_new(sizes, 3, 32), *fast = model_new(sizes, 3, 32);
    Rng a, b;
    rng_seed(&a, 5), rng_seed(&b, 5);
    model_init_he(slow, &a), model_init_he(fast, &b);
    Matrix *X = mat_new(784, 32), *Y = mat_new(10, 32);
    for (size_t j = 0; j < 32; j++) index[j] = 11 * j + 1;
    mnist_gather(X, Y, &sample, index, 32);
    FastWork f;
    fast_work_init(&f);
    real alpha = (real)0.5;
    model_forward(slow, X), model_backward(slow, X, Y), model_sgd_update(&alpha, slow);
    fast_forward(&f, fast, X, GEMM_PLAIN), fast_loss(fast, Y);
    fast_backward(&f, fast, X, GEMM_PLAIN, Y, alpha);
    for (size_t l = 0; l < 2; l++) {
        const Layer *s = &slow->layers[l], *q = &fast->layers[l];
        for (size_t i = 0; i < s->W->rows * s->W->cols; i++) /* within rounding of α dW */
            ck_assert_msg(fabs((double)q->W->data[i] - (double)s->W->data[i]) <=
                              1e-4 * alpha * fabs((double)s->dW->data[i]) + 1e-6 * fabs((double)s->W->data[i]) + 1e-12,
                          "layer %zu: W[%zu] %.9g, chapter 05's step %.9g", l + 1, i,
                          (double)q->W->data[i], (double)s->W->data[i]);
        assert_near(q->b, s->b, 1e-5, "b");
    }
    fast_work_release(&f);
    mat_free(X), mat_free(Y), model_free(slow), model_free(fast);
}
END_TEST

START_TEST(a_fast_epoch_learns)
{
    size_t sizes[] = {784, 64, 10}, order[600];
    Model *model = model_new(sizes, 3, 32);
    Rng rng;
    rng_seed(&rng, 1);
    model_init_he(model, &rng);
    Matrix *Xt = mat_new(32, 784), *Y = mat_new(10, 32), *X = mat_new(784, 32);
    for (size_t i = 0; i < 600; i++) order[i] = i;
    FastWork f;
    fast_work_init(&f);
    for (int e = 0; e < 10; e++) {
        size_t correct = 0, bad = 0;
        fast_epoch(&f, model, Xt, Y, &sample, order, 600, &rng, (real)0.1, &correct, &bad);
        ck_assert_uint_eq(bad, 0);
    }
    Score held_out = model_evaluate(model, &sample, 600, 200, X, Y, NULL, NULL);
    ck_assert_msg(held_out.accuracy > 0.8, "%.1f%%", 100 * held_out.accuracy);
    fast_work_release(&f);
    mat_free(X), mat_free(Xt), mat_free(Y), model_free(model);
}
END_TEST

/* ch09-speed takes no flags: a typo such as a thread count in a flag
 * (threads come from OMP_NUM_THREADS) is refused, not ignored. */
START_TEST(the_program_refuses_flags)
{
    char command[512];
    snprintf(command, sizeof command, "'%s'/ch09-speed --threads 2 2>&1 >/dev/null", NN_BUILD_DIR);
    int status;
    char *err = run_command(command, &status);
    ck_assert_msg(status == 2, "ch09-speed --threads 2 exited with %d; it said:\n%s", status, err);
    ck_assert_str_eq(err, "ch09-speed: --threads: this program takes no flags or arguments; run it "
                          "alone\n");
    free(err);
}
END_TEST

Suite *suite_09_fast(void);
Suite *suite_09_fast(void)
{
    Suite *s = suite_create("09 fast");
    TCase *tc = tcase_create("against chapter 06");
    tcase_add_unchecked_fixture(tc, sample_load, sample_free);
    tcase_add_test(tc, fast_gradients_are_the_references);
    tcase_add_test(tc, the_fast_step_is_sgd);
    tcase_add_test(tc, a_fast_epoch_learns);
    suite_add_tcase(s, tc);
    TCase *program = tcase_create("the program");
    tcase_add_test(program, the_program_refuses_flags);
    suite_add_tcase(s, program);
    return s;
}
