/* check_07_training.c: chapter 07's techniques, each against numbers worked
 * out by hand: the schedule, the three update rules with and without weight
 * decay, dropout's masks, early stopping; and the program's flags and runs. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "dropout.h"
#include "early_stop.h"
#include "optimizer.h"
#include "schedule.h"
#include "support/testkit.h"

START_TEST(cosine_schedule_falls_from_base_to_zero)
{
    Schedule s = {SCHEDULE_COSINE, 0.4, 100};
    ck_assert_double_eq_tol(schedule_rate(&s, 0), 0.4, 1e-15);
    ck_assert_double_eq_tol(schedule_rate(&s, 50), 0.2, 1e-15);
    ck_assert_double_eq_tol(schedule_rate(&s, 25), 0.2 * (1 + sqrt(0.5)), 1e-15);
    ck_assert_double_lt(schedule_rate(&s, 99), 0.4 * 1e-3);
    for (size_t t = 1; t < 100; t++) ck_assert(schedule_rate(&s, t) < schedule_rate(&s, t - 1));
    Schedule c = {SCHEDULE_CONSTANT, 0.4, 100};
    ck_assert(schedule_rate(&c, 0) == 0.4 && schedule_rate(&c, 99) == 0.4);
    ck_assert_int_eq(args_choice("cosine", SCHEDULE_NAMES), SCHEDULE_COSINE);
    ck_assert_int_eq(args_choice("constant", SCHEDULE_NAMES), SCHEDULE_CONSTANT);
    ck_assert_int_eq(args_choice("linear", SCHEDULE_NAMES), -1);
}
END_TEST

/* A 1-input, 1-unit, 1-output model whose parameters are all `theta` and
 * whose gradients are all `g`. */
static Model *scalar_model(real theta, real g)
{
    size_t sizes[] = {1, 1, 1};
    Model *model = model_new(sizes, 3, 1);
    for (size_t l = 0; l < 2; l++) {
        Layer *layer = &model->layers[l];
        layer->W->data[0] = layer->b->data[0] = theta;
        layer->dW->data[0] = layer->db->data[0] = g;
    }
    return model;
}

static Optimizer *optimizer_of(const Model *model, OptimizerKind kind, double lambda)
{
    return optimizer_new(model, kind, (Schedule){SCHEDULE_CONSTANT, 0.1, 10}, lambda);
}

START_TEST(sgd_steps_against_the_gradient_and_decays_weights_only)
{
    Model *model = scalar_model(2, 0.5);
    Optimizer *opt = optimizer_of(model, OPTIMIZER_SGD, 0.01);
    optimizer_update(opt, model);
    /* W: 2 - 0.1 (0.5 + 0.01·2) = 1.948; b: 2 - 0.1 · 0.5 = 1.95 */
    ck_assert_double_eq_tol(model->layers[0].W->data[0], 1.948, 1e-6);
    ck_assert_double_eq_tol(model->layers[0].b->data[0], 1.95, 1e-6);
    optimizer_free(opt), model_free(model);
}
END_TEST

START_TEST(momentum_adds_up_steps_that_agree)
{
    Model *model = scalar_model(2, 0.5);
    Optimizer *opt = optimizer_of(model, OPTIMIZER_MOMENTUM, 0);
    optimizer_update(opt, model); /* v = 0.5;              θ = 2 - 0.05 = 1.95 */
    ck_assert_double_eq_tol(model->layers[1].W->data[0], 1.95, 1e-6);
    optimizer_update(opt, model); /* v = 0.9·0.5 + 0.5 = 0.95; θ = 1.95 - 0.095 = 1.855 */
    ck_assert_double_eq_tol(model->layers[1].W->data[0], 1.855, 1e-6);
    model->layers[1].dW->data[0] = -0.5; /* the gradient turns: v = 0.855 - 0.5 = 0.355 */
    optimizer_update(opt, model);
    ck_assert_double_eq_tol(model->layers[1].W->data[0], 1.855 - 0.0355, 1e-6);
    optimizer_free(opt), model_free(model);
}
END_TEST

START_TEST(adam_steps_by_about_alpha_whatever_the_gradients_size)
{
    const real sizes[] = {1e-4f, 0.5f, 300};
    for (size_t k = 0; k < 3; k++) {
        Model *model = scalar_model(2, sizes[k]);
        Optimizer *opt = optimizer_of(model, OPTIMIZER_ADAM, 0);
        /* Step 1: m̂ = g, ŝ = g², so θ moves by α g / (|g| + ε), about α. */
        optimizer_update(opt, model);
        double expected = 2 - 0.1 * sizes[k] / (sizes[k] + 1e-8);
        ck_assert_double_eq_tol(model->layers[0].W->data[0], expected, 1e-5);
        /* Step 2, the same gradient: m̂ and ŝ unchanged by the bias correction. */
        optimizer_update(opt, model);
        ck_assert_double_eq_tol(model->layers[0].W->data[0], expected - (2 - expected), 1e-5);
        optimizer_free(opt), model_free(model);
    }
}
END_TEST

/* Three steps whose gradient changes, 0.5, -0.2, 0.1, worked by hand with
 * β1 = 0.9, β2 = 0.999, α = 0.1 from θ = 2:
 *   t = 1: m = 0.05,   s = 0.00025,    m̂ = 0.5,      ŝ = 0.25,     θ = 1.9
 *   t = 2: m = 0.025,  s = 0.00028975, m̂ = 0.131579, ŝ = 0.144947, θ = 1.8654394
 *   t = 3: m = 0.0325, s = 0.00029946, m̂ = 0.119926, ŝ = 0.099920, θ = 1.8275002
 * (β1 and β2 swapped give 1.8598821 at t = 2.) Every parameter of every
 * layer, weights and biases. */
START_TEST(adam_follows_its_formulas_as_the_gradient_changes)
{
    const real g[] = {0.5f, -0.2f, 0.1f};
    const double theta[] = {1.9, 1.8654394, 1.8275002};
    Model *model = scalar_model(2, g[0]);
    Optimizer *opt = optimizer_of(model, OPTIMIZER_ADAM, 0);
    for (size_t t = 0; t < 3; t++) {
        for (size_t l = 0; l < 2; l++)
            model->layers[l].dW->data[0] = model->layers[l].db->data[0] = g[t];
        optimizer_update(opt, model);
        for (size_t l = 0; l < 2; l++) {
            ck_assert_msg(fabs(model->layers[l].W->data[0] - theta[t]) < 1e-5,
                          "step %zu: W%zu is %.7f, not %.7f", t + 1, l + 1,
                          (double)model->layers[l].W->data[0], theta[t]);
            ck_assert_msg(fabs(model->layers[l].b->data[0] - theta[t]) < 1e-5,
                          "step %zu: b%zu is %.7f, not %.7f", t + 1, l + 1,
                          (double)model->layers[l].b->data[0], theta[t]);
        }
    }
    optimizer_free(opt), model_free(model);
}
END_TEST

/* With every gradient zero, one SGD step with decay λ = 0.01 at α = 0.1 is
 * the decay alone: every weight of every layer times 1 - αλ = 0.999, once,
 * and every bias untouched. */
START_TEST(weight_decay_shrinks_every_layers_weights_once_and_no_bias)
{
    size_t sizes[] = {4, 3, 5, 2};
    Model *model = model_new(sizes, 4, 1), *before = model_new(sizes, 4, 1);
    Rng rng;
    rng_seed(&rng, 3);
    model_init_he(model, &rng);
    for (size_t l = 0; l < 3; l++) {
        Layer *x = &model->layers[l];
        rng_fill_uniform(&rng, x->b, -1, 1);
        mat_copy(before->layers[l].W, x->W), mat_copy(before->layers[l].b, x->b);
        mat_fill(x->dW, 0), mat_fill(x->db, 0);
    }
    Optimizer *opt = optimizer_of(model, OPTIMIZER_SGD, 0.01);
    optimizer_update(opt, model);
    for (size_t l = 0; l < 3; l++) {
        const Layer *x = &model->layers[l], *y = &before->layers[l];
        for (size_t i = 0; i < x->units * x->inputs; i++)
            ck_assert_msg(fabs(x->W->data[i] - 0.999 * y->W->data[i]) <= 1e-6 * fabs(y->W->data[i]),
                          "W%zu[%zu] is %.8g, not 0.999 × %.8g", l + 1, i, (double)x->W->data[i],
                          (double)y->W->data[i]);
        for (size_t i = 0; i < x->units; i++)
            ck_assert_msg(x->b->data[i] == y->b->data[i], "b%zu[%zu] was decayed", l + 1, i);
    }
    optimizer_free(opt), model_free(model), model_free(before);
}
END_TEST

START_TEST(optimizer_names)
{
    /* The names, in OptimizerKind's order, as --optimizer takes them. */
    ck_assert_int_eq(args_choice("sgd", OPTIMIZER_NAMES), OPTIMIZER_SGD);
    ck_assert_int_eq(args_choice("adam", OPTIMIZER_NAMES), OPTIMIZER_ADAM);
    ck_assert_int_eq(args_choice("momentum", OPTIMIZER_NAMES), OPTIMIZER_MOMENTUM);
    ck_assert_int_eq(args_choice("Adam", OPTIMIZER_NAMES), -1);
}
END_TEST

START_TEST(dropout_keeps_about_keep_and_scales_by_its_inverse)
{
    size_t sizes[] = {3, 500, 400, 2};
    Model *model = model_new(sizes, 4, 50);
    Dropout *d = dropout_new(model, 0.8, &MODEL_LOOPS, NULL);
    ck_assert_uint_eq(d->count, 2); /* the hidden layers, not the output */
    Rng rng;
    rng_seed(&rng, 4);
    dropout_draw(d, &rng, 50);
    for (size_t l = 0; l < 2; l++) {
        const Matrix *M = d->masks[l];
        size_t kept = 0, n = M->rows * M->cols;
        for (size_t i = 0; i < n; i++) {
            ck_assert(M->data[i] == 0 || M->data[i] == (real)(1 / 0.8));
            kept += M->data[i] != 0;
        }
        ck_assert_double_eq_tol((double)kept / (double)n, 0.8, 0.01);
    }
    dropout_free(d), model_free(model);
}
END_TEST

/* Through dropout's ops, each hidden layer's A is exactly ReLU(Z) ⊙ M, its
 * mask, and the output layer is untouched: its logits are W·A + b of the
 * masked layer below, as they are without dropout. */
START_TEST(dropout_masks_the_hidden_layers_and_not_the_output)
{
    size_t sizes[] = {6, 8, 7, 3};
    Model *model = model_new(sizes, 4, 5);
    Rng rng;
    rng_seed(&rng, 9);
    model_init_he(model, &rng);
    Matrix *X = mat_new(6, 5), *Z = mat_new(3, 5);
    rng_fill_uniform(&rng, X, 0, 1);
    Dropout *d = dropout_new(model, 0.5, &MODEL_LOOPS, NULL);
    dropout_draw(d, &rng, 5);
    const Matrix *logits = model_forward_with(model, X, &d->ops);
    for (size_t l = 0; l < 2; l++) {
        const Layer *x = &model->layers[l];
        for (size_t i = 0; i < x->units * 5; i++) {
            real relu = x->Z->data[i] > 0 ? x->Z->data[i] : 0;
            ck_assert_msg(x->A->data[i] == relu * d->masks[l]->data[i],
                          "A%zu[%zu] is %g, not ReLU(Z) ⊙ M = %g", l + 1, i, (double)x->A->data[i],
                          (double)(relu * d->masks[l]->data[i]));
        }
    }
    const Layer *out = &model->layers[2];
    mat_mul(Z, out->W, model->layers[1].A);
    mat_add_col(Z, out->b); /* the logits from the masked A2, unmasked themselves */
    for (size_t i = 0; i < 15; i++)
        ck_assert_msg(logits->data[i] == Z->data[i], "logit %zu is %g, not W·A + b = %g", i,
                      (double)logits->data[i], (double)Z->data[i]);
    dropout_free(d), mat_free(X), mat_free(Z), model_free(model);
}
END_TEST

START_TEST(early_stopping_keeps_the_best_and_waits_patience_epochs)
{
    size_t sizes[] = {1, 1, 1};
    Model *model = model_new(sizes, 3, 1);
    EarlyStop es;
    early_stop_init(&es, model, 2);
    const double val[] = {1.0, 0.8, 0.9, 0.85, 0.95};
    int stopped_at = 0;
    for (size_t e = 1; e <= 5 && !stopped_at; e++) {
        model->layers[0].W->data[0] = (real)e; /* the parameters of epoch e */
        if (early_stop_update(&es, model, e, val[e - 1])) stopped_at = (int)e;
    }
    ck_assert_int_eq(stopped_at, 4); /* epochs 3 and 4 brought nothing better than 2 */
    ck_assert_uint_eq(es.best_epoch, 2);
    early_stop_restore(&es, model);
    ck_assert(model->layers[0].W->data[0] == 2);
    early_stop_release(&es), model_free(model);
}
END_TEST

/* ---- the program ------------------------------------------------------------------------------ */

static char *run_program(const char *args, int *status)
{
    char command[512];
    snprintf(command, sizeof command,
             "'%s'/ch07-better-training --data data/sample --log /tmp/nn-ch07-test.tsv "
             "--curve never %s 2>&1",
             NN_BUILD_DIR, args);
    return run_command(command, status);
}

static const char *const bad_flags[][2] = {
    {"--optimizer rmsprop", "--optimizer: \"rmsprop\" is not one"},
    {"--schedule linear", "--schedule: \"linear\" is not one"},
    {"--dropout 1", "--dropout"},
    {"--dropout -0.1", "--dropout"},
    {"--weight-decay 2", "--weight-decay"},
    {"--lr 0", "--lr"},
    {"--layers 784,10,9", "the last 10"},
};

START_TEST(the_program_refuses_bad_flags)
{
    int status;
    char *out = run_program(bad_flags[_i][0], &status);
    ck_assert_msg(status != 0, "%s was accepted:\n%s", bad_flags[_i][0], out);
    ck_assert_msg(strstr(out, bad_flags[_i][1]) != NULL, "%s: %s", bad_flags[_i][0], out);
    free(out);
}
END_TEST

START_TEST(the_program_trains_with_every_technique_on)
{
    int status;
    char *out = run_program("--layers 784,64,32,10 --epochs 4 --weight-decay 1e-4 --dropout 0.2 "
                            "--patience 2 --optimizer momentum --lr 0.05",
                            &status);
    ck_assert_msg(status == 0, "%s", out);
    ck_assert_msg(strstr(out, "kept: the model of epoch") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "final: test accuracy") != NULL, "%s", out);
    free(out);
}
END_TEST

START_TEST(a_diverging_run_says_where_and_fails)
{
    int status;
    char *out = run_program("--optimizer sgd --lr 50 --schedule constant --dropout 0", &status);
    ck_assert_int_eq(status, 1);
    ck_assert_msg(strstr(out, "training diverged") != NULL && strstr(out, "--lr 5") != NULL,
                  "%s", out);
    free(out);
    ck_assert_int_eq(system("rm -f /tmp/nn-ch07-test.*"), 0);
}
END_TEST

Suite *suite_07_training(void);
Suite *suite_07_training(void)
{
    Suite *s = suite_create("07 training");
    TCase *rules = tcase_create("rules");
    tcase_add_test(rules, cosine_schedule_falls_from_base_to_zero);
    tcase_add_test(rules, sgd_steps_against_the_gradient_and_decays_weights_only);
    tcase_add_test(rules, momentum_adds_up_steps_that_agree);
    tcase_add_test(rules, adam_steps_by_about_alpha_whatever_the_gradients_size);
    tcase_add_test(rules, adam_follows_its_formulas_as_the_gradient_changes);
    tcase_add_test(rules, weight_decay_shrinks_every_layers_weights_once_and_no_bias);
    tcase_add_test(rules, optimizer_names);
    tcase_add_test(rules, dropout_keeps_about_keep_and_scales_by_its_inverse);
    tcase_add_test(rules, dropout_masks_the_hidden_layers_and_not_the_output);
    tcase_add_test(rules, early_stopping_keeps_the_best_and_waits_patience_epochs);
    suite_add_tcase(s, rules);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 120);
    tcase_add_loop_test(program, the_program_refuses_bad_flags, 0,
                        sizeof bad_flags / sizeof bad_flags[0]);
    tcase_add_test(program, the_program_trains_with_every_technique_on);
    tcase_add_test(program, a_diverging_run_says_where_and_fails);
    suite_add_tcase(s, program);
    return s;
}
