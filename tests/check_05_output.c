/* check_05_output.c: files written whole or not at all (lib/output.h).
 *
 * A file appears at its path only when closed, whole; given up, it leaves the
 * earlier file and no temporary file; a published log is at its path at once
 * and grows there; impossible paths are refused before anything is written,
 * and so is a path naming a file the program read. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "output.h"
#include "support/testkit.h"

/* Writes text at path through an Output, closed or given up. */
static int write_text(const char *path, const char *text, int keep, NnError *err)
{
    Output o;
    if (output_open(&o, path, err) != 0) return -1;
    fputs(text, o.out);
    if (keep) return output_close(&o, err);
    output_abandon(&o);
    return 0;
}

START_TEST(a_closed_file_is_at_its_path_and_nothing_else_is_left)
{
    char dir[TESTKIT_DIR], path[64];
    testkit_make_dir(dir, "output");
    snprintf(path, sizeof path, "%s/a.txt", dir);
    NnError err;
    ck_assert_msg(write_text(path, "one\n", 1, &err) == 0, "%s", err.message);
    char *text = read_text_file(path);
    ck_assert_str_eq(text, "one\n");
    ck_assert_uint_eq(testkit_entries(dir), 1);
    free(text);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_file_given_up_leaves_the_earlier_one)
{
    char dir[TESTKIT_DIR], path[64];
    testkit_make_dir(dir, "output");
    snprintf(path, sizeof path, "%s/a.txt", dir);
    NnError err;
    ck_assert(write_text(path, "earlier\n", 1, &err) == 0);
    ck_assert(write_text(path, "later, given up\n", 0, &err) == 0);
    char *text = read_text_file(path);
    ck_assert_str_eq(text, "earlier\n");
    ck_assert_uint_eq(testkit_entries(dir), 1);
    free(text);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_published_file_is_at_its_path_while_it_grows)
{
    char dir[TESTKIT_DIR], path[64];
    testkit_make_dir(dir, "output");
    snprintf(path, sizeof path, "%s/log.tsv", dir);
    NnError err;
    Output o;
    ck_assert(output_open(&o, path, &err) == 0);
    fputs("header\n", o.out);
    ck_assert_msg(output_publish(&o, &err) == 0, "%s", err.message);
    char *text = read_text_file(path);
    ck_assert_str_eq(text, "header\n");
    free(text);
    fputs("line\n", o.out);
    ck_assert(output_close(&o, &err) == 0);
    text = read_text_file(path);
    ck_assert_str_eq(text, "header\nline\n");
    ck_assert_uint_eq(testkit_entries(dir), 1);
    free(text);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(impossible_paths_are_refused_before_writing)
{
    char dir[TESTKIT_DIR], missing[64];
    testkit_make_dir(dir, "output");
    snprintf(missing, sizeof missing, "%s/no/a.txt", dir);
    NnError err;
    ck_assert_int_eq(output_check("", &err), -1);
    ck_assert_msg(strstr(err.message, "the path is empty"), "%s", err.message);
    ck_assert_int_eq(output_check(dir, &err), -1);
    ck_assert_msg(strstr(err.message, "a folder is there, not a file"), "%s", err.message);
    ck_assert_int_eq(output_check(missing, &err), -1);
    ck_assert_msg(strstr(err.message, "cannot create a file in the folder") &&
                      strstr(err.message, "No such file or directory"),
                  "%s", err.message);
    ck_assert_uint_eq(testkit_entries(dir), 0); /* the checks leave nothing behind */
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_file_the_program_read_is_never_written_over)
{
    char dir[TESTKIT_DIR], path[64], link[64];
    testkit_make_dir(dir, "output");
    snprintf(path, sizeof path, "%s/input", dir);
    snprintf(link, sizeof link, "%s/link.tsv", dir);
    NnError err;
    ck_assert(write_text(path, "data\n", 1, &err) == 0);
    ck_assert_int_eq(symlink("input", link), 0);
    ck_assert_int_eq(output_not_an_input(path, &err), 0); /* not read yet */
    uintmax_t length;
    FILE *in = file_open_input(path, "a test file", &length, &err);
    ck_assert_msg(in != NULL, "%s", err.message);
    fclose(in);
    ck_assert_int_eq(write_text(path, "over it\n", 1, &err), -1);
    ck_assert_msg(strstr(err.message, "this run reads that file"), "%s", err.message);
    ck_assert_int_eq(write_text(link, "through a link\n", 1, &err), -1);
    char *text = read_text_file(path);
    ck_assert_str_eq(text, "data\n");
    free(text);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(the_same_file_is_known_by_any_of_its_names)
{
    char dir[TESTKIT_DIR], a[64], b[64], dotted[80], link[64];
    testkit_make_dir(dir, "output");
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    snprintf(dotted, sizeof dotted, "%s/./a", dir);
    snprintf(link, sizeof link, "%s/l", dir);
    ck_assert(output_same_file(a, dotted)); /* neither exists: the same folder and name */
    ck_assert(!output_same_file(a, b));
    NnError err;
    ck_assert(write_text(a, "x\n", 1, &err) == 0);
    ck_assert_int_eq(symlink("a", link), 0);
    ck_assert(output_same_file(link, a)); /* through the link */
    ck_assert(!output_same_file(link, b));
    testkit_remove_dir(dir);
}
END_TEST

Suite *suite_05_output(void);
Suite *suite_05_output(void)
{
    Suite *s = suite_create("05 output");
    TCase *tc = tcase_create("output");
    tcase_add_test(tc, a_closed_file_is_at_its_path_and_nothing_else_is_left);
    tcase_add_test(tc, a_file_given_up_leaves_the_earlier_one);
    tcase_add_test(tc, a_published_file_is_at_its_path_while_it_grows);
    tcase_add_test(tc, impossible_paths_are_refused_before_writing);
    tcase_add_test(tc, a_file_the_program_read_is_never_written_over);
    tcase_add_test(tc, the_same_file_is_known_by_any_of_its_names);
    suite_add_tcase(s, tc);
    return s;
}
