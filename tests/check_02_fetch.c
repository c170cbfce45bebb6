/* check_02_fetch.c: data/fetch.sh (`make data`), run without the network.
 *
 * Each test copies fetch.sh and SHA256SUMS into a fresh folder <tmp>/data/ (the script works in
 * the folder above its own) and points MNIST_SOURCES at <tmp>/mirror/, a local "mirror" read
 * with curl's file:// URLs: it holds the gzipped copy of whichever file a test takes away. With
 * the full MNIST set in data/ its files are linked (or copied) into <tmp>/data/; without it the
 * tests check what needs no data: the refusals and their messages.
 *
 * What must hold: four good files are verified and kept, a missing one is fetched; anything but a
 * regular file where a data file belongs (a folder, a FIFO, a symbolic link) is refused, named,
 * left as it is, and never waited on; a damaged SHA256SUMS is named as the culprit, and the good
 * data files are neither blamed nor touched. Every run has a timeout, so no test can hang. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/testkit.h"

#define FILE_COUNT 4
static const char *const FILES[FILE_COUNT] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                              "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

/* Runs a shell command that must succeed (setting a test up). */
__attribute__((format(printf, 1, 2))) static void shell(const char *format, ...)
{
    char command[4096];
    va_list args;
    va_start(args, format);
    vsnprintf(command, sizeof command - 8, format, args);
    va_end(args);
    strcat(command, " 2>&1");
    int status;
    char *out = run_command(command, &status);
    ck_assert_msg(status == 0, "`%s` failed:\n%s", command, out);
    free(out);
}

/* A fresh <tmp>/data/ holding fetch.sh and SHA256SUMS, and an empty <tmp>/mirror/; with the
 * full set present, <tmp>/data/ also gets each of its files but `absent` (NULL: all four). */
static void make_tree(char *dir, const char *absent)
{
    strcpy(dir, "/tmp/nn-fetch-XXXXXX");
    ck_assert(mkdtemp(dir) != NULL);
    shell("mkdir %s/data %s/mirror && cp data/fetch.sh data/SHA256SUMS %s/data/", dir, dir, dir);
    if (!have_full_mnist()) return;
    for (size_t i = 0; i < FILE_COUNT; i++)
        if (absent == NULL || strcmp(FILES[i], absent) != 0)
            shell("ln data/%s %s/data/ 2>/dev/null || cp data/%s %s/data/", FILES[i], dir, FILES[i],
                  dir);
}

/* Puts the gzipped copy of data/`name` in the tree's mirror (with the full set present). */
static void mirror(const char *dir, const char *name)
{
    if (have_full_mnist()) shell("gzip -c data/%s >%s/mirror/%s.gz", name, dir, name);
}

static void remove_tree(const char *dir)
{
    shell("rm -rf '%s'", dir);
}

/* Runs the tree's fetch.sh from another folder, with the local mirror as the only source.
 * Fails if it hung (timeout's status 124). */
static char *run_fetch(const char *dir, int *status)
{
    char *out = run_joined(status,
                           "cd / && MNIST_SOURCES='file://%s/mirror/' MNIST_TIMEOUT=10 "
                           "timeout 20 sh %s/data/fetch.sh </dev/null",
                           dir, dir);
    ck_assert_msg(*status != 124, "fetch.sh hung (stopped after 20 s):\n%s", out);
    return out;
}

/* stat's mode of the tree's data/`name`, not following a symbolic link (0 if none). */
static mode_t mode_of(const char *dir, const char *name)
{
    char path[300];
    snprintf(path, sizeof path, "%s/data/%s", dir, name);
    struct stat st;
    return lstat(path, &st) == 0 ? st.st_mode : 0;
}

/* True when folder `path` holds nothing. */
static int empty_folder(const char *path)
{
    int status;
    char *out = run_joined(&status, "ls -A '%s'", path);
    int empty = status == 0 && out[0] == '\0';
    free(out);
    return empty;
}

/* Fails unless `out` refuses the tree's data/`name` as `what` and says how to clear it. */
static void assert_refused(const char *out, int status, const char *name, const char *what)
{
    char expected[300];
    snprintf(expected, sizeof expected, "data: data/%s is %s, not the MNIST file", name, what);
    ck_assert_msg(status == 1, "fetch.sh exited with %d, not 1:\n%s", status, out);
    ck_assert_msg(strstr(out, expected) != NULL, "no \"%s\" in:\n%s", expected, out);
    ck_assert_msg(strstr(out, "Remove it (rm ") != NULL, "no way out in:\n%s", out);
    ck_assert_msg(strstr(out, "verified") == NULL, "something verified in:\n%s", out);
}

/* ---- what works ------------------------------------------------------------------------------ */

START_TEST(good_files_are_verified_and_kept)
{
    char dir[32];
    make_tree(dir, NULL);
    int status;
    char *out = run_fetch(dir, &status);
    if (have_full_mnist()) {
        ck_assert_msg(status == 0, "%s", out);
        ck_assert_str_eq(out, "data: the four MNIST files are in data/ and verified\n");
    } else {
        /* Nothing here and nothing in the mirror: the files, not the list, are what is missing. */
        ck_assert_msg(status == 1, "%s", out);
        ck_assert_msg(strstr(out, "could not get") != NULL, "%s", out);
        ck_assert_msg(strstr(out, "SHA256SUMS is") == NULL, "%s", out);
    }
    free(out);
    remove_tree(dir);
}
END_TEST

START_TEST(a_missing_file_comes_from_a_mirror)
{
    if (!have_full_mnist()) return; /* its sum is the full set's: nothing else would verify */
    if (system("command -v curl >/dev/null 2>&1") != 0) return; /* wget reads no file:// URL */
    char dir[32];
    make_tree(dir, "train-labels-idx1-ubyte");
    mirror(dir, "train-labels-idx1-ubyte");
    int status;
    char *out = run_fetch(dir, &status);
    ck_assert_msg(status == 0, "%s", out);
    ck_assert_msg(strstr(out, "data: data/train-labels-idx1-ubyte, from file://") != NULL &&
                      strstr(out, "/mirror/, verified\n") != NULL,
                  "%s", out);
    free(out);
    ck_assert(S_ISREG(mode_of(dir, "train-labels-idx1-ubyte")));
    shell("cmp data/train-labels-idx1-ubyte %s/data/train-labels-idx1-ubyte", dir);
    shell("! ls -A %s/data | grep -q '^\\.tmp'", dir); /* the temporary folder is gone */
    remove_tree(dir);
}
END_TEST

/* ---- what is in the way ---------------------------------------------------------------------- */

START_TEST(a_folder_in_a_files_place_is_refused)
{
    char dir[32], folder[300];
    make_tree(dir, "train-labels-idx1-ubyte");
    mirror(dir, "train-labels-idx1-ubyte");
    snprintf(folder, sizeof folder, "%s/data/train-labels-idx1-ubyte", dir);
    ck_assert_int_eq(mkdir(folder, 0755), 0);
    int status;
    char *out = run_fetch(dir, &status);
    assert_refused(out, status, "train-labels-idx1-ubyte", "a folder");
    ck_assert_msg(strstr(out, "rm -r data/train-labels-idx1-ubyte") != NULL, "%s", out);
    free(out);
    /* The old script moved the download into the folder and called it verified. */
    ck_assert_msg(empty_folder(folder), "fetch.sh put something into %s", folder);
    remove_tree(dir);
}
END_TEST

START_TEST(a_fifo_in_a_files_place_is_refused_without_waiting)
{
    char dir[32], fifo[300];
    make_tree(dir, "t10k-labels-idx1-ubyte");
    mirror(dir, "t10k-labels-idx1-ubyte");
    snprintf(fifo, sizeof fifo, "%s/data/t10k-labels-idx1-ubyte", dir);
    ck_assert_int_eq(mkfifo(fifo, 0644), 0);
    int status;
    char *out = run_fetch(dir, &status); /* reading the FIFO would wait for a writer for ever */
    assert_refused(out, status, "t10k-labels-idx1-ubyte", "a FIFO (a named pipe)");
    free(out);
    ck_assert_msg(S_ISFIFO(mode_of(dir, "t10k-labels-idx1-ubyte")), "the FIFO was replaced");
    remove_tree(dir);
}
END_TEST

START_TEST(a_symbolic_link_in_a_files_place_is_refused)
{
    char dir[32], target[300], link[300];
    make_tree(dir, "train-labels-idx1-ubyte");
    mirror(dir, "train-labels-idx1-ubyte");
    snprintf(target, sizeof target, "%s/elsewhere", dir);
    snprintf(link, sizeof link, "%s/data/train-labels-idx1-ubyte", dir);
    ck_assert_int_eq(mkdir(target, 0755), 0);
    ck_assert_int_eq(symlink(target, link), 0);
    int status;
    char *out = run_fetch(dir, &status);
    assert_refused(out, status, "train-labels-idx1-ubyte", "a symbolic link");
    free(out);
    ck_assert_msg(S_ISLNK(mode_of(dir, "train-labels-idx1-ubyte")), "the link was replaced");
    ck_assert_msg(empty_folder(target), "fetch.sh put something where the link points");
    remove_tree(dir);
}
END_TEST

START_TEST(everything_in_the_way_is_named_at_once)
{
    char dir[32], path[300];
    make_tree(dir, NULL);
    shell("cd %s/data && rm -f train-images-idx3-ubyte t10k-images-idx3-ubyte && "
          "mkdir train-images-idx3-ubyte && ln -s /nowhere t10k-images-idx3-ubyte",
          dir);
    snprintf(path, sizeof path, "%s/data/train-images-idx3-ubyte", dir);
    int status;
    char *out = run_fetch(dir, &status);
    assert_refused(out, status, "train-images-idx3-ubyte", "a folder");
    assert_refused(out, status, "t10k-images-idx3-ubyte", "a symbolic link");
    free(out);
    remove_tree(dir);
}
END_TEST

/* ---- a damaged list of sums ------------------------------------------------------------------ */

/* Damages the tree's SHA256SUMS with the shell command `damage` (run in <tmp>/data/), runs
 * fetch.sh, and checks that the list, not the files, is blamed and that `why` is said. */
static void check_damaged_sums(const char *damage, const char *why)
{
    char dir[32];
    make_tree(dir, NULL);
    shell("cd %s/data && %s", dir, damage);
    int status;
    char *out = run_fetch(dir, &status);
    ck_assert_msg(status == 1, "after `%s`, fetch.sh exited with %d:\n%s", damage, status, out);
    ck_assert_msg(strstr(out, "data: data/SHA256SUMS is damaged") != NULL, "after `%s`:\n%s",
                  damage, out);
    ck_assert_msg(strstr(out, why) != NULL, "after `%s`, no \"%s\" in:\n%s", damage, why, out);
    ck_assert_msg(strstr(out, "does not match") == NULL && strstr(out, "trying") == NULL,
                  "after `%s`, the data files were blamed or fetched again:\n%s", damage, out);
    free(out);
    if (have_full_mnist())
        for (size_t i = 0; i < FILE_COUNT; i++)
            shell("cmp data/%s %s/data/%s", FILES[i], dir, FILES[i]); /* left as they were */
    remove_tree(dir);
}

START_TEST(a_sum_with_a_wrong_digit_is_blamed_on_the_list)
{
    check_damaged_sums("sed -i '2s/^f/e/' SHA256SUMS", "for line 2, where this script expects");
}
END_TEST

START_TEST(a_list_cut_short_is_blamed_on_the_list)
{
    check_damaged_sums("head -n 2 SHA256SUMS >x && mv x SHA256SUMS", "ends after line 2");
    check_damaged_sums(": >SHA256SUMS", "ends after line 0");
}
END_TEST

START_TEST(a_list_with_windows_line_endings_is_blamed_on_the_list)
{
    check_damaged_sums("sed -i 's/$/\\r/' SHA256SUMS", "Windows line endings");
}
END_TEST

START_TEST(a_fifo_in_place_of_the_list_is_not_read)
{
    check_damaged_sums("rm SHA256SUMS && mkfifo SHA256SUMS", "not a regular file");
}
END_TEST

Suite *suite_02_fetch(void);
Suite *suite_02_fetch(void)
{
    Suite *s = suite_create("02 fetch");
    TCase *works = tcase_create("works");
    tcase_set_timeout(works, 60);
    tcase_add_test(works, good_files_are_verified_and_kept);
    tcase_add_test(works, a_missing_file_comes_from_a_mirror);
    suite_add_tcase(s, works);
    TCase *refusals = tcase_create("refusals");
    tcase_set_timeout(refusals, 60);
    tcase_add_test(refusals, a_folder_in_a_files_place_is_refused);
    tcase_add_test(refusals, a_fifo_in_a_files_place_is_refused_without_waiting);
    tcase_add_test(refusals, a_symbolic_link_in_a_files_place_is_refused);
    tcase_add_test(refusals, everything_in_the_way_is_named_at_once);
    tcase_add_test(refusals, a_sum_with_a_wrong_digit_is_blamed_on_the_list);
    tcase_add_test(refusals, a_list_cut_short_is_blamed_on_the_list);
    tcase_add_test(refusals, a_list_with_windows_line_endings_is_blamed_on_the_list);
    tcase_add_test(refusals, a_fifo_in_place_of_the_list_is_not_read);
    suite_add_tcase(s, refusals);
    return s;
}
