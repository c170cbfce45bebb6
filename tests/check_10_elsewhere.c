/* check_10_elsewhere.c: the programs carry no path of the source tree. They find data/,
 * plots/ and build/ in the folder they run in (the top of the source tree, where make and the
 * lessons run them), or where their flags say; run from anywhere else, each says what it could not
 * find and how to run it, and exits with status 1. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/testkit.h"

/* Every program that reads MNIST (ch09-speed too, but only after a minute of timings). */
static const char *const readers[] = {
    "ch02-forward-pass",    "ch03-softmax",           "ch05-sgd",         "ch06-deeper",
    "ch07-better-training", "ch08-using-the-network", "ch10-convolution", "train"};

START_TEST(a_reader_run_elsewhere_says_where_to_run_it)
{
    char dir[TESTKIT_DIR], says[256];
    testkit_make_dir(dir, "where");
    int status;
    char *out = run_joined(&status, "cd %s && '%s'/%s", dir, NN_BUILD_DIR, readers[_i]);
    snprintf(says, sizeof says,
             "%s: data: no such folder in %s: run the program from the top of the source tree",
             readers[_i], dir);
    ck_assert_msg(status == 1 && strstr(out, says) != NULL,
                  "%s, run in %s, exited with %d, saying:\n%s\nnot:\n%s", readers[_i], dir, status,
                  out, says);
    free(out);
    ck_assert_uint_eq(testkit_entries(dir), 0); /* and wrote nothing */
    testkit_remove_dir(dir);
}
END_TEST

/* Given --data, a program trains from anywhere: its log goes to build/logs/ where it runs, as it
 * says; the curve it cannot draw without plots/ is named, and the run still succeeds. */
START_TEST(a_program_given_its_data_runs_anywhere_and_logs_there)
{
    char dir[TESTKIT_DIR], log[TESTKIT_DIR + 32];
    testkit_make_dir(dir, "where");
    int status;
    char *out = run_joined(&status,
                           "cd %s && '%s'/ch05-sgd --data '%s'/data/sample --hidden 4 --epochs 1 "
                           "--curve always",
                           dir, NN_BUILD_DIR, NN_SOURCE_DIR);
    ck_assert_msg(status == 0 && strstr(out, "\nlog: build/logs/ch05.tsv\n") != NULL &&
                      strstr(out, "(no loss curve: there is no plots/loss-dumb.gp here; run the "
                                  "program from the top of the source tree)") != NULL,
                  "ch05-sgd, run in %s, exited with %d, saying:\n%s", dir, status, out);
    free(out);
    snprintf(log, sizeof log, "%s/build/logs/ch05.tsv", dir);
    ck_assert_msg(access(log, R_OK) == 0, "no %s", log);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(predict_run_elsewhere_names_the_model_it_looked_for)
{
    char dir[TESTKIT_DIR];
    testkit_make_dir(dir, "where");
    int status;
    char *out = run_joined(&status,
                           "cd %s && '%s'/predict '%s'/chapters/08-using-the-network/"
                           "digits/3.pgm",
                           dir, NN_BUILD_DIR, NN_SOURCE_DIR);
    ck_assert_msg(status == 1 && strstr(out, "predict: build/model.nn: cannot open it") != NULL,
                  "predict, run in %s, exited with %d, saying:\n%s", dir, status, out);
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

/* Outside its debugging information (which names the folder it was compiled in, for a
 * debugger), no program holds the source tree's path: strip removes that information. */
START_TEST(no_program_holds_the_source_path)
{
    char dir[TESTKIT_DIR];
    testkit_make_dir(dir, "where");
    int status;
    char *out = run_joined(&status,
                           "for p in '%s'/ch[0-9][0-9]-* '%s'/predict '%s'/train; do "
                           "strip -o %s/stripped \"$p\" && "
                           "grep -q -a -F '%s' %s/stripped && echo \"$p\"; done; true",
                           NN_BUILD_DIR, NN_BUILD_DIR, NN_BUILD_DIR, dir, NN_SOURCE_DIR, dir);
    ck_assert_msg(status == 0 && out[0] == '\0', "these programs hold %s:\n%s", NN_SOURCE_DIR, out);
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

Suite *suite_10_elsewhere(void);
Suite *suite_10_elsewhere(void)
{
    Suite *s = suite_create("10 elsewhere");
    TCase *tc = tcase_create("programs");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, a_reader_run_elsewhere_says_where_to_run_it, 0,
                        sizeof readers / sizeof readers[0]);
    tcase_add_test(tc, a_program_given_its_data_runs_anywhere_and_logs_there);
    tcase_add_test(tc, predict_run_elsewhere_names_the_model_it_looked_for);
    tcase_add_test(tc, no_program_holds_the_source_path);
    suite_add_tcase(s, tc);
    return s;
}
