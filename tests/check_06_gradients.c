/* check_06_gradients.c: chapter 06's layers, checked in double.
 *
 *  - every layer's dW and db of models of depth 2 to 4, against centred
 *    differences (gradcheck.h), on tiny problems whose hidden pre-activations
 *    are clear of the ReLU's kink and on both sides of it;
 *  - chapter 05's network is the special case: the model of sizes 784, h, 10
 *    and Net, from the same seed, trained on the same batches, hold the same
 *    bits after every step (both initialisations). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradcheck.h"
#include "loss.h"
#include "model.h"
#include "model_sgd.h"
#include "sgd.h"
#include "support/sample.h"
#include "support/testkit.h"

#ifndef NN_REAL_DOUBLE
#error "the gradient checks need double: build with -DNN_REAL_DOUBLE (REAL=double)"
#endif

/* ---- the gradients of every layer ------------------------------------------------------------ */

typedef struct {
    Model *model;
    Matrix *X, *Y;
} Problem;

static double problem_loss(void *ctx)
{
    Problem *p = ctx;
    return cross_entropy(model_forward(p->model, p->X), p->Y);
}

/* True when every hidden layer's Z is clear of the kink and has entries on
 * both sides of it, so that ReLU' is exercised and the check is exact. */
static int hidden_layers_usable(const Model *model)
{
    for (size_t l = 0; l + 1 < model->count; l++) {
        const Matrix *Z = model->layers[l].Z;
        size_t on = 0;
        for (size_t i = 0; i < Z->rows * Z->cols; i++) on += Z->data[i] > 0;
        if (!gradcheck_clear_of_kink(Z, GRADCHECK_STEP) || on == 0 || on == Z->rows * Z->cols)
            return 0;
    }
    return 1;
}

/* A model of the given sizes and a batch of m, drawn from seed (parameters
 * uniform in (-0.5, 0.5), X uniform in [0, 1), random labels) until usable. */
static Problem problem_new(uint64_t seed, const size_t *sizes, size_t count, size_t m)
{
    Problem p = {model_new(sizes, count, m), mat_new(sizes[0], m), mat_new(sizes[count - 1], m)};
    Rng rng;
    rng_seed(&rng, seed);
    do {
        model_init_uniform(p.model, &rng);
        rng_fill_uniform(&rng, p.X, 0, 1);
        mat_fill(p.Y, 0);
        for (size_t j = 0; j < m; j++) MAT_AT(p.Y, rng_below(&rng, sizes[count - 1]), j) = 1;
        model_forward(p.model, p.X);
    } while (!hidden_layers_usable(p.model));
    return p;
}

static void problem_free(Problem *p)
{
    model_free(p->model), mat_free(p->X), mat_free(p->Y);
}

typedef struct {
    uint64_t seed;
    size_t sizes[5], count, m;
} Depth;

static const Depth depths[] = {
    {1, {5, 4, 3}, 3, 3},       /* chapter 04's shape: one hidden layer */
    {2, {5, 4, 6, 3}, 4, 2},    /* two hidden layers, the second wider */
    {3, {6, 7, 5, 4, 3}, 5, 3}, /* three */
    {4, {4, 3, 3, 2}, 4, 1},    /* one example */
};

START_TEST(every_layer_gradient_matches_numeric)
{
    const Depth *d = &depths[_i];
    Problem p = problem_new(d->seed, d->sizes, d->count, d->m);
    char what[64];
    snprintf(what, sizeof what, "depth %zu, m = %zu", p.model->count, d->m);
    testkit_guard_bugs(what);
    model_forward(p.model, p.X);
    model_backward(p.model, p.X, p.Y);
    testkit_unguard_bugs();
    for (size_t l = 0; l < p.model->count; l++) {
        Layer *layer = &p.model->layers[l];
        /* The analytic gradients, kept: the loss evaluations overwrite the workspace. */
        Matrix *dW = mat_new(layer->units, layer->inputs), *db = mat_new(layer->units, 1);
        mat_copy(dW, layer->dW), mat_copy(db, layer->db);
        char name[2][32], verdict[2][320];
        snprintf(name[0], sizeof name[0], "dW%zu", l + 1);
        snprintf(name[1], sizeof name[1], "db%zu", l + 1);
        GradCheck w = gradcheck_tensor(name[0], layer->W, dW, problem_loss, &p, GRADCHECK_KINK_TOL);
        GradCheck b = gradcheck_tensor(name[1], layer->b, db, problem_loss, &p, GRADCHECK_KINK_TOL);
        gradcheck_describe(&w, verdict[0], sizeof verdict[0]);
        gradcheck_describe(&b, verdict[1], sizeof verdict[1]);
        ck_assert_msg(w.passed, "depth %zu, layer %zu: %s", p.model->count, l + 1, verdict[0]);
        ck_assert_msg(b.passed, "depth %zu, layer %zu: %s", p.model->count, l + 1, verdict[1]);
        mat_free(dW), mat_free(db);
    }
    problem_free(&p);
}
END_TEST

/* ---- chapter 05's network, bit for bit ----------------------------------------------------- */

static int same_bits(const Matrix *A, const Matrix *B)
{
    return A->rows == B->rows && A->cols == B->cols &&
           memcmp(A->data, B->data, A->rows * A->cols * sizeof(real)) == 0;
}

static void assert_same_parameters(const Net *net, const Model *model, size_t after)
{
    const Layer *one = &model->layers[0], *two = &model->layers[1];
    ck_assert_msg(same_bits(net->W1, one->W) && same_bits(net->b1, one->b) &&
                      same_bits(net->W2, two->W) && same_bits(net->b2, two->b),
                  "the parameters differ after %zu steps", after);
}

/* Trains Net and the model of sizes 784, 16, 10 side by side: 30 steps of 32,
 * the same shuffled order, the same learning rate. */
static void train_side_by_side(int he)
{
    enum { HIDDEN = 16, BATCH = 32, STEPS = 30 };
    size_t sizes[] = {784, HIDDEN, 10};
    Rng net_rng, model_rng;
    rng_seed(&net_rng, 5), rng_seed(&model_rng, 5);
    Net *net = net_new(784, HIDDEN, 10);
    Model *model = model_new(sizes, 3, BATCH);
    if (he)
        net_init_he(net, &net_rng), model_init_he(model, &model_rng);
    else
        net_init_uniform(net, &net_rng), model_init_uniform(model, &model_rng);
    assert_same_parameters(net, model, 0);
    real alpha = he ? (real)0.2 : (real)0.05;
    Trainer *net_trainer = trainer_new(net, &sample, BATCH, alpha);
    ModelTrainer *model_trainer =
        model_trainer_new(model, &sample, &MODEL_LOOPS, model_sgd(&alpha));
    size_t order[STEPS * BATCH], correct_net = 0, correct_model = 0;
    for (size_t i = 0; i < STEPS * BATCH; i++) order[i] = (i * 7919) % sample.count;
    for (size_t s = 0; s < STEPS; s++) {
        Batch batch = {&order[s * BATCH], BATCH, NULL, 0};
        double a = sgd_step(net_trainer, &batch, &correct_net);
        testkit_guard_bugs("the model's step beside chapter 05's");
        double b = model_step(model_trainer, &batch, &correct_model);
        testkit_unguard_bugs();
        ck_assert_msg(a == b, "step %zu: loss %.17g for Net, %.17g for the model", s + 1, a, b);
        assert_same_parameters(net, model, s + 1);
    }
    ck_assert_uint_eq(correct_net, correct_model);
    trainer_free(net_trainer), model_trainer_free(model_trainer);
    net_free(net), model_free(model);
}

START_TEST(chapter_05_network_is_the_two_layer_model_bit_for_bit_he)
{
    train_side_by_side(1);
}
END_TEST

START_TEST(chapter_05_network_is_the_two_layer_model_bit_for_bit_uniform)
{
    train_side_by_side(0);
}
END_TEST

Suite *suite_06_gradients(void);
Suite *suite_06_gradients(void)
{
    Suite *s = suite_create("06 gradients");
    TCase *layers = tcase_create("every layer");
    tcase_add_loop_test(layers, every_layer_gradient_matches_numeric, 0,
                        sizeof depths / sizeof depths[0]);
    suite_add_tcase(s, layers);
    TCase *same = tcase_create("chapter 05 as a special case");
    tcase_add_unchecked_fixture(same, sample_load, sample_free);
    tcase_add_test(same, chapter_05_network_is_the_two_layer_model_bit_for_bit_he);
    tcase_add_test(same, chapter_05_network_is_the_two_layer_model_bit_for_bit_uniform);
    suite_add_tcase(s, same);
    return s;
}
