/* check_02_mnist.c: chapter 02's suite for the MNIST reader (lib/mnist.c).
 *
 * The bundled sample must load exactly: its counts, its first labels and pixels read off the
 * real files. Batches gather into columns, scaled and one-hot. Every file of tests/corpus/idx/
 * (made by tests/corpus/make-idx-corpus.sh), each with one defect, must be rejected with its
 * own message naming the file. mnist_load_both must fall back to the sample only when the full
 * set is absent, and load the full set whole when `make data` has fetched it. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnist.h"
#include "support/gather_check.h"
#include "support/testkit.h"

#define DATA_DIR   NN_SOURCE_DIR "/data"
#define SAMPLE_DIR DATA_DIR "/sample"
#define CORPUS_DIR NN_SOURCE_DIR "/tests/corpus/idx"

static MnistSet load_sample(const char *prefix)
{
    MnistSet set;
    NnError err;
    ck_assert_msg(mnist_load_named(SAMPLE_DIR, prefix, &set, &err) == 0, "%s", err.message);
    return set;
}

static unsigned long pixel_sum(const MnistSet *set, size_t image)
{
    const unsigned char *p = set->pixels + image * set->rows * set->cols;
    unsigned long sum = 0;
    for (size_t i = 0; i < set->rows * set->cols; i++) sum += p[i];
    return sum;
}

/* The first ten labels of MNIST's training and test sets. */
static const unsigned char first_train_labels[] = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4};
static const unsigned char first_test_labels[] = {7, 2, 1, 0, 4, 1, 4, 9, 5, 9};

START_TEST(sample_loads_exactly)
{
    MnistSet train = load_sample("train"), test = load_sample("t10k");
    ck_assert_uint_eq(train.count, 800);
    ck_assert_uint_eq(test.count, 200);
    ck_assert_uint_eq(train.rows, MNIST_SIDE);
    ck_assert_uint_eq(train.cols, MNIST_SIDE);
    ck_assert_uint_eq(test.rows, MNIST_SIDE);
    ck_assert_uint_eq(test.cols, MNIST_SIDE);
    ck_assert_mem_eq(train.labels, first_train_labels, sizeof first_train_labels);
    ck_assert_mem_eq(test.labels, first_test_labels, sizeof first_test_labels);
    ck_assert_uint_eq(pixel_sum(&test, 0), 18454);
    ck_assert_uint_eq(pixel_sum(&train, 799), 29335); /* the sample runs to its last image */
    mnist_free(&train);
    mnist_free(&test);
}
END_TEST

START_TEST(first_training_image_pixels)
{
    MnistSet train = load_sample("train");
    const unsigned char *five = train.pixels;
    size_t ink = 0, full = 0;
    for (size_t i = 0; i < MNIST_PIXELS; i++) ink += five[i] != 0, full += five[i] == 255;
    ck_assert_uint_eq(pixel_sum(&train, 0), 27525);
    ck_assert_uint_eq(ink, 166);
    ck_assert_uint_eq(full, 1);
    ck_assert_uint_eq(five[0], 0);
    ck_assert_uint_eq(five[5 * MNIST_SIDE + 12], 3);   /* row 5: the top stroke starts faint */
    ck_assert_uint_eq(five[5 * MNIST_SIDE + 21], 255); /* and its one pixel of full ink */
    ck_assert_uint_eq(five[24 * MNIST_SIDE + 4], 136); /* the lowest row with ink, its leftmost */
    mnist_free(&train);
}
END_TEST

START_TEST(tiny_set_loads_exactly)
{
    MnistSet set = tiny_set_load();
    ck_assert_uint_eq(set.count, 2);
    ck_assert_uint_eq(set.rows, 3);
    ck_assert_uint_eq(set.cols, 2);
    ck_assert_mem_eq(set.pixels, tiny_pixels, sizeof tiny_pixels);
    ck_assert_mem_eq(set.labels, tiny_labels, sizeof tiny_labels);
    mnist_free(&set);
    ck_assert(set.pixels == NULL && set.labels == NULL && set.count == 0);
    mnist_free(&set); /* an empty set frees safely */
}
END_TEST

START_TEST(gather_scales_pixels_and_one_hots_labels)
{
    Outcome o = {0};
    ck_assert_msg(gather_scales_and_one_hots(mnist_gather, &o), "%s", o.why);
}
END_TEST

START_TEST(gather_into_wrong_shape_stops)
{
    MnistSet set = tiny_set_load();
    const size_t index[] = {0, 1};
    Matrix *X = mat_new(2, 6); /* transposed: must be (3·2 × 2) */
    mnist_gather(X, NULL, &set, index, 2);
}
END_TEST

START_TEST(gather_labels_into_wrong_shape_stops)
{
    MnistSet set = tiny_set_load();
    const size_t index[] = {0, 1};
    Matrix *X = mat_new(6, 2), *Y = mat_new(9, 2);
    mnist_gather(X, Y, &set, index, 2);
}
END_TEST

START_TEST(gather_past_the_last_image_stops)
{
    MnistSet set = tiny_set_load();
    const size_t index[] = {0, 2};
    Matrix *X = mat_new(6, 2);
    mnist_gather(X, NULL, &set, index, 2);
}
END_TEST

/* ---- the corpus of malformed files ------------------------------------------------------- */

/* Which file a message must start with: the images file, the labels file, or the images file
 * and then the labels file. */
enum Blame { IMAGES, LABELS, BOTH };

/* A pair of files under tests/corpus/idx/ that the reader must reject with the given phrase. */
typedef struct {
    const char *images, *labels;
    enum Blame blame;
    const char *phrase;
} Defect;

static const Defect defects[] = {
    {"empty.idx3", "good.idx1", IMAGES, "the file is empty (0 bytes)"},
    {"good.idx1", "good.idx1", IMAGES,
     "this is an IDX labels file (magic number 0x00000801) where an IDX images file"},
    {"good.idx3", "good.idx3", LABELS,
     "this is an IDX images file (magic number 0x00000803) where an IDX labels file"},
    {"wrong-magic.idx3", "good.idx1", IMAGES,
     "not an IDX images file: its magic number is 0x12345678 where 0x00000803 was expected"},
    {"gzipped.idx3", "good.idx1", IMAGES, "still gzip-compressed"},
    {"truncated-header.idx3", "good.idx1", IMAGES,
     "truncated header: an IDX images file starts with a header of 16 bytes but the file has 7"},
    {"good.idx3", "truncated-header.idx1", LABELS,
     "truncated header: an IDX labels file starts with a header of 8 bytes but the file has 6"},
    {"truncated-data.idx3", "good.idx1", IMAGES,
     "truncated: the header promises 2 images of 3×2 (28 bytes) but the file has 23 bytes"},
    {"trailing-bytes.idx3", "good.idx1", IMAGES, "3 bytes more than the header promises"},
    {"overflow.idx3", "good.idx1", IMAGES,
     "the header promises 4294967295 images of 4294967295×4294967295, more bytes than this "
     "machine can address"},
    {"zero-rows.idx3", "good.idx1", IMAGES,
     "the header promises 2 images of 0×2, but a set needs at least one image of at least one "
     "pixel"},
    {"zero-count.idx3", "good.idx1", IMAGES,
     "the header promises 0 images of 3×2, but a set needs"},
    {"huge-side.idx3", "good.idx1", IMAGES,
     "1 image of 100000×1, but this reader takes images of at most 1024 pixels a side"},
    {"good.idx3", "three-labels.idx1", BOTH, "holds 2 images but"},
    {"good.idx3", "label-ten.idx1", LABELS, "label 10 at index 1 is not a digit 0..9"},
    {"good.idx3", "label-255.idx1", LABELS, "label 255 at index 0 is not a digit 0..9"},
    {"good.idx3", "truncated-labels.idx1", LABELS,
     "truncated: the header promises 2 labels (10 bytes) but the file has 9 bytes"},
    {"", "good.idx1", IMAGES,
     "cannot read it: a folder, not a file; give the path of an IDX images"},
    {"no-such-file", "good.idx1", IMAGES, "cannot open it: No such file or directory"},
};
#define DEFECTS (sizeof defects / sizeof defects[0])

/* Loads defect d's pair, which must fail and leave the set empty; its paths go into images and
 * labels, its message into err. */
static void load_defect(const Defect *d, char *images, char *labels, size_t size, NnError *err)
{
    snprintf(images, size, "%s/%s", CORPUS_DIR, d->images);
    snprintf(labels, size, "%s/%s", CORPUS_DIR, d->labels);
    if (d->images[0] == '\0') snprintf(images, size, "%s", CORPUS_DIR); /* the folder itself */
    MnistSet set;
    ck_assert_msg(mnist_load(images, labels, &set, err) == -1, "%s was accepted", images);
    ck_assert(set.count == 0 && set.pixels == NULL && set.labels == NULL);
}

START_TEST(malformed_file_rejected_with_its_message)
{
    const Defect *d = &defects[_i];
    char images[4096], labels[4096];
    NnError err;
    load_defect(d, images, labels, sizeof images, &err);
    const char *blamed = d->blame == LABELS ? labels : images;
    ck_assert_msg(strncmp(err.message, blamed, strlen(blamed)) == 0,
                  "the message does not start with %s:\n%s", blamed, err.message);
    ck_assert_msg(d->blame != BOTH || strstr(err.message, labels) != NULL,
                  "the message does not name %s:\n%s", labels, err.message);
    ck_assert_msg(strstr(err.message, d->phrase) != NULL, "no \"%s\" in:\n%s", d->phrase,
                  err.message);
}
END_TEST

START_TEST(every_defect_has_its_own_message)
{
    static NnError errors[DEFECTS];
    char images[4096], labels[4096];
    for (size_t i = 0; i < DEFECTS; i++)
        load_defect(&defects[i], images, labels, sizeof images, &errors[i]);
    for (size_t i = 0; i < DEFECTS; i++)
        for (size_t k = 0; k < DEFECTS; k++)
            ck_assert_msg(k == i || strstr(errors[k].message, defects[i].phrase) == NULL,
                          "the message of defect %zu has the phrase of defect %zu, \"%s\"", k, i,
                          defects[i].phrase);
}
END_TEST

/* ---- the full set, or the sample ---------------------------------------------------------- */

/* A new empty folder under /tmp, its path in dir (room for 64 bytes). */
static void make_temp_dir(char *dir)
{
    strcpy(dir, "/tmp/nn-mnist-XXXXXX");
    ck_assert(mkdtemp(dir) != NULL);
}

static void remove_temp_dir(const char *dir)
{
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    int status;
    free(run_command(command, &status));
    ck_assert_int_eq(status, 0);
}

/* Links dir/<name> to `target`. */
static void link_in(const char *dir, const char *name, const char *target)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ck_assert_msg(symlink(target, path) == 0, "cannot link %s", path);
}

START_TEST(falls_back_to_the_sample)
{
    char dir[64], note_path[128];
    make_temp_dir(dir);
    link_in(dir, "sample", SAMPLE_DIR);
    snprintf(note_path, sizeof note_path, "%s/stderr", dir);
    fflush(stderr);
    int saved = dup(STDERR_FILENO), fd = open(note_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert(saved >= 0 && fd >= 0 && dup2(fd, STDERR_FILENO) >= 0);
    close(fd);
    MnistSet train, test;
    NnError err;
    int used_sample = -1, status = mnist_load_both(dir, &train, &test, &used_sample, &err);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    ck_assert_msg(status == 0, "%s", err.message);
    ck_assert_int_eq(used_sample, 1);
    ck_assert_uint_eq(train.count, 800);
    ck_assert_uint_eq(test.count, 200);
    char expected[256], *note = read_text_file(note_path);
    snprintf(expected, sizeof expected,
             "note: the full MNIST set is not in %s; using the bundled sample (800 training, 200 "
             "test images). Run make data for all 70,000.\n",
             dir);
    ck_assert_str_eq(note, expected);
    free(note);
    mnist_free(&train);
    mnist_free(&test);
    remove_temp_dir(dir);
}
END_TEST

/* A full set begun but not whole is an error, not a reason to use the sample. */
START_TEST(partial_full_set_is_an_error)
{
    char dir[64], missing[128];
    make_temp_dir(dir);
    link_in(dir, "sample", SAMPLE_DIR);
    link_in(dir, "train-images-idx3-ubyte", SAMPLE_DIR "/train-images-idx3-ubyte");
    link_in(dir, "train-labels-idx1-ubyte", SAMPLE_DIR "/train-labels-idx1-ubyte");
    MnistSet train, test;
    NnError err;
    int used_sample = -1;
    ck_assert_int_eq(mnist_load_both(dir, &train, &test, &used_sample, &err), -1);
    ck_assert_int_eq(used_sample, 0);
    ck_assert(train.pixels == NULL && test.pixels == NULL);
    snprintf(missing, sizeof missing, "%s/t10k-images-idx3-ubyte: cannot open it", dir);
    ck_assert_msg(strstr(err.message, missing) != NULL, "unexpected: %s", err.message);
    remove_temp_dir(dir);
}
END_TEST

START_TEST(full_set_loads_whole)
{
    if (!have_full_mnist()) {
        printf("note: the full MNIST set is not in data/: not checked (make data fetches it)\n");
        return;
    }
    MnistSet train, test, sample_train = load_sample("train"), sample_test = load_sample("t10k");
    NnError err;
    int used_sample = -1;
    ck_assert_msg(mnist_load_both(DATA_DIR, &train, &test, &used_sample, &err) == 0, "%s",
                  err.message);
    ck_assert_int_eq(used_sample, 0);
    ck_assert_uint_eq(train.count, 60000);
    ck_assert_uint_eq(test.count, 10000);
    ck_assert_uint_eq(train.rows * train.cols, MNIST_PIXELS);
    ck_assert_mem_eq(train.labels, first_train_labels, sizeof first_train_labels);
    ck_assert_mem_eq(test.labels, first_test_labels, sizeof first_test_labels);
    /* The sample is the head of the full set, byte for byte. */
    ck_assert_mem_eq(train.pixels, sample_train.pixels, 800 * MNIST_PIXELS);
    ck_assert_mem_eq(train.labels, sample_train.labels, 800);
    ck_assert_mem_eq(test.pixels, sample_test.pixels, 200 * MNIST_PIXELS);
    ck_assert_mem_eq(test.labels, sample_test.labels, 200);
    mnist_free(&train), mnist_free(&test), mnist_free(&sample_train), mnist_free(&sample_test);
}
END_TEST

/* ---- drawing ------------------------------------------------------------------------------ */

/* What mnist_draw prints for image i of set, malloc'd. */
static char *drawing(const MnistSet *set, size_t i)
{
    FILE *f = tmpfile();
    ck_assert(f != NULL);
    mnist_draw(f, set, i);
    long size = ftell(f);
    char *text = malloc((size_t)size + 1);
    ck_assert(text != NULL);
    rewind(f);
    ck_assert_uint_eq(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    return text;
}

START_TEST(draws_the_tiny_images_exactly)
{
    MnistSet set = tiny_set_load();
    char *first = drawing(&set, 0), *second = drawing(&set, 1);
    ck_assert_str_eq(first, "  ::\n==**\n%%@@\nlabel: 3\n");
    ck_assert_str_eq(second, "@@++\n..\n..::\nlabel: 9\n");
    free(first), free(second);
    mnist_free(&set);
}
END_TEST

START_TEST(draws_the_first_training_image)
{
    MnistSet train = load_sample("train");
    char *text = drawing(&train, 0);
    size_t lines = 0, blank = 0;
    for (const char *p = text; *p != '\0'; p++)
        if (*p == '\n') lines++, blank += p == text || p[-1] == '\n';
    ck_assert_uint_eq(lines, MNIST_SIDE + 1); /* 28 rows and the label */
    ck_assert_uint_eq(blank, 5 + 3);          /* rows 0..4 and 25..27 are paper */
    ck_assert_ptr_nonnull(strstr(text, "\n\n                        ........++++##..**@@@@++\n"));
    ck_assert_msg(strstr(text, " \n") == NULL, "a line ends in a space");
    ck_assert_str_eq(text + strlen(text) - strlen("label: 5\n"), "label: 5\n");
    free(text);
    mnist_free(&train);
}
END_TEST

Suite *suite_02_mnist(void);
Suite *suite_02_mnist(void)
{
    Suite *s = suite_create("02 mnist");
    TCase *load = tcase_create("loading");
    tcase_set_timeout(load, 60);
    tcase_add_test(load, sample_loads_exactly);
    tcase_add_test(load, first_training_image_pixels);
    tcase_add_test(load, tiny_set_loads_exactly);
    tcase_add_test(load, falls_back_to_the_sample);
    tcase_add_test(load, partial_full_set_is_an_error);
    tcase_add_test(load, full_set_loads_whole);
    suite_add_tcase(s, load);
    TCase *corpus = tcase_create("malformed files");
    tcase_add_loop_test(corpus, malformed_file_rejected_with_its_message, 0, DEFECTS);
    tcase_add_test(corpus, every_defect_has_its_own_message);
    suite_add_tcase(s, corpus);
    TCase *batch = tcase_create("batches and drawing");
    tcase_add_test(batch, gather_scales_pixels_and_one_hots_labels);
    tcase_add_test_raise_signal(batch, gather_into_wrong_shape_stops, SIGABRT);
    tcase_add_test_raise_signal(batch, gather_labels_into_wrong_shape_stops, SIGABRT);
    tcase_add_test_raise_signal(batch, gather_past_the_last_image_stops, SIGABRT);
    tcase_add_test(batch, draws_the_tiny_images_exactly);
    tcase_add_test(batch, draws_the_first_training_image);
    suite_add_tcase(s, batch);
    return s;
}
