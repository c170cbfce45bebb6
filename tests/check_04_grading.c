/* check_04_grading.c: STUDENT_<module>=<file>, the instructor's way in (mk/student.mk).
 *
 * A grade must not be wrong by accident: a misspelt module, a module the chosen chapters do not
 * test, or a missing file is refused before anything is built, in one line saying why; a file
 * whose path holds spaces is graded; a submission deleted after its grading does not break the
 * next one; a class is graded at once (make grade). Each make runs apart from the one running these
 * tests, in a build folder of its own; inside a class's grading (NN_GRADING), they stand aside. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/testkit.h"

static const struct {
    const char *arguments, *says;
} refusals[] = {
    {"STUDENT_backpropp=lib/backprop.c", "STUDENT_backpropp: lib/ has no module \"backpropp\"; "
                                         "did you mean backprop, backprop_check?"},
    {"STUDENT_Backprop=lib/backprop.c", "lib/ has no module \"Backprop\"; did you mean backprop"},
    {"STUDENT_backprop.c=lib/backprop.c",
     "lib/ has no module \"backprop.c\"; did you mean backprop"},
    {"CH=04 STUDENT_layer=lib/layer.c", "STUDENT_layer: lib/layer.c comes in chapter 06, and CH=04 "
                                        "tests chapters 01 to 04 only: use CH=06 or later"},
    {"STUDENT_backprop=/nonexistent/backprop.c",
     "STUDENT_backprop=/nonexistent/backprop.c: no such "
     "readable file"},
    {"STUDENT_backprop=", "STUDENT_backprop is empty: give the student's file"},
};

START_TEST(a_grading_that_cannot_be_right_is_refused_before_building)
{
    char build[TESTKIT_DIR], arguments[256];
    testkit_make_dir(build, "grading");
    snprintf(arguments, sizeof arguments, "-n test %s", refusals[_i].arguments);
    int status;
    char *said = run_make(build, arguments, &status);
    ck_assert_msg(status != 0 && strstr(said, refusals[_i].says) != NULL,
                  "make %s exited with %d, saying:\n%s", arguments, status, said);
    ck_assert_msg(strstr(said, "CC ") == NULL, "make %s built something:\n%s", arguments, said);
    free(said);
    testkit_remove_dir(build);
}
END_TEST

/* Grades a copy of lib/matrix.c at a path with a space, deletes it, grades another copy: both
 * pass, and the second finds no trace of the first's path. */
START_TEST(a_path_with_spaces_grades_and_a_deleted_submission_leaves_no_trace)
{
    char build[TESTKIT_DIR], first[128], second[128], arguments[512], command[512];
    testkit_make_dir(build, "grading");
    snprintf(first, sizeof first, "%s/alice smith.c", build);
    snprintf(second, sizeof second, "%s/bob.c", build);
    snprintf(command, sizeof command, "cp '%s'/lib/matrix.c '%s'", NN_SOURCE_DIR, first);
    ck_assert_int_eq(system(command), 0);
    snprintf(arguments, sizeof arguments, "run-tests CH=01 STUDENT_matrix='%s'", first);
    int status;
    char *said = run_make(build, arguments, &status);
    ck_assert_msg(status == 0 && strstr(said, "Failures: 0"), "make %s:\n%s", arguments, said);
    free(said);
    ck_assert_int_eq(rename(first, second), 0); /* the first submission is gone */
    snprintf(arguments, sizeof arguments, "run-tests CH=01 STUDENT_matrix='%s'", second);
    said = run_make(build, arguments, &status);
    ck_assert_msg(status == 0 && strstr(said, "No rule") == NULL && strstr(said, "Failures: 0"),
                  "make %s:\n%s", arguments, said);
    free(said);
    testkit_remove_dir(build);
}
END_TEST

/* A backprop whose dW1 product has the wrong shapes (dZ1 · X for dZ1 · Xᵀ): each check fails
 * naming its formula and the shapes that did not fit; none aborts without a word. */
START_TEST(a_shape_mistake_fails_its_checks_naming_the_shapes)
{
    char build[TESTKIT_DIR], student[128], arguments[512], command[512];
    testkit_make_dir(build, "grading");
    snprintf(student, sizeof student, "%s/backprop.c", build);
    snprintf(
        command, sizeof command,
        "sed 's/mat_mul_nt(g->dW1, g->dZ1, X);/mat_mul(g->dW1, g->dZ1, X);/' '%s'/lib/backprop.c "
        "> '%s'",
        NN_SOURCE_DIR, student);
    ck_assert_int_eq(system(command), 0);
    snprintf(arguments, sizeof arguments,
             "%s/tests/gradients-double-ch04 CH=04 STUDENT_backprop='%s' "
             "&& '%s'/tests/gradients-double-ch04",
             build, student, build);
    int status;
    char *said = run_make(build, arguments, &status);
    ck_assert_msg(status != 0 &&
                      strstr(said, "db1 = (1/m) Σ dZ1, on seed 1, 5 inputs, 4 hidden, "
                                   "3 classes, m = 3: the backward pass stopped: bug in "
                                   "mat_mul: C (4×5) = A (4×3) · B (5×3): shapes do not fit") &&
                      strstr(said, "Errors: 0") && !strstr(said, "signal"),
                  "make %s exited with %d, saying:\n%s", arguments, status, said);
    free(said);
    testkit_remove_dir(build);
}
END_TEST

/* make grade on the example class in tests/grading/class: one row per student, as each deserves
 * (alice right, with a helper's warning; bob's db1 without 1/m; carol's shape mistake; dave's
 * weight decay on the biases too, graded with chapter 07's checks; erin's file that does not
 * compile), a verdict for each formula of the gradient checks, "-" for those of chapters the
 * submission does not reach. The checks and passed counts, which grow with the suites, and the
 * seconds, last, are not compared. */
START_TEST(a_class_is_graded_each_submission_apart)
{
    static const char header[] = "student,modules,chapter,built,checks,passed,failed,errors,"
                                 "dZ2,dW2,db2,dZ1,dW1,db1,deep_dW_db,deep_is_05,decay_dW,decay_db,"
                                 "decay_penalty,dropout_dA,dropout_decay,warnings,seconds";
    /* clang-format off */
    static const char *const rows[] = {
        header,
        "alice,backprop,04,yes,", ",0,0,pass,pass,pass,pass,pass,pass,-,-,-,-,-,-,-,1,",
        "bob,backprop,04,yes,", ",0,pass,pass,pass,pass,pass,fail,-,-,-,-,-,-,-,0,",
        "carol,backprop,04,yes,", ",0,fail,fail,fail,fail,fail,fail,-,-,-,-,-,-,-,0,",
        "dave,weight_decay,07,yes,",
        ",0,pass,pass,pass,pass,pass,pass,pass,pass,pass,fail,pass,pass,fail,0,",
        "erin,backprop,04,no,0,0,0,0,-,-,-,-,-,-,-,-,-,-,-,-,-,0,",
    };
    /* clang-format on */
    char build[TESTKIT_DIR], csv[128];
    testkit_make_dir(build, "grading");
    int status;
    char *said = run_make(build, "grade SUBMISSIONS=tests/grading/class", &status);
    ck_assert_msg(status == 0 && strstr(said, "graded 5 submissions"), "make grade:\n%s", said);
    free(said);
    snprintf(csv, sizeof csv, "%s/grade/grades.csv", build);
    char *text = read_text_file(csv);
    ck_assert_msg(text != NULL, "no %s", csv);
    const char *at = text;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        at = strstr(at, rows[i]);
        ck_assert_msg(at != NULL, "no \"%s\" where expected in:\n%s", rows[i], text);
        at += strlen(rows[i]);
    }
    free(text);
    testkit_remove_dir(build);
}
END_TEST

Suite *suite_04_grading(void);
Suite *suite_04_grading(void)
{
    Suite *s = suite_create("04 grading");
    TCase *tc = tcase_create("STUDENT_");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, a_grading_that_cannot_be_right_is_refused_before_building, 0,
                        sizeof refusals / sizeof refusals[0]);
    tcase_add_test(tc, a_path_with_spaces_grades_and_a_deleted_submission_leaves_no_trace);
    tcase_add_test(tc, a_shape_mistake_fails_its_checks_naming_the_shapes);
    tcase_add_test(tc, a_class_is_graded_each_submission_apart);
    if (getenv("NN_GRADING") == NULL) suite_add_tcase(s, tc); /* not inside a class's grading */
    return s;
}
