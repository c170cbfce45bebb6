/* check_08_inputs.c: the programs of chapters 05 to 08 given data they cannot use, run for real.
 *
 * Each training program, pointed at a folder of well-formed IDX files whose images are not
 * 28×28 (1×1, 14×56, 784×1), must refuse it naming the file and both shapes; given 1 training
 * image it must say that it needs 2, and given 2 or 65 it must train; given a FIFO for its
 * images it must say so at once instead of waiting for a writer. predict, given a FIFO, a folder
 * or a device as its model or as a picture, must refuse it at once. Never "bug in ...". The same
 * checks run build/train in check_09_inputs.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "model_file.h"
#include "support/idx_files.h"
#include "support/testkit.h"

static const IdxTrainer trainers[] = {
    {"ch05-sgd", 0},
    {"ch06-deeper", 0},
    {"ch07-better-training", 0},
    {"ch08-using-the-network", 1},
};
#define TRAINERS (sizeof trainers / sizeof trainers[0])

START_TEST(images_of_another_shape_are_refused)
{
    idx_assert_shapes_refused(&trainers[_i]);
}
END_TEST

START_TEST(tiny_training_sets_train_or_are_refused)
{
    idx_assert_tiny_sets_handled(&trainers[_i]);
}
END_TEST

START_TEST(a_fifo_for_the_images_is_refused)
{
    idx_assert_fifo_refused(&trainers[_i]);
}
END_TEST

/* The bytes of the file at path, malloc'd; their count in *n. */
static unsigned char *bytes_of(const char *path, size_t *n)
{
    NnError err;
    unsigned char *data = file_read_all(path, 1 << 20, "a test file", n, &err);
    ck_assert_msg(data != NULL, "%s", err.message);
    return data;
}

/* A log (and, for a program that saves, the model) named after one of the run's own data
 * files: refused before training, the file unchanged. */
START_TEST(an_output_over_an_input_is_refused)
{
    const IdxTrainer *p = &trainers[_i];
    char dir[64], flags[160];
    idx_make_folder(dir, 20, MNIST_SIDE, MNIST_SIDE);
    const char *files[] = {"t10k-labels-idx1-ubyte", "train-images-idx3-ubyte"};
    const char *outputs[] = {"--log", "--save"};
    for (size_t k = 0; k < (p->saves ? 2u : 1u); k++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, files[k]);
        size_t n, m;
        unsigned char *before = bytes_of(path, &n);
        snprintf(flags, sizeof flags, "%s '%s'", outputs[k], path);
        /* The log's refusal names it; the model's is "--save: <path>: ..." */
        idx_assert_run(p, dir, flags, 1, files[k],
                       k == 0 ? "this run reads that file: writing there would replace it" : NULL);
        unsigned char *after = bytes_of(path, &m);
        ck_assert_msg(m == n && memcmp(before, after, n) == 0, "%s %s changed it", p->name, flags);
        free(before), free(after);
    }
    idx_remove_folder(dir);
}
END_TEST

/* ---- predict --------------------------------------------------------------------------------- */

/* A FIFO, a folder and a device, and the words each is refused with. */
static const struct {
    const char *name; /* in the test's folder; "": the folder itself; or an absolute path */
    const char *words;
} specials[] = {
    {"fifo", "cannot read it: a FIFO, not a file"},
    {"", "cannot read it: a folder, not a file"},
    {"/dev/null", "cannot read it: a device, not a file"},
};

/* Runs predict with `arguments`; fails unless it exits with 1 saying "predict: <path>: <words>
 * ...; give the path of <what>". */
static void assert_predict_refuses(const char *arguments, const char *path, const char *words,
                                   const char *what)
{
    char command[1024], said[512];
    snprintf(command, sizeof command, "timeout 60 '%s'/predict %s 2>&1 >/dev/null", NN_BUILD_DIR,
             arguments);
    int status;
    char *out = run_command(command, &status);
    snprintf(said, sizeof said, "predict: %s: %s; give the path of %s", path, words, what);
    ck_assert_msg(status == 1 && strstr(out, said) != NULL,
                  "%s exited with status %d (not 1), without \"%s\":\n%s", command, status, said,
                  out);
    free(out);
}

START_TEST(a_special_file_given_to_predict_is_refused_at_once)
{
    char dir[64], special[256], model[128], arguments[512];
    strcpy(dir, "/tmp/nn-inputs-XXXXXX");
    ck_assert(mkdtemp(dir) != NULL);
    idx_make_fifo(dir, "fifo");
    const char *name = specials[_i].name;
    snprintf(special, sizeof special, "%s%s%s", name[0] == '/' ? "" : dir,
             name[0] == '/' || name[0] == '\0' ? "" : "/", name);
    snprintf(model, sizeof model, "%s/m.nn", dir);
    size_t sizes[] = {784, 8, 10};
    Model *m = model_new(sizes, 3, 1);
    Rng rng;
    rng_seed(&rng, 1);
    model_init_he(m, &rng);
    NnError err;
    ck_assert_msg(model_save(m, model, NULL, &err) == 0, "%s", err.message);
    model_free(m);
    snprintf(arguments, sizeof arguments, "--model '%s' chapters/08-using-the-network/digits/3.pgm",
             special);
    assert_predict_refuses(arguments, special, specials[_i].words, "a model file");
    snprintf(arguments, sizeof arguments, "--model '%s' '%s'", model, special);
    assert_predict_refuses(arguments, special, specials[_i].words, "a PNG or PGM picture");
    idx_remove_folder(dir);
}
END_TEST

Suite *suite_08_inputs(void);
Suite *suite_08_inputs(void)
{
    Suite *s = suite_create("08 inputs");
    TCase *trainer = tcase_create("training programs");
    tcase_set_timeout(trainer, 240); /* each run stops itself after a minute */
    tcase_add_loop_test(trainer, images_of_another_shape_are_refused, 0, TRAINERS);
    tcase_add_loop_test(trainer, tiny_training_sets_train_or_are_refused, 0, TRAINERS);
    tcase_add_loop_test(trainer, a_fifo_for_the_images_is_refused, 0, TRAINERS);
    tcase_add_loop_test(trainer, an_output_over_an_input_is_refused, 0, TRAINERS);
    suite_add_tcase(s, trainer);
    TCase *predict = tcase_create("predict");
    tcase_set_timeout(predict, 150);
    tcase_add_loop_test(predict, a_special_file_given_to_predict_is_refused_at_once, 0,
                        sizeof specials / sizeof specials[0]);
    suite_add_tcase(s, predict);
    return s;
}
