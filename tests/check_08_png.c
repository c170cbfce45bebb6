/* check_08_png.c: predict's PNG pictures (lib/picture.c) and its MNIST files (--images).
 *
 * Every kind of PNG, each written byte by byte by tests/fixtures/png/make-pngs.py, decodes to
 * the grey levels picture.h promises: grey of 1 to 16 bits, grey and alpha, RGB and RGBA,
 * palettes, a transparent colour, interlaced. A damaged one is refused naming the file and
 * the damage; a FIFO, or a link to one, at once; a link to a picture is followed. A build
 * without libpng says instead which package to install. predict reads PNG and PGM pictures
 * side by side, and with --images prints one line per image: the right labels, and the
 * model's own guesses and probabilities; bad command lines get clear refusals. With the full
 * MNIST set in data/, a network trained here for two epochs by ch08-using-the-network reads
 * the hand-drawn chapters/08-using-the-network/digits/hand-3.png as a 3. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model_file.h"
#include "picture.h"
#include "softmax.h"
#include "support/idx_files.h"
#include "support/testkit.h"

#define FIXTURES "tests/fixtures/png/"
#define HAND_3   "chapters/08-using-the-network/digits/hand-3.png"
#define SAMPLE   "data/sample/t10k-"

/* A channel's value v of top as a level from 0 to 1; a colour's luma; a grey under alpha a
 * (of top) over white paper: picture.h's formulas, written out. */
#define LEVEL(v, top)      ((double)(v) / (top))
#define LUMA(r, g, b, top) ((0.299 * (r) + 0.587 * (g) + 0.114 * (b)) / (top))
#define OVER(grey, a, top) (LEVEL(a, top) * (grey) + 1 - LEVEL(a, top))

/* Each good fixture: its size, maxval and grey levels, from make-pngs.py's pixels. */
static const struct {
    const char *name;
    size_t width, height;
    unsigned maxval;
    double grey[8];
} decoded[] = {
    {"grey-8",
     4,
     2,
     255,
     {0, LEVEL(51, 255), LEVEL(102, 255), 1, LEVEL(1, 255), LEVEL(128, 255), LEVEL(254, 255),
      LEVEL(200, 255)}},
    {"grey-16",
     3,
     2,
     65535,
     {0, LEVEL(4660, 65535), 1, LEVEL(32768, 65535), LEVEL(1, 65535), LEVEL(65534, 65535)}},
    {"grey-1", 3, 2, 255, {0, 1, 1, 1, 0, 1}},
    {"grey-4", 4, 1, 255, {0, LEVEL(5, 15), LEVEL(10, 15), 1}},
    {"grey-alpha-8", 3, 1, 255, {0, 1, OVER(LEVEL(100, 255), 128, 255)}},
    {"rgb-8", 4, 1, 255, {0.299, 0.587, 0.114, LUMA(10, 20, 30, 255)}},
    {"rgb-16", 2, 1, 65535, {0.299, LUMA(1000, 2000, 3000, 65535)}},
    {"rgba-8", 4, 1, 255, {0, 1, OVER(0, 128, 255), OVER(0.299, 51, 255)}},
    {"rgba-16", 2, 1, 65535, {OVER(0, 32768, 65535), 0.886}},
    /* black, white, red, and blue made transparent by tRNS */
    {"palette-2", 4, 1, 255, {0, 1, 0.299, 1}},
    {"palette-8", 3, 1, 255, {0, LUMA(10, 20, 30, 255), LUMA(200, 100, 50, 255)}},
    /* tRNS makes grey 7, and RGB (1, 2, 3), transparent: paper */
    {"grey-trns-8", 3, 1, 255, {1, LEVEL(8, 255), 0}},
    {"rgb-trns-8", 2, 1, 255, {1, LUMA(1, 2, 4, 255)}},
};
#define DECODED (sizeof decoded / sizeof decoded[0])

/* What a build without libpng says of a PNG. */
#define WITHOUT_LIBPNG                                                                             \
    "a PNG picture, and this program was built without libpng, which reads PNG: install "          \
    "libpng-dev (Debian, Ubuntu), libpng-devel (Fedora) or libpng (Arch, Homebrew), then build "   \
    "again (make); or save the picture as PGM"

/* picture_read on a fixture (or any path under the source tree). */
static int read_fixture(const char *path, PgmImage *img, NnError *err)
{
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", NN_SOURCE_DIR, path);
    return picture_read(full, img, err);
}

/* Fails unless reading `path` was refused, leaving no pixels, with "<path>: <says>...". */
static void assert_refused(int status, const PgmImage *img, const NnError *err, const char *path,
                           const char *says)
{
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: %s", path, says);
    ck_assert_msg(status == -1 && img->grey == NULL && img->width == 0, "%s was accepted", path);
    ck_assert_msg(strstr(err->message, expected) != NULL, "%s: \"%s\", not \"%s\"", path,
                  err->message, expected);
}

#ifdef NN_HAVE_PNG

START_TEST(each_kind_of_png_decodes_to_its_grey_levels)
{
    char path[256];
    snprintf(path, sizeof path, FIXTURES "%s.png", decoded[_i].name);
    PgmImage img;
    NnError err;
    ck_assert_msg(read_fixture(path, &img, &err) == 0, "%s", err.message);
    ck_assert_msg(img.width == decoded[_i].width && img.height == decoded[_i].height &&
                      img.maxval == decoded[_i].maxval,
                  "%s: %zu×%zu, maxval %u", path, img.width, img.height, img.maxval);
    for (size_t i = 0; i < img.width * img.height; i++)
        ck_assert_msg(fabs(img.grey[i] - decoded[_i].grey[i]) < 1e-12,
                      "%s: pixel %zu is %.15f, not %.15f", path, i, img.grey[i],
                      decoded[_i].grey[i]);
    pgm_free(&img);
}
END_TEST

START_TEST(an_interlaced_png_decodes_pixel_by_pixel)
{
    PgmImage img;
    NnError err;
    ck_assert_msg(read_fixture(FIXTURES "interlaced-8.png", &img, &err) == 0, "%s", err.message);
    ck_assert(img.width == 9 && img.height == 9 && img.maxval == 255);
    for (size_t y = 0; y < 9; y++)
        for (size_t x = 0; x < 9; x++)
            ck_assert_msg(img.grey[y * 9 + x] == LEVEL((7 * x + 29 * y) % 256, 255),
                          "pixel (%zu, %zu) is %g", x, y, img.grey[y * 9 + x]);
    pgm_free(&img);
}
END_TEST

/* The damaged fixtures, and what the refusal of each says after "<path>: ". */
static const struct {
    const char *name, *says;
} damaged[] = {
    {"bad-crc", "a damaged PNG picture: IHDR: CRC error; save it again"},
    {"cut-short", "a damaged PNG picture: the file ends before the picture does (cut short)"},
    {"no-iend", "a damaged PNG picture: the file ends before the picture does (cut short)"},
    {"signature-only", "a damaged PNG picture: the file ends before the picture does"},
    {"not-zlib", "a damaged PNG picture: IDAT: incorrect header check"},
    {"zero-width", "a damaged PNG picture: Invalid IHDR data (libpng's last warning: Image width "
                   "is zero in IHDR)"},
    {"colour-type-5", "a damaged PNG picture: Invalid IHDR data (libpng's last warning: Invalid "
                      "color type in IHDR)"},
    {"too-wide", "5000×1 pixels: the width is out of range; width and height must be 1 to 4096"},
    {"huge-chunk", "a damaged PNG picture: the file ends before the picture does (cut short) "
                   "(libpng's last warning: tEXt: chunk data is too large)"},
    {"too-big-for-its-bytes", "a damaged PNG picture: 4096×4096 pixels cannot fit in its 69 "
                              "bytes, however well compressed: it is cut short"},
};

START_TEST(a_damaged_png_is_refused_naming_the_damage)
{
    char path[256], full[1024];
    snprintf(path, sizeof path, FIXTURES "%s.png", damaged[_i].name);
    snprintf(full, sizeof full, "%s/%s", NN_SOURCE_DIR, path);
    PgmImage img;
    NnError err;
    assert_refused(read_fixture(path, &img, &err), &img, &err, full, damaged[_i].says);
}
END_TEST

#else

START_TEST(without_libpng_a_png_is_refused_naming_the_package)
{
    char path[256], full[1024];
    snprintf(path, sizeof path, FIXTURES "%s.png", decoded[_i].name);
    snprintf(full, sizeof full, "%s/%s", NN_SOURCE_DIR, path);
    PgmImage img;
    NnError err;
    assert_refused(read_fixture(path, &img, &err), &img, &err, full, WITHOUT_LIBPNG);
}
END_TEST

#endif

/* Bytes that are no PNG: told apart by their start; PGM goes to the PGM reader. */
START_TEST(other_bytes_are_told_apart_by_their_start)
{
    static const struct {
        const char *bytes;
        size_t n;
        const char *says; /* NULL: read as a 2×1 PGM, black then white */
    } starts[] = {
        {"", 0, "the file is empty; give the path of a PNG or PGM picture"},
        {"GIF89a", 6, "neither a PNG nor a PGM picture (it starts with neither PNG's signature"},
        {"P6 1 1 255\n", 11, "neither a PNG nor a PGM picture"},
        {"\x89PNG\r\r\n", 7, "neither a PNG nor a PGM picture"}, /* its LF lost in a copy */
        {"P5 2 1 255\n\x00\xff", 13, NULL},
    };
    for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
        PgmImage img;
        NnError err;
        int status =
            picture_parse((const unsigned char *)starts[k].bytes, starts[k].n, "t.png", &img, &err);
        if (starts[k].says != NULL) {
            assert_refused(status, &img, &err, "t.png", starts[k].says);
            continue;
        }
        ck_assert_msg(status == 0, "%s", err.message);
        ck_assert(img.width == 2 && img.height == 1 && img.grey[0] == 0 && img.grey[1] == 1);
        pgm_free(&img);
    }
}
END_TEST

/* A FIFO, and a link to one, are refused without waiting for a writer; a link to a picture
 * is read as the picture. */
START_TEST(a_fifo_is_refused_at_once_and_a_link_is_followed)
{
    char dir[TESTKIT_DIR], fifo[64], to_fifo[64], to_png[64];
    testkit_make_dir(dir, "png");
    snprintf(fifo, sizeof fifo, "%s/fifo.png", dir);
    snprintf(to_fifo, sizeof to_fifo, "%s/to-fifo.png", dir);
    snprintf(to_png, sizeof to_png, "%s/to-grey.png", dir);
    ck_assert(mkfifo(fifo, 0600) == 0);
    ck_assert(symlink(fifo, to_fifo) == 0 &&
              symlink(NN_SOURCE_DIR "/" FIXTURES "grey-8.png", to_png) == 0);
    PgmImage img;
    NnError err;
    const char *fifos[] = {fifo, to_fifo};
    for (size_t k = 0; k < 2; k++)
        assert_refused(picture_read(fifos[k], &img, &err), &img, &err, fifos[k],
                       "cannot read it: a FIFO, not a file; give the path of a PNG or PGM picture");
#ifdef NN_HAVE_PNG
    ck_assert_msg(picture_read(to_png, &img, &err) == 0, "%s", err.message);
    ck_assert(img.width == 4 && img.height == 2 && img.grey[3] == 1);
    pgm_free(&img);
#else
    assert_refused(picture_read(to_png, &img, &err), &img, &err, to_png, WITHOUT_LIBPNG);
#endif
    testkit_remove_dir(dir);
}
END_TEST

/* ---- predict --------------------------------------------------------------------------------- */

enum { MODEL_PATH = TESTKIT_DIR + 8 };

/* Trains a network with ch08-using-the-network and `flags`, saved as `model` (MODEL_PATH
 * bytes) in a new folder dir; returns what the trainer said. */
static char *train(char *dir, char *model, const char *flags)
{
    testkit_make_dir(dir, "png");
    snprintf(model, MODEL_PATH, "%s/m.nn", dir);
    int status;
    char *out = run_joined(&status,
                           "'%s'/ch08-using-the-network %s --curve never --log '%s'/m.tsv "
                           "--save '%s'",
                           NN_BUILD_DIR, flags, dir, model);
    ck_assert_msg(status == 0, "training failed:\n%s", out);
    return out;
}

/* A model trained one epoch on the sample, once for the test case, in its own folder. */
static char model_dir[TESTKIT_DIR], model_path[MODEL_PATH];

static void train_small_model(void)
{
    free(train(model_dir, model_path, "--data data/sample --layers 784,32,10 --epochs 1"));
}

static void remove_small_model(void)
{
    testkit_remove_dir(model_dir);
}

/* Runs predict with the model and `arguments`; its stdout, or with stderr_only its stderr. */
static char *run_predict(const char *model, const char *arguments, int stderr_only, int *status)
{
    char command[2048];
    snprintf(command, sizeof command, "timeout 60 '%s'/predict --model '%s' %s %s", NN_BUILD_DIR,
             model, arguments, stderr_only ? "2>&1 >/dev/null" : "2>/dev/null");
    return run_command(command, status);
}

/* Fails unless `text` holds `part`, saying what ran. */
static void assert_says(const char *text, const char *part, const char *arguments)
{
    ck_assert_msg(strstr(text, part) != NULL, "predict %s: no \"%s\" in:\n%s", arguments, part,
                  text);
}

/* PNG and PGM side by side; a damaged picture among them fails it, not the others. */
START_TEST(predict_reads_png_and_pgm_pictures)
{
    const char *arguments = HAND_3 " " FIXTURES "bad-crc.png chapters/08-using-the-network/digits/"
                                   "3.pgm";
    int status;
    char *out = run_predict(model_path, arguments, 0, &status);
    ck_assert_msg(status == 1, "predict %s exited with %d, not 1", arguments, status);
    assert_says(out, "chapters/08-using-the-network/digits/3.pgm (300×240 pixels)", arguments);
    char *err = run_predict(model_path, arguments, 1, &status);
#ifdef NN_HAVE_PNG
    assert_says(out, HAND_3 " (240×200 pixels), as the network sees it:", arguments);
    assert_says(err, "predict: " FIXTURES "bad-crc.png: a damaged PNG picture: IHDR: CRC error",
                arguments);
#else
    assert_says(err, WITHOUT_LIBPNG, arguments);
#endif
    free(out), free(err);
}
END_TEST

/* The model's own guess for each image of the set, and its probability. */
static void model_guesses(const char *path, const MnistSet *set, size_t *guess, double *p_guess,
                          double *gap)
{
    NnError err;
    Model *model = model_load(path, 1, NULL, &err);
    ck_assert_msg(model != NULL, "%s", err.message);
    Matrix *X = mat_new(784, 1), *p = mat_new(10, 1);
    for (size_t i = 0; i < set->count; i++) {
        mnist_gather(X, NULL, set, &i, 1);
        softmax(p, model_forward(model, X));
        guess[i] = mat_argmax_col(p, 0), p_guess[i] = p->data[guess[i]], gap[i] = 1;
        for (size_t d = 0; d < 10; d++) /* how far the runner-up is behind */
            if (d != guess[i] && p_guess[i] - p->data[d] < gap[i]) gap[i] = p_guess[i] - p->data[d];
    }
    mat_free(X), mat_free(p), model_free(model);
}

/* Checks predict's lines against the set and the model: each image's index, its label (or
 * -), the model's guess (or, in a near tie, the runner-up) and its probability. Returns how
 * many guesses are right. */
static size_t check_lines(char *out, const MnistSet *set, int labelled, const char *arguments)
{
    size_t guess[200], right = 0;
    double p_guess[200], gap[200];
    ck_assert_uint_eq(set->count, 200);
    model_guesses(model_path, set, guess, p_guess, gap);
    char *line = strtok(out, "\n");
    ck_assert_msg(line != NULL && strcmp(line, "index\tlabel\tguess\tprobability") == 0,
                  "predict %s: the header is \"%s\"", arguments, line ? line : "");
    for (size_t i = 0; i < set->count; i++) {
        line = strtok(NULL, "\n");
        char label[4];
        size_t index, g;
        double p;
        ck_assert_msg(line != NULL &&
                          sscanf(line, "%zu\t%3s\t%zu\t%lf", &index, label, &g, &p) == 4,
                      "predict %s: line %zu is \"%s\"", arguments, i + 1, line ? line : "");
        char expected[4] = "-";
        if (labelled) snprintf(expected, sizeof expected, "%u", set->labels[i]);
        ck_assert_msg(index == i && strcmp(label, expected) == 0, "line %zu: \"%s\"", i + 1, line);
        ck_assert_msg(g == guess[i] || gap[i] < 1e-4, "image %zu: guess %zu, the model's %zu", i, g,
                      guess[i]);
        ck_assert_msg(g != guess[i] || fabs(p - p_guess[i]) < 1e-4, "image %zu: %s, p = %.6f", i,
                      line, p_guess[i]);
        right += g == set->labels[i];
    }
    ck_assert_msg(strtok(NULL, "\n") == NULL, "predict %s: more lines than images", arguments);
    return right;
}

START_TEST(predict_prints_one_line_per_idx_image)
{
    MnistSet set;
    NnError err;
    ck_assert_msg(mnist_load(NN_SOURCE_DIR "/" SAMPLE "images-idx3-ubyte",
                             NN_SOURCE_DIR "/" SAMPLE "labels-idx1-ubyte", &set, &err) == 0,
                  "%s", err.message);
    const char *arguments[] = {"--images " SAMPLE "images-idx3-ubyte",
                               "--images " SAMPLE "images-idx3-ubyte --labels " SAMPLE
                               "labels-idx1-ubyte"};
    for (int labelled = 0; labelled < 2; labelled++) {
        int status;
        char *out = run_predict(model_path, arguments[labelled], 0, &status);
        ck_assert_msg(status == 0, "predict %s exited with %d", arguments[labelled], status);
        size_t right = check_lines(out, &set, labelled, arguments[labelled]);
        char *err_out = run_predict(model_path, arguments[labelled], 1, &status);
        char said[64];
        snprintf(said, sizeof said, "right: %zu of 200 (%.2f%%)\n", right, right / 2.0);
        ck_assert_msg(strcmp(err_out, labelled ? said : "") == 0,
                      "predict %s said on stderr \"%s\", not \"%s\"", arguments[labelled], err_out,
                      labelled ? said : "");
        free(out), free(err_out);
    }
    mnist_free(&set);
}
END_TEST

/* The command lines predict refuses, the exit status and the start of what it says. */
static const struct {
    const char *arguments;
    int status;
    const char *says;
} refused[] = {
    {"", 2, "predict: no PICTURE given: give at least 1, or --images FILE (see --help)"},
    {"--labels " SAMPLE "labels-idx1-ubyte", 2,
     "predict: --labels " SAMPLE "labels-idx1-ubyte: labels go with --images FILE, the images "
     "they label (see --help)"},
    {"--images " SAMPLE "images-idx3-ubyte " HAND_3, 2,
     "predict: --images " SAMPLE "images-idx3-ubyte and the picture " HAND_3
     ": give pictures, or --images, not both"},
    {"--images " SAMPLE "images-idx3-ubyte --labels data/sample/train-labels-idx1-ubyte", 1,
     "predict: " SAMPLE "images-idx3-ubyte holds 200 images but data/sample/train-labels-idx1-"
     "ubyte holds 800 labels: the two files are not a pair"},
    {"--images " SAMPLE "labels-idx1-ubyte", 1,
     "predict: " SAMPLE "labels-idx1-ubyte: this is an IDX labels file (magic number "
     "0x00000801) where an IDX images file (0x00000803) was expected"},
    /* written by the test into the model's folder: */
    {"--images DIR/x-images-idx3-ubyte", 1,
     "predict: DIR/x-images-idx3-ubyte: images of 14×56 pixels, but the network reads MNIST's "
     "28×28 (784 inputs)"},
    {"--images DIR/fifo", 1, "predict: DIR/fifo: cannot read it: a FIFO, not a file"},
};

/* `text` with every "DIR" in it replaced by dir, into out. */
static void put_dir(char *out, size_t size, const char *text, const char *dir)
{
    size_t used = 0;
    for (const char *t = text; *t != '\0' && used + TESTKIT_DIR + 1 < size; t++) {
        if (strncmp(t, "DIR", 3) != 0) {
            out[used++] = *t;
            continue;
        }
        used += (size_t)snprintf(out + used, size - used, "%s", dir);
        t += 2;
    }
    out[used] = '\0';
}

START_TEST(predict_refuses_a_bad_idx_command_line)
{
    idx_write_pair(model_dir, "x", 3, 14, 56);
    idx_make_fifo(model_dir, "fifo");
    char arguments[512], says[512];
    put_dir(arguments, sizeof arguments, refused[_i].arguments, model_dir);
    put_dir(says, sizeof says, refused[_i].says, model_dir);
    int status;
    char *err = run_predict(model_path, arguments, 1, &status);
    ck_assert_msg(status == refused[_i].status, "predict %s exited with %d, not %d:\n%s", arguments,
                  status, refused[_i].status, err);
    ck_assert_msg(strncmp(err, says, strlen(says)) == 0, "predict %s said:\n%snot:\n%s", arguments,
                  err, says);
    free(err);
}
END_TEST

/* ---- with the full MNIST set: a trained network --------------------------------------------- */

#ifdef NN_HAVE_PNG

START_TEST(a_trained_network_reads_the_hand_drawn_3)
{
    if (!have_full_mnist()) {
        fprintf(stderr, "note: no full MNIST set in data/: hand-3.png is not classified\n");
        return;
    }
    char dir[TESTKIT_DIR], model[MODEL_PATH];
    free(train(dir, model, "--layers 784,128,10 --epochs 2"));
    int status;
    char *out = run_predict(model, HAND_3, 0, &status);
    ck_assert_msg(status == 0 && strstr(out, "guess: 3 (") != NULL, "hand-3.png:\n%s", out);
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

#endif

Suite *suite_08_png(void);
Suite *suite_08_png(void)
{
    Suite *s = suite_create("08 png");
    TCase *files = tcase_create("files");
#ifdef NN_HAVE_PNG
    tcase_add_loop_test(files, each_kind_of_png_decodes_to_its_grey_levels, 0, DECODED);
    tcase_add_test(files, an_interlaced_png_decodes_pixel_by_pixel);
    tcase_add_loop_test(files, a_damaged_png_is_refused_naming_the_damage, 0,
                        sizeof damaged / sizeof damaged[0]);
#else
    tcase_add_loop_test(files, without_libpng_a_png_is_refused_naming_the_package, 0, DECODED);
#endif
    tcase_add_test(files, other_bytes_are_told_apart_by_their_start);
    tcase_add_test(files, a_fifo_is_refused_at_once_and_a_link_is_followed);
    suite_add_tcase(s, files);
    TCase *predict = tcase_create("predict");
    tcase_set_timeout(predict, 120);
    tcase_add_unchecked_fixture(predict, train_small_model, remove_small_model);
    tcase_add_test(predict, predict_reads_png_and_pgm_pictures);
    tcase_add_test(predict, predict_prints_one_line_per_idx_image);
    tcase_add_loop_test(predict, predict_refuses_a_bad_idx_command_line, 0,
                        sizeof refused / sizeof refused[0]);
    suite_add_tcase(s, predict);
#ifdef NN_HAVE_PNG
    TCase *trained = tcase_create("trained");
    tcase_set_timeout(trained, 300);
    tcase_add_test(trained, a_trained_network_reads_the_hand_drawn_3);
    suite_add_tcase(s, trained);
#endif
    return s;
}
