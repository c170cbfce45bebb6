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
#include "support/dropout_checks.h"
#include "support/optimizer_checks.h"
#include "support/testkit.h"

static const DropoutFns DROPOUT = {dropout_new, dropout_draw}; /* the module graded */

START_TEST(cosine_schedule_falls_from_base_to_zero)
{
    Schedule s = {SCHEDULE_COSINE, 0.4, 100, 0};
    ck_assert_double_eq_tol(schedule_rate(&s, 0), 0.4, 1e-15);
    ck_assert_double_eq_tol(schedule_rate(&s, 50), 0.2, 1e-15);
    ck_assert_double_eq_tol(schedule_rate(&s, 25), 0.2 * (1 + sqrt(0.5)), 1e-15);
    ck_assert_double_lt(schedule_rate(&s, 99), 0.4 * 1e-3);
    for (size_t t = 1; t < 100; t++) ck_assert(schedule_rate(&s, t) < schedule_rate(&s, t - 1));
    Schedule c = {SCHEDULE_CONSTANT, 0.4, 100, 0};
    ck_assert(schedule_rate(&c, 0) == 0.4 && schedule_rate(&c, 99) == 0.4);
    ck_assert_int_eq(args_choice("cosine", SCHEDULE_NAMES), SCHEDULE_COSINE);
    ck_assert_int_eq(args_choice("constant", SCHEDULE_NAMES), SCHEDULE_CONSTANT);
    ck_assert_int_eq(args_choice("linear", SCHEDULE_NAMES), -1);
}
END_TEST

/* Chapter 11's warm-up: α0 (t + 1) / W over the first W steps, then the schedule over the
 * T - W steps left, as if it started there. */
START_TEST(warmup_rises_linearly_then_the_schedule_runs_on_what_is_left)
{
    Schedule warm = {SCHEDULE_COSINE, 0.4, 110, 10}, cosine = {SCHEDULE_COSINE, 0.4, 100, 0};
    ck_assert_double_eq_tol(schedule_rate(&warm, 0), 0.04, 1e-15);
    ck_assert_double_eq_tol(schedule_rate(&warm, 4), 0.2, 1e-15);
    ck_assert_double_eq_tol(schedule_rate(&warm, 9), 0.4, 1e-15);
    for (size_t t = 1; t < 10; t++)
        ck_assert_double_eq_tol(schedule_rate(&warm, t) - schedule_rate(&warm, t - 1), 0.04, 1e-15);
    for (size_t t = 10; t < 110; t++)
        ck_assert_msg(schedule_rate(&warm, t) == schedule_rate(&cosine, t - 10),
                      "step %zu: %.17g, the cosine's step %zu: %.17g", t, schedule_rate(&warm, t),
                      t - 10, schedule_rate(&cosine, t - 10));
    ck_assert_double_eq_tol(schedule_rate(&warm, 60), 0.2, 1e-15);
    Schedule constant = {SCHEDULE_CONSTANT, 0.4, 100, 4};
    ck_assert_double_eq_tol(schedule_rate(&constant, 0), 0.1, 1e-15);
    ck_assert(schedule_rate(&constant, 4) == 0.4 && schedule_rate(&constant, 99) == 0.4);
}
END_TEST

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
    Outcome o = {0};
    ck_assert_msg(momentum_adds_up(optimizer_update, &o), "%s", o.why);
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

/* Adam's first step from θ = 0 with g = 0.5 is α g / (|g| + ε) = 0.1 · 0.5 / (0.5 + 1e-8), to a
 * few roundings of `real`: 1 - β1 and 1 - β2 are taken in the constants' precision, so that
 * float does not turn 1 - 0.999 into 0.00099998713 (a step 6.4e-6 too long). */
START_TEST(adams_first_step_is_exact_to_a_few_roundings)
{
    Model *model = scalar_model(0, 0.5f);
    Optimizer *opt = optimizer_of(model, OPTIMIZER_ADAM, 0);
    optimizer_update(opt, model);
    double step = -model->layers[0].W->data[0], expected = 0.1 * 0.5 / (0.5 + 1e-8);
    ck_assert_msg(fabs(step - expected) <= 4 * REAL_EPSILON * expected,
                  "Adam's first step is %.9g, not %.9g (relative error %.2g)", step, expected,
                  fabs(step - expected) / expected);
    optimizer_free(opt), model_free(model);
}
END_TEST

START_TEST(adam_follows_its_formulas_as_the_gradient_changes)
{
    Outcome o = {0};
    ck_assert_msg(adam_follows_its_formulas(optimizer_update, &o), "%s", o.why);
}
END_TEST

START_TEST(weight_decay_shrinks_every_layers_weights_once_and_no_bias)
{
    Outcome o = {0};
    ck_assert_msg(weight_decay_shrinks_weights_once(optimizer_update, &o), "%s", o.why);
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
    Outcome o = {0};
    ck_assert_msg(dropout_scales_by_inverse_keep(DROPOUT, &o), "%s", o.why);
}
END_TEST

START_TEST(dropout_masks_the_hidden_layers_and_not_the_output)
{
    Outcome o = {0};
    ck_assert_msg(dropout_spares_the_output(DROPOUT, &o), "%s", o.why);
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

/* ---- the program ----------------------------------------------------------------------------- */

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
    ck_assert_msg(strstr(out, "training diverged") != NULL && strstr(out, "--lr 5") != NULL, "%s",
                  out);
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
    tcase_add_test(rules, warmup_rises_linearly_then_the_schedule_runs_on_what_is_left);
    tcase_add_test(rules, sgd_steps_against_the_gradient_and_decays_weights_only);
    tcase_add_test(rules, momentum_adds_up_steps_that_agree);
    tcase_add_test(rules, adam_steps_by_about_alpha_whatever_the_gradients_size);
    tcase_add_test(rules, adams_first_step_is_exact_to_a_few_roundings);
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
