/* check_07_gradients.c: chapter 07's new formulas against centred differences,
 * in double:
 *  - L2 weight decay: the gradient of L + (λ/2) Σ W² is dW + λW, every layer,
 *    and db unchanged: the biases are not decayed;
 *  - dropout: with the masks held fixed, the gradient of the loss of the
 *    masked network is what the model's backward pass with dropout's ops
 *    computes, every layer. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "dropout.h"
#include "gradcheck.h"
#include "loss.h"
#include "model.h"
#include "support/testkit.h"
#include "weight_decay.h"

#ifndef NN_REAL_DOUBLE
#error "the gradient checks need double: build with -DNN_REAL_DOUBLE (REAL=double)"
#endif

enum { VERDICT = 320 };

typedef struct {
    Model *model;
    Matrix *X, *Y;
    double lambda;    /* weight decay, 0 for none */
    Dropout *dropout; /* NULL for none; its masks stay as drawn */
} Problem;

static const ModelOps *ops_of(const Problem *p)
{
    return p->dropout != NULL ? &p->dropout->ops : &MODEL_LOOPS;
}

static double problem_loss(void *ctx)
{
    Problem *p = ctx;
    const Matrix *logits = model_forward_with(p->model, p->X, ops_of(p));
    return cross_entropy(logits, p->Y) + weight_decay_penalty(p->model, p->lambda);
}

static int clear_of_kink(const Model *model)
{
    for (size_t l = 0; l + 1 < model->count; l++)
        if (!gradcheck_clear_of_kink(model->layers[l].Z, GRADCHECK_STEP)) return 0;
    return 1;
}

/* A 5-4-6-3 model on 3 examples, drawn from seed until clear of the kink. */
static Problem problem_new(uint64_t seed, double lambda, double keep)
{
    size_t sizes[] = {5, 4, 6, 3};
    Problem p = {model_new(sizes, 4, 3), mat_new(5, 3), mat_new(3, 3), lambda, NULL};
    if (keep < 1) p.dropout = dropout_new(p.model, keep, &MODEL_LOOPS, NULL); /* masks by hand */
    Rng rng;
    rng_seed(&rng, seed);
    do {
        model_init_uniform(p.model, &rng);
        rng_fill_uniform(&rng, p.X, 0, 1);
        mat_fill(p.Y, 0);
        for (size_t j = 0; j < 3; j++) MAT_AT(p.Y, rng_below(&rng, 3), j) = 1;
        if (p.dropout != NULL) dropout_draw(p.dropout, &rng, 3);
        problem_loss(&p);
    } while (!clear_of_kink(p.model));
    return p;
}

static void problem_free(Problem *p)
{
    dropout_free(p->dropout);
    model_free(p->model), mat_free(p->X), mat_free(p->Y);
}

/* The analytic gradients of the problem's loss, as the training step makes them. */
static void backward(Problem *p)
{
    model_forward_with(p->model, p->X, ops_of(p));
    model_loss(p->model, p->Y);
    model_backward_with(p->model, p->X, p->Y, ops_of(p), NULL);
    for (size_t l = 0; l < p->model->count && p->lambda > 0; l++) /* as the optimizer does */
        weight_decay_rows(&p->model->layers[l], 0, p->model->layers[l].units, p->lambda);
}

/* One layer's gradient `analytic` of its parameter theta against the numeric one. */
static void check_tensor(Problem *p, const char *name, Matrix *theta, Matrix *analytic,
                         const char *what, size_t l)
{
    GradCheck c = gradcheck_tensor(name, theta, analytic, problem_loss, p, GRADCHECK_KINK_TOL);
    char verdict[VERDICT];
    gradcheck_describe(&c, verdict, VERDICT);
    ck_assert_msg(c.passed, "%s, layer %zu: %s", what, l + 1, verdict);
}

/* Which gradients of every layer a check compares with the numeric ones. */
typedef enum { DW = 1, DB = 2, DW_AND_DB = 3 } Gradients;

static void check_every_layer(Problem *p, const char *what, Gradients which)
{
    testkit_guard_bugs(what);
    backward(p);
    testkit_unguard_bugs();
    for (size_t l = 0; l < p->model->count; l++) {
        Layer *layer = &p->model->layers[l];
        Matrix *dW = mat_new(layer->units, layer->inputs), *db = mat_new(layer->units, 1);
        mat_copy(dW, layer->dW), mat_copy(db, layer->db);
        if (which & DW) check_tensor(p, "dW", layer->W, dW, what, l);
        if (which & DB) check_tensor(p, "db", layer->b, db, what, l);
        mat_free(dW), mat_free(db);
    }
}

static const double lambdas[] = {1e-3, 0.1, 1};

/* Problem i of weight decay: a 5-4-6-3 model with decay lambdas[i], `which` gradients checked. */
static void check_weight_decay(int i, Gradients which)
{
    Problem p = problem_new(41 + (uint64_t)i, lambdas[i], 1);
    char what[64];
    snprintf(what, sizeof what, "weight decay λ = %g", lambdas[i]);
    check_every_layer(&p, what, which);
    problem_free(&p);
}

START_TEST(weight_decay_rows_give_dW_plus_lambda_W)
{
    check_weight_decay(_i, DW);
}
END_TEST

/* The biases are not decayed: db is the loss's gradient alone. */
START_TEST(weight_decay_rows_leave_db_alone)
{
    check_weight_decay(_i, DB);
}
END_TEST

START_TEST(weight_decay_penalty_is_half_lambda_sum_of_squares)
{
    size_t sizes[] = {2, 2, 1};
    Model *model = model_new(sizes, 3, 1);
    const real W1[] = {1, -2, 3, 0.5}, W2[] = {-1, 2};
    for (size_t i = 0; i < 4; i++) model->layers[0].W->data[i] = W1[i];
    for (size_t i = 0; i < 2; i++) model->layers[1].W->data[i] = W2[i];
    mat_fill(model->layers[0].b, 7); /* biases are not decayed */
    ck_assert_double_eq_tol(weight_decay_penalty(model, 0.1), 0.05 * (1 + 4 + 9 + 0.25 + 1 + 4),
                            1e-12);
    model_free(model);
}
END_TEST

START_TEST(dropout_backward_matches_numeric_with_fixed_masks)
{
    const double keeps[] = {0.5, 0.8};
    Problem p = problem_new(21 + (uint64_t)_i, 0, keeps[_i]);
    /* The masks must silence something, and keep something, to check anything. */
    size_t zeros = 0, cells = 0;
    for (size_t l = 0; l < p.dropout->count; l++) {
        const Matrix *M = p.dropout->masks[l];
        for (size_t i = 0; i < M->rows * M->cols; i++) zeros += M->data[i] == 0, cells++;
    }
    ck_assert_msg(zeros > 0 && zeros < cells, "%zu of %zu mask entries are 0", zeros, cells);
    char what[64];
    snprintf(what, sizeof what, "dropout, keep %g", keeps[_i]);
    check_every_layer(&p, what, DW_AND_DB);
    problem_free(&p);
}
END_TEST

START_TEST(dropout_with_weight_decay_together)
{
    Problem p = problem_new(31, 0.05, 0.7);
    check_every_layer(&p, "dropout (keep 0.7) with weight decay 0.05", DW_AND_DB);
    problem_free(&p);
}
END_TEST

Suite *suite_07_gradients(void);
Suite *suite_07_gradients(void)
{
    Suite *s = suite_create("07 gradients");
    TCase *decay = tcase_create("weight decay");
    tcase_add_loop_test(decay, weight_decay_rows_give_dW_plus_lambda_W, 0, 3);
    tcase_add_loop_test(decay, weight_decay_rows_leave_db_alone, 0, 3);
    tcase_add_test(decay, weight_decay_penalty_is_half_lambda_sum_of_squares);
    suite_add_tcase(s, decay);
    TCase *dropout = tcase_create("dropout");
    tcase_add_loop_test(dropout, dropout_backward_matches_numeric_with_fixed_masks, 0, 2);
    tcase_add_test(dropout, dropout_with_weight_decay_together);
    suite_add_tcase(s, dropout);
    return s;
}
