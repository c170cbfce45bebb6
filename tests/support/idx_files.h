/* idx_files.h: hand-made MNIST folders for the suites that feed the readers and the programs
 * hostile data (check_02_inputs.c, check_08_inputs.c, check_09_inputs.c): well-formed IDX
 * files of any count and any image shape, and a FIFO where a file should be; and the checks
 * that run a training program on them. Header-only, like sample.h: chapter 01's runner never
 * includes it. */
#ifndef NN_TEST_IDX_FILES_H
#define NN_TEST_IDX_FILES_H

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mnist.h"
#include "testkit.h"

/* How many test images a hand-made folder holds. */
enum { IDX_TEST_COUNT = 10 };

static inline void idx_put_be32(FILE *f, uint32_t v)
{
    const unsigned char bytes[4] = {v >> 24 & 255, v >> 16 & 255, v >> 8 & 255, v & 255};
    ck_assert_uint_eq(fwrite(bytes, 1, 4, f), 4);
}

/* Writes "<dir>/<prefix>-images-idx3-ubyte" (count images of rows × cols, some ink in each)
 * and the matching "<dir>/<prefix>-labels-idx1-ubyte" (digits 0, 1, 2, ...). */
static inline void idx_write_pair(const char *dir, const char *prefix, size_t count, size_t rows,
                                  size_t cols)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte", dir, prefix);
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    idx_put_be32(f, 0x803), idx_put_be32(f, (uint32_t)count);
    idx_put_be32(f, (uint32_t)rows), idx_put_be32(f, (uint32_t)cols);
    for (size_t i = 0; i < count * rows * cols; i++) fputc((int)(i * 37 % 256), f);
    ck_assert_int_eq(fclose(f), 0);
    snprintf(path, sizeof path, "%s/%s-labels-idx1-ubyte", dir, prefix);
    f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    idx_put_be32(f, 0x801), idx_put_be32(f, (uint32_t)count);
    for (size_t i = 0; i < count; i++) fputc((int)(i % 10), f);
    ck_assert_int_eq(fclose(f), 0);
}

/* A new folder under /tmp (its path in dir, room for 64 bytes) holding a full set: `count`
 * training images and IDX_TEST_COUNT test images, all of rows × cols. */
static inline void idx_make_folder(char *dir, size_t count, size_t rows, size_t cols)
{
    strcpy(dir, "/tmp/nn-inputs-XXXXXX");
    ck_assert(mkdtemp(dir) != NULL);
    idx_write_pair(dir, "train", count, rows, cols);
    idx_write_pair(dir, "t10k", IDX_TEST_COUNT, rows, cols);
}

/* Puts a FIFO, which nothing ever writes into, in place of "<dir>/<name>". */
static inline void idx_make_fifo(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    remove(path);
    ck_assert_msg(mkfifo(path, 0600) == 0, "cannot make the FIFO %s", path);
}

static inline void idx_remove_folder(const char *dir)
{
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(command), 0);
}

/* ---- the training programs on such folders (testkit.h runs them) ----------------------------- */

/* A training program, and whether it saves a model (--save). */
typedef struct {
    const char *name;
    int saves;
} IdxTrainer;

/* Runs build/<program> for one epoch on the folder dir, with extra flags, its log and model in
 * dir; fails unless it exits with `expected`, stops on no bug ("bug in ..."), and, when phrase
 * is not NULL, says "<program>: <dir>/<file>: <phrase>". A program still running after a minute
 * (waiting on a FIFO) is stopped and fails. */
static inline void idx_assert_run(const IdxTrainer *p, const char *dir, const char *flags,
                                  int expected, const char *file, const char *phrase)
{
    char command[1024], said[512];
    snprintf(command, sizeof command,
             "timeout 60 '%s'/%s --data '%s' --epochs 1 --curve never --log '%s'/run.tsv %s%s%s "
             "%s 2>&1 >/dev/null",
             NN_BUILD_DIR, p->name, dir, dir, p->saves ? "--save '" : "", p->saves ? dir : "",
             p->saves ? "/m.nn'" : "", flags);
    int status;
    char *out = run_command(command, &status);
    ck_assert_msg(status == expected && strstr(out, "bug in") == NULL,
                  "%s exited with status %d, not %d:\n%s", command, status, expected, out);
    snprintf(said, sizeof said, "%s: %s/%s: %s", p->name, dir, file, phrase ? phrase : "");
    ck_assert_msg(phrase == NULL || strstr(out, said) != NULL, "%s: no \"%s\" in:\n%s", command,
                  said, out);
    free(out);
}

/* Fails unless the program refuses well-formed images of 1×1, 14×56 and 784×1, naming the
 * file and both shapes. */
static inline void idx_assert_shapes_refused(const IdxTrainer *p)
{
    static const size_t shapes[][2] = {{1, 1}, {14, 56}, {784, 1}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        char dir[64], phrase[128];
        idx_make_folder(dir, 20, shapes[i][0], shapes[i][1]);
        snprintf(phrase, sizeof phrase,
                 "images of %zu×%zu pixels, but the network reads MNIST's 28×28 (784 inputs)",
                 shapes[i][0], shapes[i][1]);
        idx_assert_run(p, dir, "", 1, "train-images-idx3-ubyte", phrase);
        idx_remove_folder(dir);
    }
}

/* Fails unless the program refuses 1 training image and trains on 2, on 65, and on 65 split
 * into 49 to train on (a batch of 48, then one of 1) and 16 to validate on. */
static inline void idx_assert_tiny_sets_handled(const IdxTrainer *p)
{
    static const struct {
        size_t count;
        const char *flags;
        int status;
    } sets[] = {{1, "", 1}, {2, "", 0}, {65, "", 0}, {65, "--batch 48", 0}};
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        char dir[64];
        idx_make_folder(dir, sets[i].count, MNIST_SIDE, MNIST_SIDE);
        idx_assert_run(p, dir, sets[i].flags, sets[i].status, "train-images-idx3-ubyte",
                       sets[i].status != 0 ? "holds 1, but training needs at least 2 images"
                                           : NULL);
        idx_remove_folder(dir);
    }
}

/* Fails unless the program, given a FIFO for its training images, says so and stops. */
static inline void idx_assert_fifo_refused(const IdxTrainer *p)
{
    char dir[64];
    idx_make_folder(dir, 20, MNIST_SIDE, MNIST_SIDE);
    idx_make_fifo(dir, "train-images-idx3-ubyte");
    idx_assert_run(p, dir, "", 1, "train-images-idx3-ubyte", "cannot read it: a FIFO, not a file");
    idx_remove_folder(dir);
}

#endif
