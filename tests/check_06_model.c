/* check_06_model.c: chapter 06's layers and models: the sizes flag, the shape
 * of what model_new builds, the forward pass against chapter 05's, training
 * that can learn and that stops when it diverges, and the program's refusals. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loss.h"
#include "model.h"
#include "model_sgd.h"
#include "net.h"
#include "support/sample.h"
#include "support/testkit.h"

START_TEST(sizes_are_parsed)
{
    size_t sizes[MODEL_MAX_SIZES], count;
    NnError err;
    ck_assert_int_eq(model_parse_sizes("784,256,128,10", sizes, &count, &err), 0);
    ck_assert_uint_eq(count, 4);
    const size_t expected[] = {784, 256, 128, 10};
    for (size_t i = 0; i < 4; i++) ck_assert_uint_eq(sizes[i], expected[i]);
    ck_assert_int_eq(model_parse_sizes("784,10", sizes, &count, &err), 0);
    ck_assert_uint_eq(count, 2);
    ck_assert_int_eq(model_parse_sizes("1,65536,1", sizes, &count, &err), 0);
    ck_assert_int_eq(model_parse_sizes("784,65536,10", sizes, &count, &err), 0); /* 52 million */
}
END_TEST

static const char *const bad_sizes[] = {
    "",
    "784",
    "784,",
    ",784,10",
    "784,,10",
    "784,-5,10",
    "784,0,10",
    "784,+5,10",
    "784, 5,10",
    "784;10",
    "a,b",
    "784,65537,10",
    "784,99999999999999999999999,10",
    "784,10x",
    "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
    "784,65536,65536,10",
};

START_TEST(bad_sizes_are_refused_with_the_text)
{
    size_t sizes[MODEL_MAX_SIZES], count;
    NnError err;
    const char *text = bad_sizes[_i];
    ck_assert_msg(model_parse_sizes(text, sizes, &count, &err) == -1, "\"%s\" was accepted", text);
    char quoted[128];
    snprintf(quoted, sizeof quoted, "\"%s\"", text);
    ck_assert_msg(strstr(err.message, quoted) != NULL, "%s", err.message);
}
END_TEST

START_TEST(a_model_is_its_layers)
{
    size_t sizes[] = {784, 256, 128, 10};
    Model *model = model_new(sizes, 4, 32);
    ck_assert_uint_eq(model->count, 3);
    ck_assert_uint_eq(model_inputs(model), 784);
    ck_assert_uint_eq(model_outputs(model), 10);
    ck_assert_uint_eq(model_parameter_count(model), 256 * 785 + 128 * 257 + 10 * 129);
    for (size_t l = 0; l < 3; l++) {
        const Layer *layer = &model->layers[l];
        ck_assert_uint_eq(layer->inputs, sizes[l]);
        ck_assert_uint_eq(layer->units, sizes[l + 1]);
        ck_assert_uint_eq(layer->W->rows, sizes[l + 1]);
        ck_assert_uint_eq(layer->W->cols, sizes[l]);
        ck_assert_int_eq(layer->activation, l < 2 ? LAYER_RELU : LAYER_LINEAR);
        ck_assert(l < 2 ? layer->A != layer->Z : layer->A == layer->Z);
    }
    char text[64];
    model_describe(model, text, sizeof text);
    ck_assert_str_eq(text, "784-256-128-10");
    model_free(model);
}
END_TEST

START_TEST(the_forward_pass_is_chapter_05s_for_two_layers)
{
    size_t sizes[] = {12, 5, 3};
    Model *model = model_new(sizes, 3, 4);
    Net *net = net_new(12, 5, 3);
    Rng a, b;
    rng_seed(&a, 9), rng_seed(&b, 9);
    model_init_he(model, &a), net_init_he(net, &b);
    Matrix *X = mat_new(12, 4);
    fill_uniform(X, 3, 0, 1);
    Forward *f = forward_new(net, 4);
    net_forward(net, X, f);
    const Matrix *logits = model_forward(model, X);
    assert_matrix_equals(logits, f->Z2->data, 0);
    assert_matrix_equals(model->layers[0].A, f->A1->data, 0);
    forward_free(f), net_free(net), model_free(model), mat_free(X);
}
END_TEST

START_TEST(a_smaller_last_batch_uses_the_same_workspace)
{
    size_t sizes[] = {6, 4, 3};
    Model *model = model_new(sizes, 3, 5);
    Rng rng;
    rng_seed(&rng, 2);
    model_init_he(model, &rng);
    Matrix *X = mat_new(6, 5), *X2 = mat_new(6, 2);
    fill_uniform(X, 4, 0, 1);
    for (size_t i = 0; i < 6; i++)
        for (size_t j = 0; j < 2; j++) MAT_AT(X2, i, j) = MAT_AT(X, i, j);
    Matrix *full = mat_new(3, 5);
    mat_copy(full, model_forward(model, X));
    const Matrix *part = model_forward(model, X2);
    ck_assert_uint_eq(part->cols, 2);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 2; j++) ck_assert(MAT_AT(part, i, j) == MAT_AT(full, i, j));
    model_free(model), mat_free(X), mat_free(X2), mat_free(full);
}
END_TEST

/* A He-initialised model of `sizes` and its plain-SGD trainer at rate *alpha. */
static ModelTrainer *trainer_of(const size_t *sizes, size_t count, size_t batch, real *alpha)
{
    Model *model = model_new(sizes, count, batch);
    Rng rng;
    rng_seed(&rng, 1);
    model_init_he(model, &rng);
    return model_trainer_new(model, &sample, &MODEL_LOOPS, model_sgd(alpha));
}

static void trainer_release(ModelTrainer *t)
{
    model_free(t->model);
    model_trainer_free(t);
}

START_TEST(a_deep_model_learns_twenty_digits_by_heart)
{
    size_t sizes[] = {784, 32, 16, 10}, index[20], correct = 0;
    real alpha = (real)0.1;
    ModelTrainer *t = trainer_of(sizes, 4, 20, &alpha);
    for (size_t j = 0; j < 20; j++) index[j] = j;
    Batch b = {index, 20, NULL, 0};
    double first = model_step(t, &b, &correct), loss = first;
    ck_assert_double_le(fabs(first - log(10.0)), 0.5); /* about ln 10 to start */
    for (int step = 0; step < 300; step++) loss = model_step(t, &b, &correct);
    ck_assert_msg(loss < 0.01, "loss %g after 300 steps on 20 images", loss);
    trainer_release(t);
}
END_TEST

START_TEST(an_epoch_on_the_sample_generalises)
{
    size_t sizes[] = {784, 64, 32, 10}, order[600];
    real alpha = (real)0.1;
    ModelTrainer *t = trainer_of(sizes, 4, 32, &alpha);
    for (size_t i = 0; i < 600; i++) order[i] = i;
    Rng rng;
    rng_seed(&rng, 3);
    EpochPlan plan = {order, 600, 32, &rng, 15, NULL};
    for (size_t epoch = 1; epoch <= 15; epoch++) {
        size_t correct = 0, bad_step = 0;
        epoch_run(&plan, epoch, model_step, t, &correct, &bad_step);
        ck_assert_uint_eq(bad_step, 0);
    }
    Score held_out =
        model_evaluate(t->model, &MODEL_LOOPS, &sample, 600, 200, t->X, t->Y, NULL, NULL);
    ck_assert_msg(held_out.accuracy > 0.8, "%.1f%% on 200 held-out images",
                  100 * held_out.accuracy);
    trainer_release(t);
}
END_TEST

START_TEST(a_diverging_epoch_stops_at_its_step)
{
    size_t sizes[] = {784, 32, 16, 10}, order[600], correct = 0, bad_step = 0;
    real alpha = 50;
    ModelTrainer *t = trainer_of(sizes, 4, 32, &alpha);
    for (size_t i = 0; i < 600; i++) order[i] = i;
    Rng rng;
    rng_seed(&rng, 3);
    EpochPlan plan = {order, 600, 32, &rng, 1, NULL};
    double loss = epoch_run(&plan, 1, model_step, t, &correct, &bad_step);
    ck_assert_uint_gt(bad_step, 0);
    ck_assert_uint_le(bad_step, 19);
    ck_assert(!isfinite(loss) || loss > SGD_DIVERGED_LOSS);
    trainer_release(t);
}
END_TEST

/* ---- the program ----------------------------------------------------------------------------- */

static char *run_program(const char *args, int *status)
{
    char command[512];
    snprintf(command, sizeof command,
             "'%s'/ch06-deeper --data data/sample --log /tmp/nn-ch06-test.tsv %s 2>&1",
             NN_BUILD_DIR, args);
    return run_command(command, status);
}

START_TEST(the_program_refuses_bad_layers)
{
    int status;
    char *out = run_program("--layers 784,abc,10", &status);
    ck_assert_int_eq(status, 2);
    ck_assert_msg(strstr(out, "--layers: \"784,abc,10\"") != NULL, "%s", out);
    free(out);
    out = run_program("--layers 100,10", &status);
    ck_assert_int_eq(status, 1);
    ck_assert_msg(strstr(out, "the first size must be 784") != NULL, "%s", out);
    free(out);
    out = run_program("--layers 784,32,9", &status);
    ck_assert_int_eq(status, 1);
    ck_assert_msg(strstr(out, "the last 10") != NULL, "%s", out);
    free(out);
}
END_TEST

START_TEST(the_program_trains_a_deep_network_on_the_sample)
{
    int status;
    char *out = run_program("--layers 784,32,16,16,10 --epochs 2 --curve never", &status);
    ck_assert_msg(status == 0, "%s", out);
    ck_assert_msg(strstr(out, "784-32-16-16-10, 4 layers") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "layer 4:   16 -> 10   logits W (10×16)") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "final: test accuracy") != NULL, "%s", out);
    free(out);
    ck_assert_int_eq(system("rm -f /tmp/nn-ch06-test.*"), 0);
}
END_TEST

Suite *suite_06_model(void);
Suite *suite_06_model(void)
{
    Suite *s = suite_create("06 model");
    TCase *shape = tcase_create("shape");
    tcase_add_test(shape, sizes_are_parsed);
    tcase_add_loop_test(shape, bad_sizes_are_refused_with_the_text, 0,
                        sizeof bad_sizes / sizeof bad_sizes[0]);
    tcase_add_test(shape, a_model_is_its_layers);
    tcase_add_test(shape, the_forward_pass_is_chapter_05s_for_two_layers);
    tcase_add_test(shape, a_smaller_last_batch_uses_the_same_workspace);
    suite_add_tcase(s, shape);
    TCase *training = tcase_create("training");
    tcase_add_unchecked_fixture(training, sample_load, sample_free);
    tcase_set_timeout(training, 60);
    tcase_add_test(training, a_deep_model_learns_twenty_digits_by_heart);
    tcase_add_test(training, an_epoch_on_the_sample_generalises);
    tcase_add_test(training, a_diverging_epoch_stops_at_its_step);
    suite_add_tcase(s, training);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 60);
    tcase_add_test(program, the_program_refuses_bad_layers);
    tcase_add_test(program, the_program_trains_a_deep_network_on_the_sample);
    suite_add_tcase(s, program);
    return s;
}
