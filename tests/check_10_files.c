/* check_10_files.c: chapter 10's model files (lib/model_file.h). A network
 * with a convolution is saved as version 2, its layers as canonical text
 * (convnet_describe), and loads back bit for bit, computing the same
 * logits; a dense network is still saved as version 1, byte for byte, and
 * the version-1 files of before still load. Every kind of damage to a
 * version-2 file is refused with its own message, and so is a version-2 file
 * given to a loader without chapter 10's maker. Then the programs: predict
 * reads a digit with a convolutional network, and ch10-convolution trains,
 * saves version 2 and loads it back. The fixtures are written, byte by byte
 * from the format's description, by tests/fixtures/models/make-models.sh. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conv_layer.h"
#include "convnet.h"
#include "digitize.h"
#include "file.h"
#include "model_file.h"
#include "softmax.h"
#include "support/model_bytes.h"
#include "support/testkit.h"

#define FIXTURES NN_SOURCE_DIR "/tests/fixtures/models/"
#define DIGIT    "chapters/08-using-the-network/digits/3.pgm"

/* The fixtures' 14 numbers, every layer's W then b, first layer first. */
static const real FIXTURE_NUMBERS[14] = {1, -1, 0.5, 2, 0.25, -1, 0.5, 1, -1, 2, 0.25, 1, 2, -1};
static const char CONV_TEXT[] = "16,conv1k3,pool2,2"; /* the version-2 fixture's layers */

/* The path of the fixture `name`, for this build's type: <name>.float.nn. */
static void fixture_path(char *path, size_t size, const char *name)
{
    snprintf(path, size, FIXTURES "%s.%s.nn", name, REAL_NAME);
}

/* The bytes of the fixture `name`, malloc'd, into *n. */
static unsigned char *fixture(const char *name, size_t *n)
{
    char path[512];
    fixture_path(path, sizeof path, name);
    NnError err;
    unsigned char *data = file_read_all(path, 1 << 20, "a model file", n, &err);
    ck_assert_msg(data != NULL, "%s", err.message);
    return data;
}

/* Sets every parameter of model, layer by layer, W then b, from numbers. */
static void set_parameters(Model *model, const real *numbers)
{
    for (size_t l = 0; l < model->count; l++) {
        Matrix *W = model->layers[l].W, *b = model->layers[l].b;
        memcpy(W->data, numbers, W->rows * W->cols * sizeof(real)), numbers += W->rows * W->cols;
        memcpy(b->data, numbers, b->rows * sizeof(real)), numbers += b->rows;
    }
}

/* Fails unless model's parameters, W then b, layer by layer, are `numbers`, bit for bit. */
static void assert_parameters(const Model *model, const real *numbers, size_t count)
{
    ck_assert_uint_eq(model_parameter_count(model), count);
    for (size_t l = 0; l < model->count; l++) {
        const Matrix *W = model->layers[l].W, *b = model->layers[l].b;
        ck_assert_mem_eq(W->data, numbers, W->rows * W->cols * sizeof(real));
        numbers += W->rows * W->cols;
        ck_assert_mem_eq(b->data, numbers, b->rows * sizeof(real));
        numbers += b->rows;
    }
}

/* The n bytes of model saved at a temporary path, malloc'd. */
static unsigned char *saved(const Model *model, size_t *n)
{
    char dir[TESTKIT_DIR], path[64];
    testkit_make_dir(dir, "files10");
    snprintf(path, sizeof path, "%s/m.nn", dir);
    NnError err;
    ck_assert_msg(model_save(model, path, &CONVNET_MAKER, &err) == 0, "%s", err.message);
    unsigned char *data = file_read_all(path, 1 << 26, "a model file", n, &err);
    ck_assert_msg(data != NULL, "%s", err.message);
    testkit_remove_dir(dir);
    return data;
}

/* The n bytes of model saved, malloc'd, having checked that they are the
 * fixture `name`'s, byte for byte. */
static unsigned char *saved_as_fixture(const Model *model, const char *name, size_t *n)
{
    size_t expected_n;
    unsigned char *data = saved(model, n), *expected = fixture(name, &expected_n);
    ck_assert_uint_eq(*n, expected_n);
    ck_assert_mem_eq(data, expected, *n);
    free(expected);
    return data;
}

/* ---- the format ---------------------------------------------------------------------------- */

START_TEST(a_dense_model_is_saved_as_version_1_byte_for_byte)
{
    const size_t sizes[] = {3, 2, 2};
    Model *model = model_new(sizes, 3, 1);
    set_parameters(model, FIXTURE_NUMBERS);
    size_t n;
    unsigned char *data = saved_as_fixture(model, "dense-3-2-2", &n);
    ck_assert_uint_eq(u32_at(data + 8), 1);
    free(data), model_free(model);
}
END_TEST

START_TEST(version_1_files_still_load)
{
    char path[512];
    fixture_path(path, sizeof path, "dense-3-2-2");
    const ModelMaker *makers[] = {NULL, &CONVNET_MAKER}; /* a dense program's and predict's */
    for (size_t i = 0; i < 2; i++) {
        NnError err;
        Model *model = model_load(path, 4, makers[i], &err);
        ck_assert_msg(model != NULL, "%s", err.message);
        ck_assert_uint_eq(model->count, 2);
        ck_assert_uint_eq(model_inputs(model), 3);
        ck_assert_uint_eq(model->layers[0].units, 2);
        ck_assert_ptr_null(model->layers[0].conv);
        assert_parameters(model, FIXTURE_NUMBERS, 14);
        model_free(model);
    }
}
END_TEST

START_TEST(a_conv_model_is_saved_as_version_2_as_documented)
{
    Model *model = CONVNET_MAKER.make(CONV_TEXT, 1);
    set_parameters(model, FIXTURE_NUMBERS);
    size_t n, t = sizeof CONV_TEXT - 1;
    unsigned char *data = saved_as_fixture(model, "conv-16-conv1k3-pool2-2", &n);
    ck_assert_mem_eq(data, "NNMODEL\0", 8);
    ck_assert_uint_eq(u32_at(data + 8), 2);
    ck_assert_uint_eq(u32_at(data + 12), sizeof(real));
    ck_assert_uint_eq(u32_at(data + 16), t);
    ck_assert_mem_eq(data + 20, CONV_TEXT, t);
    ck_assert_uint_eq(n, 20 + t + 14 * sizeof(real) + 4);
    real first_weight;
    memcpy(&first_weight, data + 20 + t, sizeof first_weight); /* a little-endian machine */
    ck_assert(first_weight == FIXTURE_NUMBERS[0]);
    ck_assert_uint_eq(u32_at(data + n - 4), crc32_of(data, n - 4));
    free(data), model_free(model);
}
END_TEST

START_TEST(the_version_2_fixture_loads_as_its_layers_say)
{
    char path[512];
    fixture_path(path, sizeof path, "conv-16-conv1k3-pool2-2");
    NnError err;
    Model *model = model_load(path, 3, &CONVNET_MAKER, &err);
    ck_assert_msg(model != NULL, "%s", err.message);
    const ConvShape *s = model->layers[0].conv;
    ck_assert_ptr_nonnull(s);
    ck_assert(s->in.channels == 1 && s->in.height == 4 && s->in.width == 4);
    ck_assert(s->filters == 1 && s->in.kernel == 3 && s->in.stride == 1 && s->in.pad == 0);
    ck_assert_uint_eq(s->pool, 2);
    ck_assert_ptr_null(model->layers[1].conv);
    ck_assert_uint_eq(model->layers[1].units, 2);
    ck_assert_uint_eq(model->batch, 3);
    assert_parameters(model, FIXTURE_NUMBERS, 14);
    model_free(model);
}
END_TEST

/* A model of text's layers, He-initialised with random biases, for batches of `batch`. */
static Model *random_model(const char *text, uint64_t seed, size_t batch)
{
    Model *model = CONVNET_MAKER.make(text, batch);
    Rng rng;
    rng_seed(&rng, seed);
    model_init_he(model, &rng);
    for (size_t l = 0; l < model->count; l++) rng_fill_uniform(&rng, model->layers[l].b, -1, 1);
    return model;
}

/* The logits of model for the batch X, computed by chapter 10's engine, copied. */
static Matrix *logits_of(Model *model, const Matrix *X)
{
    ConvEngine conv;
    conv_engine_init(&conv);
    const Matrix *logits = model_forward_with(model, X, conv.engine.evaluate);
    Matrix *copy = mat_new(logits->rows, logits->cols);
    mat_copy(copy, logits);
    conv_engine_release(&conv);
    return copy;
}

START_TEST(a_conv_model_loads_back_bit_for_bit_with_the_same_logits)
{
    const char *text = "784,conv6k5s2p2,pool2,conv4k3p1,pool2,12,10";
    Model *model = random_model(text, 1, 5);
    size_t n;
    unsigned char *data = saved(model, &n);
    NnError err;
    Model *back = model_from_bytes(data, n, "m.nn", 5, &CONVNET_MAKER, &err);
    ck_assert_msg(back != NULL, "%s", err.message);
    ck_assert_uint_eq(back->count, model->count);
    for (size_t l = 0; l < model->count; l++) {
        const Layer *a = &model->layers[l], *b = &back->layers[l];
        ck_assert((a->conv == NULL) == (b->conv == NULL));
        if (a->conv != NULL) ck_assert_mem_eq(a->conv, b->conv, sizeof *a->conv);
        ck_assert(a->W->rows == b->W->rows && a->W->cols == b->W->cols);
        ck_assert_mem_eq(a->W->data, b->W->data, a->W->rows * a->W->cols * sizeof(real));
        ck_assert_mem_eq(a->b->data, b->b->data, a->b->rows * sizeof(real));
    }
    Matrix *X = mat_new(784, 5);
    fill_uniform(X, 2, 0, 1);
    Matrix *before = logits_of(model, X), *after = logits_of(back, X);
    ck_assert_mem_eq(before->data, after->data, 10 * 5 * sizeof(real));
    mat_free(X), mat_free(before), mat_free(after);
    model_free(model), model_free(back), free(data);
}
END_TEST

/* Layers as typed, and their canonical form: what the model file holds. */
static const char *const canonical[][2] = {
    {"784,conv20k5,pool2,conv50k5,pool2,500,10", "784,conv20k5,pool2,conv50k5,pool2,500,10"},
    {"1x28x28,conv8k3s1p0,pool2,10", "784,conv8k3,pool2,10"},
    {"784,conv16k3s2p1,conv8k3p1,pool3,32,10", "784,conv16k3s2p1,conv8k3p1,pool3,32,10"},
    {"3x32x32,conv4k5s1p2,pool2,10", "3x32x32,conv4k5p2,pool2,10"},
    {"1x8x12,conv2k3,5", "1x8x12,conv2k3,5"},
    {"1x300x300,conv2k100s100,3", "1x300x300,conv2k100s100,3"}, /* 90000 pixels: not one number */
    {"784,256,128,10", "784,256,128,10"},
};

START_TEST(layers_are_described_in_one_canonical_form_that_parses_back)
{
    Model *model = CONVNET_MAKER.make(canonical[_i][0], 1);
    char text[MODEL_TEXT_MAX + 1];
    size_t length = CONVNET_MAKER.describe(model, text, sizeof text);
    ck_assert_str_eq(text, canonical[_i][1]);
    ck_assert_uint_eq(length, strlen(text));
    Model *again = CONVNET_MAKER.make(text, 1);
    char twice[MODEL_TEXT_MAX + 1];
    CONVNET_MAKER.describe(again, twice, sizeof twice);
    ck_assert_str_eq(twice, text);
    ck_assert_uint_eq(CONVNET_MAKER.parameters(text), model_parameter_count(model));
    model_free(model), model_free(again);
}
END_TEST

START_TEST(a_description_too_long_for_its_buffer_is_cut_and_says_so)
{
    Model *model = CONVNET_MAKER.make(canonical[0][0], 1);
    char text[8];
    ck_assert_uint_eq(CONVNET_MAKER.describe(model, text, sizeof text), strlen(canonical[0][0]));
    ck_assert_str_eq(text, "784,con");
    model_free(model);
}
END_TEST

/* ---- damage -------------------------------------------------------------------------------- */

/* Fails unless loading the n bytes, as predict does, is refused with `why`. */
static void assert_refused(const unsigned char *data, size_t n, const char *why)
{
    assert_model_refused(data, n, &CONVNET_MAKER, why);
}

/* The fixture's bytes, with its layers' text replaced by `text`, of the same length. */
static void with_text(unsigned char *copy, const unsigned char *data, size_t n, const char *text)
{
    ck_assert_uint_eq(strlen(text), sizeof CONV_TEXT - 1);
    memcpy(copy, data, n), memcpy(copy + 20, text, strlen(text)), fix_crc(copy, n);
}

START_TEST(every_kind_of_damage_to_version_2_is_refused_with_its_message)
{
    size_t n;
    unsigned char *data = fixture("conv-16-conv1k3-pool2-2", &n), *copy = malloc(n + 1);
    assert_refused(data, 16, "cut short: 16 bytes, in the middle of the header");
    assert_refused(data, 30, "cut short: 30 bytes, in the middle of the layers' text");
    assert_refused(data, n - 5, "cut short: ");
    assert_refused(data, n - 5, "bytes where its header says");
    memcpy(copy, data, n), copy[n] = 0;
    assert_refused(copy, n + 1, "too long");
    memcpy(copy, data, n), copy[16] = 0, fix_crc(copy, n);
    assert_refused(copy, n, "corrupt: a layers' text of 0 bytes (1 to 1024 expected)");
    memcpy(copy, data, n), copy[16] = 1, copy[17] = 4, fix_crc(copy, n); /* 1025 */
    assert_refused(copy, n, "corrupt: a layers' text of 1025 bytes");
    memcpy(copy, data, n), copy[16] = 200, fix_crc(copy, n); /* past the file's end */
    char past[128];
    snprintf(past, sizeof past, "cut short: %zu bytes, in the middle of the layers' text", n);
    assert_refused(copy, n, past);
    with_text(copy, data, n, "16,cnov1k3,pool2,2");
    assert_refused(copy, n,
                   "corrupt: its layers do not make a network: "
                   "\"16,cnov1k3,pool2,2\": \"cnov1k3\": a layer is");
    with_text(copy, data, n, "16,conv1k3,pool2,0");
    assert_refused(copy, n, "corrupt: its layers do not make a network: \"16,conv1k3,pool2,0\"");
    with_text(copy, data, n, "16,conv1k2,pool2,2"); /* a network of 9 parameters, not 14 */
    assert_refused(copy, n, "too long");
    with_text(copy, data, n, "16,conv1k\001,pool2,2");
    assert_refused(copy, n, "byte 9 of the layers' text is 0x01, not a visible ASCII character");
    memcpy(copy, data, n), copy[n - 10] ^= 0x10;
    assert_refused(copy, n, "corrupted: the checksum does not match its contents");
    memcpy(copy, data, n), copy[8] = 3, fix_crc(copy, n);
    assert_refused(copy, n, "format version 3; this program reads version 2 and older");
    size_t fifth_weight = 20 + sizeof CONV_TEXT - 1 + 4 * sizeof(real);
    assert_number_refused(data, n, fifth_weight, (real)NAN, &CONVNET_MAKER,
                          "corrupt: W1[4] is not a finite number");
    assert_number_refused(data, n, n - 4 - sizeof(real), (real)INFINITY, &CONVNET_MAKER,
                          "corrupt: b2[1] is not a finite number");
    free(data), free(copy);
}
END_TEST

START_TEST(a_version_2_file_read_without_the_maker_is_refused_saying_what_reads_it)
{
    char path[512], says[768];
    fixture_path(path, sizeof path, "conv-16-conv1k3-pool2-2");
    NnError err;
    ck_assert_ptr_null(model_load(path, 1, NULL, &err));
    snprintf(says, sizeof says,
             "%s: holds a network with convolution layers "
             "(\"16,conv1k3,pool2,2\"), which this program cannot compute: build/predict reads it",
             path);
    ck_assert_msg(strstr(err.message, says) == err.message, "expected \"%s\" in: %s", says,
                  err.message);
}
END_TEST

/* ---- the programs -------------------------------------------------------------------------- */

/* What predict prints for the digit in DIGIT read by model: its guess and
 * the ten probabilities, as print_verdict writes them. */
static void expected_verdict(Model *model, char *out, size_t size)
{
    PgmImage img;
    NnError err;
    unsigned char pixels[DIGIT_SIDE * DIGIT_SIDE];
    ck_assert_msg(pgm_read(NN_SOURCE_DIR "/" DIGIT, &img, &err) == 0, "%s", err.message);
    ck_assert_msg(digitize(&img, DIGIT, pixels, &err) == 0, "%s", err.message);
    pgm_free(&img);
    Matrix *X = mat_new(784, 1), *p = mat_new(10, 1);
    for (size_t i = 0; i < 784; i++) X->data[i] = mnist_pixel(pixels[i]);
    Matrix *logits = logits_of(model, X);
    softmax(p, logits);
    size_t guess = mat_argmax_col(p, 0);
    int n = snprintf(out, size, "guess: %zu (%.1f%%)\n", guess, 100 * (double)p->data[guess]);
    for (size_t d = 0; d < 10; d++)
        n += snprintf(out + n, size - (size_t)n, "%s%zu: %4.1f%%", d == 0 ? "" : "  ", d,
                      100 * (double)p->data[d]);
    mat_free(X), mat_free(p), mat_free(logits);
}

START_TEST(predict_reads_a_digit_with_a_convolutional_network)
{
    char dir[TESTKIT_DIR], path[64], command[256], verdict[256];
    testkit_make_dir(dir, "predict10");
    snprintf(path, sizeof path, "%s/conv.nn", dir);
    Model *model = random_model("784,conv3k5,pool2,conv4k3,pool2,10", 3, 1);
    NnError err;
    ck_assert_msg(model_save(model, path, &CONVNET_MAKER, &err) == 0, "%s", err.message);
    expected_verdict(model, verdict, sizeof verdict);
    snprintf(command, sizeof command, "'%s'/predict --model %s %s 2>&1", NN_BUILD_DIR, path, DIGIT);
    int status;
    char *out = run_command(command, &status);
    ck_assert_msg(status == 0, "predict exited with %d:\n%s", status, out);
    ck_assert_msg(strstr(out, verdict) != NULL, "expected:\n%s\nin:\n%s", verdict, out);
    free(out), model_free(model);
    testkit_remove_dir(dir);
}
END_TEST

/* Runs ch10-convolution for one epoch on the sample with the layers, into
 * dir; returns what it printed. */
static char *train_on_sample(const char *dir, const char *layers, int *status)
{
    char command[768];
    snprintf(command, sizeof command,
             "'%s'/ch10-convolution --data data/sample --layers %s --epochs 1 --curve never "
             "--log %s/ch10.tsv --save %s/m.nn 2>&1",
             NN_BUILD_DIR, layers, dir, dir);
    return run_command(command, status);
}

/* The format version of the model file dir/m.nn. */
static uint32_t version_of(const char *dir)
{
    char path[64];
    snprintf(path, sizeof path, "%s/m.nn", dir);
    NnError err;
    size_t n;
    unsigned char *data = file_read_all(path, 1 << 26, "a model file", &n, &err);
    ck_assert_msg(data != NULL, "%s", err.message);
    uint32_t version = n >= 12 ? u32_at(data + 8) : 0;
    free(data);
    return version;
}

START_TEST(chapter_10s_program_saves_version_2_and_loads_it_back_the_same)
{
    char dir[TESTKIT_DIR], saved_line[128];
    testkit_make_dir(dir, "train10");
    int status;
    char *out = train_on_sample(dir, "784,conv4k5,pool2,10", &status);
    ck_assert_msg(status == 0, "ch10-convolution exited with %d:\n%s", status, out);
    ck_assert_msg(strstr(out, "Chapter 10: training 784,conv4k5,pool2,10, adam"), "%s", out);
    snprintf(saved_line, sizeof saved_line,
             "saved: %s/m.nn (784,conv4k5,pool2,10, 5874 parameters, %s)", dir, REAL_NAME);
    ck_assert_msg(strstr(out, saved_line) != NULL, "expected \"%s\" in:\n%s", saved_line, out);
    ck_assert_msg(strstr(out, "loaded it back: test accuracy") && strstr(out, ": the same\n"), "%s",
                  out);
    ck_assert_uint_eq(version_of(dir), 2);
    free(out);
    out = train_on_sample(dir, "784,16,10", &status); /* dense: version 1, as chapter 08 saves */
    ck_assert_msg(status == 0 && strstr(out, ": the same\n"), "%d:\n%s", status, out);
    ck_assert_uint_eq(version_of(dir), 1);
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(chapter_10s_program_defaults_to_lenet_saved_apart)
{
    int status;
    char *out = run_command("'" NN_BUILD_DIR "'/ch10-convolution --help", &status);
    ck_assert_int_eq(status, 0);
    ck_assert_msg(strstr(out, "(default 784,conv20k5,pool2,conv50k5,pool2,500,10)") &&
                      strstr(out, "(default build/model-conv.nn)") &&
                      strstr(out, "(default build/logs/ch10.tsv)"),
                  "%s", out);
    free(out);
}
END_TEST

Suite *suite_10_files(void);
Suite *suite_10_files(void)
{
    Suite *s = suite_create("10 files");
    TCase *format = tcase_create("format");
    tcase_add_test(format, a_dense_model_is_saved_as_version_1_byte_for_byte);
    tcase_add_test(format, version_1_files_still_load);
    tcase_add_test(format, a_conv_model_is_saved_as_version_2_as_documented);
    tcase_add_test(format, the_version_2_fixture_loads_as_its_layers_say);
    tcase_add_test(format, a_conv_model_loads_back_bit_for_bit_with_the_same_logits);
    tcase_add_loop_test(format, layers_are_described_in_one_canonical_form_that_parses_back, 0,
                        sizeof canonical / sizeof canonical[0]);
    tcase_add_test(format, a_description_too_long_for_its_buffer_is_cut_and_says_so);
    suite_add_tcase(s, format);
    TCase *damage = tcase_create("damage");
    tcase_add_test(damage, every_kind_of_damage_to_version_2_is_refused_with_its_message);
    tcase_add_test(damage, a_version_2_file_read_without_the_maker_is_refused_saying_what_reads_it);
    suite_add_tcase(s, damage);
    TCase *programs = tcase_create("programs");
    tcase_set_timeout(programs, 60);
    tcase_add_test(programs, predict_reads_a_digit_with_a_convolutional_network);
    tcase_add_test(programs, chapter_10s_program_saves_version_2_and_loads_it_back_the_same);
    tcase_add_test(programs, chapter_10s_program_defaults_to_lenet_saved_apart);
    suite_add_tcase(s, programs);
    return s;
}
