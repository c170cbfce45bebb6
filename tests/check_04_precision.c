/* check_04_precision.c: the gradient check in the precision of the build (float by default,
 * REAL=double too), as make gradcheck's second table runs it.
 *
 * Grading runs in double (check_04_gradients.c). A float build has its own policy
 * (lib/gradcheck.h: h = 1e-2, thresholds 1e-3, agreement to float precision), under which the
 * library's backward pass must pass every formula on the chapter's problems, and a formula off
 * by a factor must still be caught. */
#include <check.h>
#include <stdio.h>

#include "backprop.h"
#include "backprop_check.h"
#include "support/check_problems.h"
#include "support/testkit.h"

static const Shape shapes[] = {{1, 5, 4, 3, 3}, {4, 3, 7, 10, 5}, {7, 8, 2, 2, 4}};

START_TEST(every_formula_agrees_to_the_builds_precision)
{
    char shape[128], what[256];
    snprintf(what, sizeof what, "every formula in %s, on %s", REAL_NAME,
             shape_text(&shapes[_i], shape, sizeof shape));
    CheckProblem *p = problem_of(&shapes[_i]);
    GradCheck result[CHECK_FORMULAS];
    testkit_guard_bugs(what);
    backprop_check(result, p, backprop);
    testkit_unguard_bugs();
    check_problem_free(p);
    for (int i = 0; i < CHECK_FORMULAS; i++) {
        char verdict[VERDICT];
        gradcheck_describe(&result[i], verdict, sizeof verdict);
        ck_assert_msg(result[i].passed, "%s: %s: %s", what, CHECK_FORMULA_NAMES[i], verdict);
    }
}
END_TEST

/* db1 twice as large as it should be: caught, whatever the precision. */
static void backprop_db1_doubled(Grads *g, const Net *net, const Forward *f, const Matrix *X,
                                 const Matrix *Y)
{
    backprop(g, net, f, X, Y);
    mat_scale(g->db1, 2);
}

START_TEST(a_formula_off_by_a_factor_is_caught)
{
    CheckProblem *p = problem_of(&shapes[0]);
    GradCheck result[CHECK_FORMULAS];
    testkit_guard_bugs("db1 doubled");
    backprop_check(result, p, backprop_db1_doubled);
    testkit_unguard_bugs();
    check_problem_free(p);
    char verdict[VERDICT];
    gradcheck_describe(&result[CHECK_db1], verdict, sizeof verdict);
    ck_assert_msg(!result[CHECK_db1].passed, "db1 doubled passed in %s: %s", REAL_NAME, verdict);
}
END_TEST

Suite *suite_04_precision(void);
Suite *suite_04_precision(void)
{
    Suite *s = suite_create("04 precision");
    TCase *tc = tcase_create("the build's precision");
    tcase_add_loop_test(tc, every_formula_agrees_to_the_builds_precision, 0,
                        sizeof shapes / sizeof shapes[0]);
    tcase_add_test(tc, a_formula_off_by_a_factor_is_caught);
    suite_add_tcase(s, tc);
    return s;
}
