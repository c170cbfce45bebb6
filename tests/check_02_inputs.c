/* check_02_inputs.c: chapter 02's suite for inputs that are not what they should be.
 *
 * A path given as an MNIST file, a model file or a picture may name a FIFO, a folder or a
 * device: the readers (lib/mnist.c, and lib/file.c under model files and pictures) must refuse
 * each at once, saying what it is, and never wait on a FIFO that nothing writes into (the test
 * case's timeout turns such a wait into a failure). mnist_load_both, which every program loads
 * its data with, must refuse well-formed IDX files the network cannot read: images that are not
 * MNIST's 28×28 (1×1, 14×56, or 784×1, which has the right 784 pixels in the wrong shape), and
 * a training set too small to hold one image out for validation. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "mnist.h"
#include "support/idx_files.h"

/* ---- what is not a file ---------------------------------------------------------------------- */

/* The special files, and the words each is refused with. */
static const struct {
    const char *name; /* under the test's folder; NULL: the folder itself; or an absolute path */
    int fifo;         /* make it a FIFO first */
    const char *words;
} specials[] = {
    {"fifo", 1, "cannot read it: a FIFO, not a file"},
    {NULL, 0, "cannot read it: a folder, not a file"},
    {"/dev/null", 0, "cannot read it: a device, not a file"},
};
#define SPECIALS (sizeof specials / sizeof specials[0])

/* A folder with a good pair of files "train-*", and the path of special file i, in path. */
static void make_special(size_t i, char *dir, char *path, size_t size)
{
    idx_make_folder(dir, 2, MNIST_SIDE, MNIST_SIDE);
    const char *name = specials[i].name;
    if (specials[i].fifo) idx_make_fifo(dir, name);
    if (name == NULL)
        snprintf(path, size, "%s", dir);
    else if (name[0] == '/')
        snprintf(path, size, "%s", name);
    else
        snprintf(path, size, "%s/%s", dir, name);
}

/* Fails unless the message starts with path and has the words. */
static void assert_refused(const char *message, const char *path, const char *words)
{
    ck_assert_msg(strncmp(message, path, strlen(path)) == 0 && message[strlen(path)] == ':',
                  "the message does not start with %s:\n%s", path, message);
    ck_assert_msg(strstr(message, words) != NULL, "no \"%s\" in:\n%s", words, message);
}

START_TEST(a_special_file_given_as_mnist_images_or_labels_is_refused_at_once)
{
    char dir[64], special[256], images[256], labels[256];
    make_special(_i, dir, special, sizeof special);
    snprintf(images, sizeof images, "%s/train-images-idx3-ubyte", dir);
    snprintf(labels, sizeof labels, "%s/train-labels-idx1-ubyte", dir);
    MnistSet set;
    NnError err;
    ck_assert_int_eq(mnist_load(special, labels, &set, &err), -1);
    assert_refused(err.message, special, specials[_i].words);
    ck_assert(set.count == 0 && set.pixels == NULL);
    ck_assert_int_eq(mnist_load(images, special, &set, &err), -1);
    assert_refused(err.message, special, specials[_i].words);
    ck_assert_msg(strstr(err.message, "give the path of an IDX labels file") != NULL, "%s",
                  err.message);
    ck_assert(set.count == 0 && set.pixels == NULL && set.labels == NULL);
    idx_remove_folder(dir);
}
END_TEST

/* file_read_all reads model files and PGM pictures (chapter 08). */
START_TEST(a_special_file_read_whole_is_refused_at_once)
{
    char dir[64], special[256];
    make_special(_i, dir, special, sizeof special);
    NnError err;
    size_t n = 0;
    ck_assert_ptr_null(file_read_all(special, 1 << 20, "a model file", &n, &err));
    assert_refused(err.message, special, specials[_i].words);
    ck_assert_msg(strstr(err.message, "give the path of a model file") != NULL, "%s", err.message);
    idx_remove_folder(dir);
}
END_TEST

/* ---- sets the network cannot read ------------------------------------------------------------ */

/* Loads a folder of `count` training images of rows × cols with mnist_load_both, which must
 * refuse it with a message that starts with the training images' path and has both phrases. */
static void assert_folder_refused(size_t count, size_t rows, size_t cols, const char *phrase,
                                  const char *also)
{
    char dir[64], images[128];
    idx_make_folder(dir, count, rows, cols);
    snprintf(images, sizeof images, "%s/train-images-idx3-ubyte", dir);
    MnistSet train, test;
    NnError err;
    ck_assert_msg(mnist_load_both(dir, &train, &test, NULL, &err) == -1,
                  "%zu images of %zu×%zu were accepted", count, rows, cols);
    ck_assert(train.pixels == NULL && test.pixels == NULL);
    assert_refused(err.message, images, phrase);
    ck_assert_msg(strstr(err.message, also) != NULL, "no \"%s\" in:\n%s", also, err.message);
    idx_remove_folder(dir);
}

static const size_t shapes[][2] = {{1, 1}, {14, 56}, {784, 1}};

START_TEST(images_that_are_not_28_by_28_are_refused_naming_both_shapes)
{
    size_t rows = shapes[_i][0], cols = shapes[_i][1];
    char phrase[128];
    snprintf(phrase, sizeof phrase, "images of %zu×%zu pixels, but the network reads MNIST's 28×28",
             rows, cols);
    assert_folder_refused(20, rows, cols, phrase, "(784 inputs)");
}
END_TEST

/* The test set is checked as well as the training set. */
START_TEST(a_test_set_of_another_shape_is_refused)
{
    char dir[64], images[128];
    idx_make_folder(dir, 20, MNIST_SIDE, MNIST_SIDE);
    idx_write_pair(dir, "t10k", 5, 14, 56);
    snprintf(images, sizeof images, "%s/t10k-images-idx3-ubyte", dir);
    MnistSet train, test;
    NnError err;
    ck_assert_int_eq(mnist_load_both(dir, &train, &test, NULL, &err), -1);
    ck_assert(train.pixels == NULL && test.pixels == NULL);
    assert_refused(err.message, images, "images of 14×56 pixels");
    idx_remove_folder(dir);
}
END_TEST

START_TEST(one_training_image_is_refused)
{
    assert_folder_refused(1, MNIST_SIDE, MNIST_SIDE,
                          "holds 1, but training needs at least 2 images",
                          "one held out to validate on");
}
END_TEST

START_TEST(two_training_images_load)
{
    char dir[64];
    idx_make_folder(dir, 2, MNIST_SIDE, MNIST_SIDE);
    MnistSet train, test;
    NnError err;
    int used_sample = -1;
    ck_assert_msg(mnist_load_both(dir, &train, &test, &used_sample, &err) == 0, "%s", err.message);
    ck_assert_int_eq(used_sample, 0);
    ck_assert_uint_eq(train.count, 2);
    ck_assert_uint_eq(test.count, IDX_TEST_COUNT);
    mnist_free(&train), mnist_free(&test);
    idx_remove_folder(dir);
}
END_TEST

Suite *suite_02_inputs(void);
Suite *suite_02_inputs(void)
{
    Suite *s = suite_create("02 inputs");
    TCase *special = tcase_create("not a file");
    tcase_set_timeout(special, 10); /* a reader waiting on the FIFO fails here */
    tcase_add_loop_test(special, a_special_file_given_as_mnist_images_or_labels_is_refused_at_once,
                        0, SPECIALS);
    tcase_add_loop_test(special, a_special_file_read_whole_is_refused_at_once, 0, SPECIALS);
    suite_add_tcase(s, special);
    TCase *network = tcase_create("what the network reads");
    tcase_add_loop_test(network, images_that_are_not_28_by_28_are_refused_naming_both_shapes, 0,
                        sizeof shapes / sizeof shapes[0]);
    tcase_add_test(network, a_test_set_of_another_shape_is_refused);
    tcase_add_test(network, one_training_image_is_refused);
    tcase_add_test(network, two_training_images_load);
    suite_add_tcase(s, network);
    return s;
}
