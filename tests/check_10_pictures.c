/* check_10_pictures.c: the pictures of a network of convolutions. What it
 * writes for them: its first layer's filters as K×K tiles, and one digit's
 * maps after each convolution stage (lib/feature_maps.h), worked out by hand
 * for a tiny network and written by the model's own inspect hook; a model
 * without maps writes none and removes an earlier run's; a run that would
 * write its maps over the model it saves is refused. Then plots/draw.sh
 * draws a LeNet's weights.png (5×5 tiles) and maps.png, and the tiny
 * network's (2×2 tiles, 1×1 maps), names a broken maps file, and draws a
 * dense run's five pictures as before, and no maps. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conv_layer.h"
#include "convnet.h"
#include "model_sgd.h"
#include "support/testkit.h"

#define FIXTURE "tests/fixtures/plots/lr-0.1"

static Model *convnet(const char *layers, size_t batch)
{
    ConvNetSpec spec;
    NnError err;
    ck_assert_msg(convnet_parse(layers, &spec, &err) == 0, "%s", err.message);
    return convnet_new(&spec, batch);
}

/* ---- the tiny network, by hand --------------------------------------------------------------- */

/* One 5×5 test image, a 1 by its label, laid out as it looks (255: ink, read as 1). */
/* clang-format off */
static unsigned char tiny_pixels[25] = {255, 0, 0,   0,   0,
                                        0,   0, 0,   0,   0,
                                        255, 0, 255, 255, 0,
                                        0,   0, 255, 255, 0,
                                        0,   0, 0,   0,   0};
/* clang-format on */
static unsigned char tiny_labels[1] = {1};
static const MnistSet tiny_set = {
    .count = 1, .rows = 5, .cols = 5, .pixels = tiny_pixels, .labels = tiny_labels};

/* 1×5×5 → two 2×2 filters → 4×4 → pooled 2×2 → one 2×2 filter on both → 1×1 → 10.
 *   filter 0: W = [1 0; 0 0], b = 0:     Z = X[y][x], the patch's top left pixel;
 *             pooled: each window's largest, [1 0; 1 1]
 *   filter 1: W = [-1 0; 0 0], b = 0.5:  Z = 0.5 − X[y][x];
 *             pooled: [0.5 0.5; 0.5 −0.5], after ReLU [0.5 0.5; 0.5 0]
 *   layer 2:  W = all 1, b = −1:  1 + 0 + 1 + 1 + 0.5 + 0.5 + 0.5 + 0 − 1 = 3.5
 *   layer 3:  W = 0, b = 1 for digit 3: the guess is 3 */
static Model *tiny_model(void)
{
    Model *model = convnet("1x5x5,conv2k2,pool2,conv1k2,10", 4);
    Layer *l = model->layers;
    MAT_AT(l[0].W, 0, 0) = 1, MAT_AT(l[0].W, 1, 0) = -1, MAT_AT(l[0].b, 1, 0) = 0.5f;
    for (size_t k = 0; k < 8; k++) MAT_AT(l[1].W, 0, k) = 1;
    MAT_AT(l[1].b, 0, 0) = -1;
    MAT_AT(l[2].b, 3, 0) = 1;
    return model;
}

/* The pictures' files of model, shown `test` as training ends, at
 * <dir>/run.tsv; the model is freed. */
static void inspect_into(const char *dir, Model *model, const MnistSet *test)
{
    char log[64];
    snprintf(log, sizeof log, "%s/run.tsv", dir);
    ConvEngine e;
    conv_engine_init(&e);
    NnError err;
    ck_assert_msg(model_inspect(model, e.engine.evaluate, test, log, &err) == 0, "%s", err.message);
    model_free(model);
    conv_engine_release(&e);
}

/* Copies the dense fixture's files named (its epoch log "tsv", "steps.tsv",
 * ...) to <dir>/run.<name>. */
static void copy_fixture(const char *dir, const char *names)
{
    int status;
    char *out =
        run_joined(&status, "for f in %s; do cp " FIXTURE ".$f %s/run.$f; done", names, dir);
    ck_assert_msg(status == 0, "%s", out);
    free(out);
}

/* The tiny network's run: its pictures' files, then the dense fixture's
 * epoch log and steps beside them, and its worst digits (plots/worst.gp
 * draws MNIST's 28×28 digits, not 5×5). */
static void write_tiny_run(const char *dir)
{
    inspect_into(dir, tiny_model(), &tiny_set);
    copy_fixture(dir, "tsv steps.tsv worst.tsv worst-images.tsv");
}

/* The text of <dir>/<name>, malloc'd. */
static char *read_in(const char *dir, const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = read_text_file(path);
    ck_assert_msg(text != NULL, "%s was not written", path);
    return text;
}

START_TEST(the_tiny_networks_maps_are_worked_out_by_hand)
{
    char dir[TESTKIT_DIR];
    testkit_make_dir(dir, "maps");
    write_tiny_run(dir);
    char *text = read_in(dir, "run.maps.tsv");
    ck_assert_str_eq(text,
                     "# feature maps: test image 0, a 1 (the network's guess: 3)\n"
                     "# stage\tlayer\tmaps\theight\twidth\tkernel\tpool\n"
                     "0\t0\t1\t5\t5\t0\t0\n"
                     "1\t1\t2\t2\t2\t2\t2\n"
                     "2\t2\t1\t1\t1\t2\t1\n"
                     "\n\n"
                     "1\t0\t0\t0\t0\n0\t0\t0\t0\t0\n1\t0\t1\t1\t0\n0\t0\t1\t1\t0\n0\t0\t0\t0\t0\n"
                     "\n\n"
                     "1\t0\n1\t1\n"
                     "\n\n"
                     "0.5\t0.5\n0.5\t0\n"
                     "\n\n"
                     "3.5\n");
    free(text);
    text = read_in(dir, "run.weights.tsv");
    ck_assert_str_eq(text, "# first-layer weights W1 (2×4): one 2×2 block per filter\n"
                           "1\t0\n0\t0\n\n\n-1\t0\n0\t0\n");
    free(text);
    testkit_remove_dir(dir);
}
END_TEST

/* Writes "an earlier run's" at <dir>/run.maps.tsv. */
static void plant_earlier_maps(const char *dir)
{
    char path[64];
    snprintf(path, sizeof path, "%s/run.maps.tsv", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("an earlier run's\n", f);
    fclose(f);
}

START_TEST(a_model_without_maps_writes_none_and_removes_an_earlier_runs)
{
    char dir[TESTKIT_DIR], log[64], maps[64];
    testkit_make_dir(dir, "maps");
    snprintf(log, sizeof log, "%s/run.tsv", dir);
    snprintf(maps, sizeof maps, "%s/run.maps.tsv", dir);
    ConvEngine e;
    conv_engine_init(&e);
    NnError err;
    const size_t sizes[] = {25, 3, 10};
    Model *models[2] = {model_new(sizes, 3, 4), convnet("25,3,10", 4)}; /* dense, made either way */
    const ModelOps *ops[2] = {&MODEL_LOOPS, e.engine.evaluate};
    for (size_t i = 0; i < 2; i++) {
        plant_earlier_maps(dir);
        ck_assert_msg(model_inspect(models[i], ops[i], &tiny_set, log, &err) == 0, "%s",
                      err.message);
        ck_assert_msg(access(maps, F_OK) != 0, "model %zu: %s is still there", i, maps);
        model_free(models[i]);
    }
    conv_engine_release(&e);
    ck_assert_uint_eq(testkit_entries(dir), 4); /* weights, confusion, worst, worst-images */
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_run_whose_maps_would_replace_its_model_is_refused)
{
    char dir[TESTKIT_DIR];
    testkit_make_dir(dir, "maps");
    int status;
    char *out = run_joined(&status,
                           "'%s'/ch10-convolution --data data/sample --epochs 1 "
                           "--log %s/run.tsv --save %s/run.maps.tsv",
                           NN_BUILD_DIR, dir, dir);
    ck_assert_msg(status == 1, "exited with %d:\n%s", status, out);
    ck_assert_msg(strstr(out, "run.maps.tsv would be written over the model") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "epoch") == NULL, "it trained:\n%s", out);
    free(out);
    ck_assert_uint_eq(testkit_entries(dir), 0);
    testkit_remove_dir(dir);
}
END_TEST

/* ---- the pictures --------------------------------------------------------------------------- */

/* draw.sh's output for the run at <dir>/run.tsv drawn into <dir>/out; its status must be `want`. */
static char *draw(const char *dir, int want)
{
    int status;
    char *out = run_joined(&status, "sh plots/draw.sh %s/out %s/run.tsv", dir, dir);
    ck_assert_msg(status == want, "draw.sh exited with %d:\n%s", status, out);
    return out;
}

/* The lines draw.sh prints for the named pictures drawn into <dir>/out. */
static void drew(char *lines, size_t size, const char *dir, const char *const *names, size_t n)
{
    *lines = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(lines + strlen(lines), size - strlen(lines), "drew %s/out/%s.png\n", dir,
                 names[i]);
}

/* A run's pictures in the order draw.sh draws them: a dense run's five, then
 * a convolution run's maps. */
static const char *const pictures[] = {"loss", "accuracy", "weights", "confusion", "worst", "maps"};

/* Fails unless draw.sh drew all six pictures of a convolution run, and
 * nothing else: a gnuplot warning would show in its output. */
static void assert_drew_six(const char *dir)
{
    char *out = draw(dir, 0), expected[1024], path[64];
    drew(expected, sizeof expected, dir, pictures, 6);
    ck_assert_str_eq(out, expected);
    free(out);
    snprintf(path, sizeof path, "%s/out/weights.png", dir);
    assert_png(path, 1000, 540);
    snprintf(path, sizeof path, "%s/out/maps.png", dir);
    assert_png(path, 1200, 640);
}

/* What plots/weights.gp makes of <dir>/run.weights.tsv: "width height
 * across" of its tiles, then its title, as gnuplot shows it (× as octal). */
static char *weights_gp_reads(const char *dir)
{
    int status;
    char *out = run_joined(&status,
                           "mkdir -p %s/out && gnuplot -e \"call 'plots/weights.gp' "
                           "'%s/out' '%s/run.tsv'; print sprintf('%%d %%d %%d', width, "
                           "height, across); show title\"",
                           dir, dir, dir);
    ck_assert_msg(status == 0, "%s", out);
    return out;
}

START_TEST(the_tiny_networks_2x2_tiles_and_1x1_maps_are_drawn)
{
    char dir[TESTKIT_DIR];
    testkit_make_dir(dir, "maps");
    write_tiny_run(dir);
    assert_drew_six(dir);
    testkit_remove_dir(dir);
}
END_TEST

/* LeNet's design, He-initialised, shown the sample's 200 test digits. */
START_TEST(a_lenets_5x5_filters_and_maps_are_drawn)
{
    char dir[TESTKIT_DIR];
    testkit_make_dir(dir, "maps");
    MnistSet test;
    NnError err;
    ck_assert_msg(mnist_load_named(NN_SOURCE_DIR "/data/sample", "t10k", &test, &err) == 0, "%s",
                  err.message);
    Model *model = convnet("784,conv20k5,pool2,conv50k5,pool2,500,10", 64);
    Rng rng;
    rng_seed(&rng, 1);
    model_init_he(model, &rng);
    inspect_into(dir, model, &test);
    mnist_free(&test);
    char *text = read_in(dir, "run.weights.tsv");
    const char *header = "# first-layer weights W1 (20×25): one 5×5 block per filter\n";
    ck_assert_msg(strncmp(text, header, strlen(header)) == 0, "%.100s", text);
    free(text);
    text = read_in(dir, "run.maps.tsv");
    ck_assert_msg(strstr(text, "\n0\t0\t1\t28\t28\t0\t0\n1\t1\t20\t12\t12\t5\t2\n"
                               "2\t2\t50\t4\t4\t5\t2\n\n\n") != NULL,
                  "%.300s", text);
    free(text);
    copy_fixture(dir, "tsv steps.tsv");
    text = weights_gp_reads(dir); /* 5×5 tiles, 5 across as the maps of layer 1 */
    ck_assert_msg(strncmp(text, "5 5 5\n", 6) == 0 &&
                      strstr(text, "\"First-layer filters, one 5") != NULL &&
                      strstr(text, "5 tile per filter (20 filters)\\n{") != NULL,
                  "%s", text);
    free(text);
    assert_drew_six(dir);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_broken_maps_file_is_named_and_the_rest_drawn)
{
    char dir[TESTKIT_DIR];
    testkit_make_dir(dir, "maps");
    write_tiny_run(dir);
    int status; /* line 9, the image's second row, loses its last number */
    char *out = run_joined(&status, "sed -i '9s/\t0$//' %s/run.maps.tsv", dir);
    ck_assert_int_eq(status, 0);
    free(out);
    out = draw(dir, 1);
    ck_assert_msg(strstr(out, "/run.maps.tsv: line 9: expected 5 tab-separated numbers as the "
                              "lines before it in its block, found 4 fields") != NULL,
                  "%s", out);
    ck_assert_msg(strstr(out, "gnuplot") == NULL, "gnuplot's errors reached the user:\n%s", out);
    char expected[1024];
    drew(expected, sizeof expected, dir, pictures, 5);
    ck_assert_msg(strncmp(out, expected, strlen(expected)) == 0, "%s", out);
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_dense_run_draws_its_five_pictures_and_no_maps)
{
    char dir[TESTKIT_DIR], out_dir[64], expected[1024], path[96];
    testkit_make_dir(dir, "maps");
    copy_fixture(dir, "tsv steps.tsv weights.tsv confusion.tsv worst.tsv worst-images.tsv");
    char *out = weights_gp_reads(dir); /* the title it always had; ceil(√(2·4)) across */
    ck_assert_msg(strncmp(out, "28 28 3\n", 8) == 0 &&
                      strstr(out, "\"First-layer weights, one 28") != NULL &&
                      strstr(out, "28 tile per hidden unit (4 units)\\n{") != NULL,
                  "%s", out);
    free(out);
    out = draw(dir, 0);
    drew(expected, sizeof expected, dir, pictures, 5);
    ck_assert_str_eq(out, expected);
    free(out);
    snprintf(out_dir, sizeof out_dir, "%s/out", dir);
    ck_assert_uint_eq(testkit_entries(out_dir), 5);
    snprintf(path, sizeof path, "%s/weights.png", out_dir);
    assert_png(path, 1000, 540);
    testkit_remove_dir(dir);
}
END_TEST

Suite *suite_10_pictures(void);
Suite *suite_10_pictures(void)
{
    Suite *s = suite_create("10 pictures");
    TCase *files = tcase_create("files");
    tcase_add_test(files, the_tiny_networks_maps_are_worked_out_by_hand);
    tcase_add_test(files, a_model_without_maps_writes_none_and_removes_an_earlier_runs);
    tcase_add_test(files, a_run_whose_maps_would_replace_its_model_is_refused);
    suite_add_tcase(s, files);
    TCase *scripts = tcase_create("scripts");
    tcase_set_timeout(scripts, 60);
    tcase_add_test(scripts, the_tiny_networks_2x2_tiles_and_1x1_maps_are_drawn);
    tcase_add_test(scripts, a_lenets_5x5_filters_and_maps_are_drawn);
    tcase_add_test(scripts, a_broken_maps_file_is_named_and_the_rest_drawn);
    tcase_add_test(scripts, a_dense_run_draws_its_five_pictures_and_no_maps);
    suite_add_tcase(s, scripts);
    return s;
}
