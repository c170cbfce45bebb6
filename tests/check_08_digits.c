/* check_08_digits.c: the example digits committed with chapter 08
 * (chapters/08-using-the-network/digits/) are read right: each picture's
 * header as drawn, each prepared into a 20-pixel digit centred by its mass,
 * and, with the full MNIST set in data/, each recognised by a network trained
 * here for two epochs. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digitize.h"
#include "model_sgd.h"
#include "optimizer.h"
#include "pgm.h"
#include "softmax.h"
#include "support/testkit.h"

#define DIGITS NN_SOURCE_DIR "/chapters/08-using-the-network/digits/"

/* What draw-digits.py drew: width, height, maxval, and whether the ink is dark. */
static const struct {
    size_t width, height;
    unsigned maxval;
    int dark_ink;
} drawn[10] = {
    {120, 160, 255, 1},   {200, 200, 255, 1},  {64, 64, 15, 1},    {300, 240, 255, 1},
    {150, 150, 65535, 0}, {90, 120, 255, 1},   {256, 256, 255, 0}, {180, 120, 255, 1},
    {100, 100, 255, 1},   {140, 200, 4095, 1},
};

/* The 28×28 digit prepared from picture d.pgm. */
static void prepare(int d, unsigned char *pixels)
{
    char path[512];
    snprintf(path, sizeof path, DIGITS "%d.pgm", d);
    PgmImage img;
    NnError err;
    ck_assert_msg(pgm_read(path, &img, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(img.width, drawn[d].width);
    ck_assert_uint_eq(img.height, drawn[d].height);
    ck_assert_uint_eq(img.maxval, drawn[d].maxval);
    ck_assert_msg((img.grey[0] > 0.5) == drawn[d].dark_ink, "%d.pgm: the paper's shade", d);
    ck_assert_msg(digitize(&img, path, pixels, &err) == 0, "%s", err.message);
    pgm_free(&img);
}

START_TEST(each_picture_becomes_a_centred_20_pixel_digit)
{
    unsigned char d[784];
    prepare(_i, d);
    size_t x0 = 28, y0 = 28, x1 = 0, y1 = 0;
    double mass = 0, mx = 0, my = 0;
    for (size_t y = 0; y < 28; y++)
        for (size_t x = 0; x < 28; x++) {
            double v = d[y * 28 + x];
            if (v == 0) continue;
            x0 = x < x0 ? x : x0, y0 = y < y0 ? y : y0;
            x1 = x + 1 > x1 ? x + 1 : x1, y1 = y + 1 > y1 ? y + 1 : y1;
            mass += v, mx += v * ((double)x + 0.5), my += v * ((double)y + 0.5);
        }
    size_t longer = x1 - x0 > y1 - y0 ? x1 - x0 : y1 - y0;
    ck_assert_msg(longer >= 19 && longer <= 21, "digit %d: %zu×%zu pixels of ink", _i, x1 - x0,
                  y1 - y0);
    ck_assert_msg(fabs(mx / mass - 14) <= 0.5 && fabs(my / mass - 14) <= 0.5,
                  "digit %d: centre of mass (%.2f, %.2f)", _i, mx / mass, my / mass);
}
END_TEST

/* A 784-128-10 network trained two epochs with Adam on the full training set. */
static Model *quick_model(const MnistSet *train)
{
    size_t sizes[] = {784, 128, 10}, *order = malloc(train->count * sizeof *order);
    Model *model = model_new(sizes, 3, 64);
    Rng rng;
    rng_seed(&rng, 1);
    model_init_he(model, &rng);
    Optimizer *adam =
        optimizer_new(model, OPTIMIZER_ADAM, (Schedule){SCHEDULE_CONSTANT, 1e-3, 0, 0}, 0);
    ModelTrainer *t = model_trainer_new(model, train, &MODEL_LOOPS, optimizer_as_update(adam));
    for (size_t i = 0; i < train->count; i++) order[i] = i;
    EpochPlan plan = {order, train->count, 64, &rng, 2, NULL};
    for (size_t epoch = 1; epoch <= 2; epoch++) {
        size_t correct = 0, bad_step = 0;
        epoch_run(&plan, epoch, model_step, t, &correct, &bad_step);
        ck_assert_uint_eq(bad_step, 0);
    }
    model_trainer_free(t), optimizer_free(adam), free(order);
    return model;
}

START_TEST(a_trained_network_reads_every_example_digit)
{
    if (!have_full_mnist()) {
        fprintf(stderr,
                "note: no full MNIST set in data/: the example digits are not classified\n");
        return;
    }
    MnistSet train;
    NnError err;
    ck_assert_msg(mnist_load_named(NN_SOURCE_DIR "/data", "train", &train, &err) == 0, "%s",
                  err.message);
    Model *model = quick_model(&train);
    Matrix *X = mat_new(784, 1), *p = mat_new(10, 1);
    for (int d = 0; d < 10; d++) {
        unsigned char pixels[784];
        prepare(d, pixels);
        for (size_t i = 0; i < 784; i++) X->data[i] = mnist_pixel(pixels[i]);
        softmax(p, model_forward(model, X));
        size_t guess = mat_argmax_col(p, 0);
        ck_assert_msg(guess == (size_t)d, "%d.pgm was read as %zu (%.1f%%; %d: %.1f%%)", d, guess,
                      100 * (double)p->data[guess], d, 100 * (double)p->data[d]);
    }
    mat_free(X), mat_free(p), model_free(model), mnist_free(&train);
}
END_TEST

Suite *suite_08_digits(void);
Suite *suite_08_digits(void)
{
    Suite *s = suite_create("08 digits");
    TCase *files = tcase_create("pictures");
    tcase_add_loop_test(files, each_picture_becomes_a_centred_20_pixel_digit, 0, 10);
    suite_add_tcase(s, files);
    TCase *read = tcase_create("recognised");
    tcase_set_timeout(read, 300);
    tcase_add_test(read, a_trained_network_reads_every_example_digit);
    suite_add_tcase(s, read);
    return s;
}
