/* check_04_gradients.c: chapter 04's gradient checks, the suite instructors
 * grade a student's lib/backprop.c with.
 *
 * It checks, under the policy of lib/gradcheck.h (centred differences in
 * double, thresholds GRADCHECK_SMOOTH_TOL and GRADCHECK_KINK_TOL):
 *  - each of the six formulas of backprop (backprop.h) against the numeric
 *    gradient, on several tiny networks, m = 1 and one hidden unit included;
 *  - the pieces they are derived from: the softmax Jacobian, the chain
 *    Jᵀ·(-y/a) = a - y of softmax with cross-entropy, the ReLU derivative,
 *    and the 1/m of the mean loss;
 *  - the checker itself (gradcheck.h): known values, and that a check which
 *    saw only zeros fails.
 * That the check has teeth (deliberately wrong backward passes) is
 * check_04_checker.c's, which always runs on the library's own code.
 * Every failure names the tensor, the index, both values and the relative
 * error. It always builds in double. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "backprop.h"
#include "backprop_check.h"
#include "gradcheck.h"
#include "loss.h"
#include "net.h"
#include "relu.h"
#include "rng.h"
#include "softmax.h"
#include "support/check_problems.h"
#include "support/testkit.h"

#ifndef NN_REAL_DOUBLE
#error "the gradient checks need double: build with -DNN_REAL_DOUBLE (REAL=double)"
#endif

/* How closely two computations of one number agree when they differ only in
 * rounding (a sum in another order, a product through a Jacobian), or when
 * one is the centred difference of t³, whose error is exactly h² = 1e-10. */
#define CLOSE_TOL 1e-9

/* m = 1, one hidden unit, more classes than hidden units and the reverse.
 * The seeds give every problem pre-activations Z1 of both signs, so that
 * ReLU' matters (problems_exercise_both_sides_of_relu says so). With seed 2
 * the one hidden unit of {5, 1, 3, 2} is dead on both examples: the layer-1
 * checks, rightly, find nothing to check (all zero) and fail. */
static const Shape shapes[] = {
    {1, 5, 4, 3, 3}, {6, 5, 1, 3, 2}, {3, 6, 7, 4, 1}, {4, 3, 7, 10, 5}, {7, 8, 2, 2, 4},
};
enum { SHAPES = sizeof shapes / sizeof shapes[0] };

/* ---- 1. The six formulas of backprop (lib/backprop.c, or a student's) ---- */

/* Runs backprop_check on backprop and asserts one formula. */
static void check_formula(int formula, const Shape *s)
{
    char verdict[VERDICT], shape[128], what[256];
    snprintf(what, sizeof what, "%s, on %s", CHECK_FORMULA_NAMES[formula],
             shape_text(s, shape, sizeof shape));
    CheckProblem *p = problem_of(s);
    GradCheck result[CHECK_FORMULAS];
    testkit_guard_bugs(what);
    backprop_check(result, p, backprop);
    testkit_unguard_bugs();
    check_problem_free(p);
    gradcheck_describe(&result[formula], verdict, sizeof verdict);
    ck_assert_msg(result[formula].passed, "%s: %s", what, verdict);
}

/* A problem whose Z1 is all positive (or all negative) would let a missing
 * ReLU' through: the check must see both sides of the kink. */
START_TEST(problems_exercise_both_sides_of_relu)
{
    const Shape *s = &shapes[_i];
    CheckProblem *p = problem_of(s);
    size_t positive = 0, n = p->f->Z1->rows * p->f->Z1->cols;
    for (size_t i = 0; i < n; i++) positive += p->f->Z1->data[i] > 0;
    check_problem_free(p);
    char shape[128];
    ck_assert_msg(positive > 0 && positive < n,
                  "%s: %zu of the %zu entries of Z1 are positive; pick a seed that gives both "
                  "signs, or ReLU' goes untested",
                  shape_text(s, shape, sizeof shape), positive, n);
}
END_TEST

START_TEST(dZ2_is_A2_minus_Y)
{
    check_formula(CHECK_dZ2, &shapes[_i]);
}
END_TEST

START_TEST(dW2_is_mean_dZ2_A1T)
{
    check_formula(CHECK_dW2, &shapes[_i]);
}
END_TEST

START_TEST(db2_is_mean_of_dZ2)
{
    check_formula(CHECK_db2, &shapes[_i]);
}
END_TEST

START_TEST(dZ1_is_W2T_dZ2_times_relu_prime)
{
    check_formula(CHECK_dZ1, &shapes[_i]);
}
END_TEST

START_TEST(dW1_is_mean_dZ1_XT)
{
    check_formula(CHECK_dW1, &shapes[_i]);
}
END_TEST

START_TEST(db1_is_mean_of_dZ1)
{
    check_formula(CHECK_db1, &shapes[_i]);
}
END_TEST

/* ---- 2. Softmax: its Jacobian, and the chain that gives dZ2 = A2 - Y ----- */

/* A column of n logits, uniform within 2 of `centre`: ±30 tests large ones. */
typedef struct {
    unsigned seed;
    size_t n;
    double centre;
} Logits;

static const Logits logits[] = {{1, 3, 0}, {2, 5, 0}, {3, 10, 0}, {4, 4, 30}, {5, 6, -30}};
enum { LOGITS = sizeof logits / sizeof logits[0] };

static Matrix *logits_new(const Logits *l)
{
    Rng rng;
    rng_seed(&rng, l->seed);
    Matrix *z = mat_new(l->n, 1);
    rng_fill_uniform(&rng, z, l->centre - 2, l->centre + 2);
    return z;
}

/* a_i = softmax(z)_i, one entry of the output, as a function of z. */
typedef struct {
    Matrix *z, *a;
    size_t i;
} SoftmaxEntry;

static double softmax_entry(void *ctx)
{
    SoftmaxEntry *e = ctx;
    softmax(e->a, e->z);
    return e->a->data[e->i];
}

START_TEST(softmax_jacobian_matches_numeric)
{
    const Logits *l = &logits[_i];
    Matrix *z = logits_new(l), *a = mat_new(l->n, 1), *J = mat_new(l->n, l->n);
    Matrix *J_i = mat_new(l->n, 1); /* row i of J, as a column shaped like z */
    softmax(a, z);
    softmax_jacobian(J, a);
    SoftmaxEntry e = {z, mat_new(l->n, 1), 0};
    char name[64], verdict[VERDICT] = "";
    int passed = 1;
    for (e.i = 0; e.i < l->n && passed; e.i++) {
        for (size_t j = 0; j < l->n; j++) J_i->data[j] = MAT_AT(J, e.i, j);
        snprintf(name, sizeof name, "row %zu of J, da_%zu/dz", e.i, e.i);
        GradCheck c = gradcheck_tensor(name, z, J_i, softmax_entry, &e, GRADCHECK_SMOOTH_TOL);
        gradcheck_describe(&c, verdict, sizeof verdict);
        passed = c.passed;
    }
    mat_free(z), mat_free(a), mat_free(J), mat_free(J_i), mat_free(e.a);
    ck_assert_msg(passed, "softmax_jacobian, %zu logits around %g (seed %u): %s", l->n, l->centre,
                  l->seed, verdict);
}
END_TEST

/* For L = -Σ y_i ln a_i, dL/da = -y/a, and the chain rule through softmax
 * gives dL/dz = Jᵀ·(-y/a) = a - y: the derivation of dZ2 = A2 - Y. */
START_TEST(softmax_cross_entropy_chain_gives_a_minus_y)
{
    const Logits *l = &logits[_i];
    Matrix *z = logits_new(l), *a = mat_new(l->n, 1), *J = mat_new(l->n, l->n);
    Matrix *y = mat_new(l->n, 1), *dL_da = mat_new(l->n, 1), *dL_dz = mat_new(l->n, 1);
    softmax(a, z);
    softmax_jacobian(J, a);
    for (size_t k = 0; k < l->n; k++) { /* each class as the label */
        mat_fill(y, 0);
        y->data[k] = 1;
        for (size_t i = 0; i < l->n; i++) dL_da->data[i] = -y->data[i] / a->data[i];
        mat_mul_tn(dL_dz, J, dL_da); /* dL/dz (n×1) = Jᵀ (n×n) · dL/da (n×1) */
        for (size_t i = 0; i < l->n; i++) {
            double chain = dL_dz->data[i], a_minus_y = a->data[i] - y->data[i];
            double e = gradcheck_relative_error(chain, a_minus_y);
            ck_assert_msg(e <= CLOSE_TOL,
                          "%zu logits around %g (seed %u), label %zu: (Jᵀ·(-y/a))[%zu] = %.10g "
                          "but (a - y)[%zu] = %.10g, relative error %.2e (threshold %.0e)",
                          l->n, l->centre, l->seed, k, i, chain, i, a_minus_y, e, CLOSE_TOL);
        }
    }
    mat_free(z), mat_free(a), mat_free(J), mat_free(y), mat_free(dL_da), mat_free(dL_dz);
}
END_TEST

/* ---- 3. The ReLU derivative ---------------------------------------------- */

/* L = Σ c ⊙ ReLU(Z): its gradient with respect to Z is c ⊙ ReLU'(Z). */
typedef struct {
    Matrix *Z, *c, *A;
} WeightedRelu;

static double weighted_relu_sum(void *ctx)
{
    WeightedRelu *w = ctx;
    relu(w->A, w->Z);
    double L = 0;
    for (size_t i = 0; i < w->Z->rows * w->Z->cols; i++) L += w->c->data[i] * w->A->data[i];
    return L;
}

static const size_t relu_shapes[][2] = {{4, 3}, {7, 5}, {2, 6}};

START_TEST(relu_backward_matches_numeric)
{
    size_t rows = relu_shapes[_i][0], cols = relu_shapes[_i][1];
    Rng rng;
    rng_seed(&rng, 40 + (uint64_t)_i);
    WeightedRelu w = {mat_new(rows, cols), mat_new(rows, cols), mat_new(rows, cols)};
    rng_fill_uniform(&rng, w.c, -1, 1);
    do rng_fill_uniform(&rng, w.Z, -1, 1); /* again, until no entry is near the kink */
    while (!gradcheck_clear_of_kink(w.Z, GRADCHECK_STEP));
    Matrix *dZ = mat_new(rows, cols);
    relu_backward(dZ, w.c, w.Z); /* dZ = c ⊙ ReLU'(Z) */
    GradCheck c = gradcheck_tensor("dL/dZ = c ⊙ ReLU'(Z)", w.Z, dZ, weighted_relu_sum, &w,
                                   GRADCHECK_KINK_TOL);
    mat_free(w.Z), mat_free(w.c), mat_free(w.A), mat_free(dZ);
    char verdict[VERDICT];
    gradcheck_describe(&c, verdict, sizeof verdict);
    ck_assert_msg(c.passed, "relu_backward on a %zu×%zu Z: %s", rows, cols, verdict);
}
END_TEST

/* ---- 4. The loss is a mean over the batch: the 1/m ----------------------- */

/* Column c of A, as a new (rows×1) matrix. */
static Matrix *column_of(const Matrix *A, size_t c)
{
    Matrix *col = mat_new(A->rows, 1);
    for (size_t r = 0; r < A->rows; r++) col->data[r] = MAT_AT(A, r, c);
    return col;
}

/* [A A]: a new (rows × 2·cols) matrix holding A's columns twice. */
static Matrix *twice(const Matrix *A)
{
    Matrix *AA = mat_new(A->rows, 2 * A->cols);
    for (size_t r = 0; r < A->rows; r++)
        for (size_t c = 0; c < A->cols; c++)
            MAT_AT(AA, r, c) = MAT_AT(AA, r, c + A->cols) = MAT_AT(A, r, c);
    return AA;
}

START_TEST(batch_loss_is_mean_of_example_losses)
{
    const Shape *s = &shapes[_i];
    CheckProblem *p = problem_of(s);
    double batch = cross_entropy(p->f->Z2, p->Y), sum = 0;
    for (size_t j = 0; j < s->m; j++) {
        Matrix *z = column_of(p->f->Z2, j), *y = column_of(p->Y, j);
        sum += cross_entropy(z, y);
        mat_free(z), mat_free(y);
    }
    check_problem_free(p);
    double mean = sum / (double)s->m, e = gradcheck_relative_error(batch, mean);
    char shape[128];
    ck_assert_msg(e <= CLOSE_TOL,
                  "%s: cross_entropy of the batch %.10g, mean of the %zu examples' losses "
                  "%.10g, relative error %.2e (threshold %.0e)",
                  shape_text(s, shape, sizeof shape), batch, s->m, mean, e, CLOSE_TOL);
}
END_TEST

/* Fails unless `once` and `doubled` agree entry by entry, up to rounding. */
static void assert_same_up_to_rounding(const char *name, const Matrix *once, const Matrix *doubled,
                                       const Shape *s)
{
    char shape[128];
    for (size_t r = 0; r < once->rows; r++)
        for (size_t c = 0; c < once->cols; c++) {
            double a = MAT_AT(once, r, c), b = MAT_AT(doubled, r, c);
            double e = gradcheck_relative_error(a, b);
            ck_assert_msg(e <= CLOSE_TOL,
                          "%s: %s[%zu][%zu] is %.10g for the batch and %.10g for the batch "
                          "twice over, relative error %.2e (threshold %.0e): a missing 1/m?",
                          shape_text(s, shape, sizeof shape), name, r, c, a, b, e, CLOSE_TOL);
        }
}

/* The same m examples taken twice are the same mean: same loss, same gradients. */
START_TEST(batch_twice_over_gives_same_loss_and_gradients)
{
    const Shape *s = &shapes[_i];
    char shape[128], what[256];
    snprintf(what, sizeof what, "the batch twice over, on %s", shape_text(s, shape, sizeof shape));
    testkit_guard_bugs(what);
    CheckProblem *p = problem_of(s);
    backprop(p->g, p->net, p->f, p->X, p->Y);
    Matrix *XX = twice(p->X), *YY = twice(p->Y);
    Forward *ff = forward_new(p->net, 2 * s->m);
    Grads *gg = grads_new(p->net, 2 * s->m);
    net_forward(p->net, XX, ff);
    softmax(ff->A2, ff->Z2);
    backprop(gg, p->net, ff, XX, YY);
    double L = cross_entropy(p->f->Z2, p->Y), LL = cross_entropy(ff->Z2, YY);
    double e = gradcheck_relative_error(L, LL);
    testkit_unguard_bugs();
    ck_assert_msg(e <= CLOSE_TOL,
                  "%s: the loss is %.10g for the batch and %.10g for the batch twice over, "
                  "relative error %.2e (threshold %.0e): not a mean?",
                  shape_text(s, shape, sizeof shape), L, LL, e, CLOSE_TOL);
    assert_same_up_to_rounding("dW2", p->g->dW2, gg->dW2, s);
    assert_same_up_to_rounding("db2", p->g->db2, gg->db2, s);
    assert_same_up_to_rounding("dW1", p->g->dW1, gg->dW1, s);
    assert_same_up_to_rounding("db1", p->g->db1, gg->db1, s);
    mat_free(XX), mat_free(YY);
    forward_free(ff), grads_free(gg), check_problem_free(p);
}
END_TEST

/* ---- 5. The checker itself ----------------------------------------------- */

START_TEST(relative_error_known_values)
{
    ck_assert_double_eq(gradcheck_relative_error(0.3, 0.3), 0);      /* equal */
    ck_assert_double_eq(gradcheck_relative_error(1e-13, -4e-13), 0); /* both "zero" */
    ck_assert_double_eq(gradcheck_relative_error(1, 2), 0.5);
    ck_assert_double_eq(gradcheck_relative_error(2, 1), 0.5);
    ck_assert_double_eq(gradcheck_relative_error(0.7, -0.7), 2); /* a sign flipped */
    ck_assert_double_eq(gradcheck_relative_error(0, 1e-3), 1);   /* a gradient forgotten */
}
END_TEST

/* L = Σ t³, whose gradient is 3t². */
static double sum_of_cubes(void *ctx)
{
    const Matrix *T = ctx;
    double L = 0;
    for (size_t i = 0; i < T->rows * T->cols; i++) L += pow(T->data[i], 3);
    return L;
}

static const real T_vals[] = {0.5, -1.25, 0.75, 1.5, -0.6, 1.1}; /* a 2×3 tensor */

/* analytic (2×3) = 3t², the right gradient of sum_of_cubes. */
static Matrix *three_t_squared(const Matrix *T)
{
    Matrix *G = mat_new(T->rows, T->cols);
    for (size_t i = 0; i < T->rows * T->cols; i++) G->data[i] = 3 * T->data[i] * T->data[i];
    return G;
}

START_TEST(numeric_derivative_of_sum_of_cubes)
{
    Matrix *T = mat_from(2, 3, T_vals);
    for (size_t i = 0; i < 6; i++) {
        double n = gradcheck_numeric(T, i, sum_of_cubes, T, GRADCHECK_STEP);
        double want = 3 * T_vals[i] * T_vals[i], e = gradcheck_relative_error(n, want);
        ck_assert_msg(e <= CLOSE_TOL,
                      "d(Σ t³)/dt[%zu]: numeric %.12g, 3t² = %.12g, relative error %.2e "
                      "(threshold %.0e)",
                      i, n, want, e, CLOSE_TOL);
        ck_assert_msg(memcmp(T->data, T_vals, sizeof T_vals) == 0,
                      "gradcheck_numeric left T changed after entry %zu", i);
    }
    mat_free(T);
}
END_TEST

START_TEST(clear_of_kink_cases)
{
    const double h = GRADCHECK_STEP; /* clear means at least 10·h = 1e-4 from 0 */
    const real clear[] = {0.5, -0.5, 2e-4, -2e-4}, near[][2] = {{0.5, 5e-5}, {-5e-5, 1}, {0, 1}};
    Matrix *Z = mat_from(2, 2, clear);
    ck_assert_msg(gradcheck_clear_of_kink(Z, h), "{0.5, -0.5, 2e-4, -2e-4} is clear of the kink");
    mat_free(Z);
    for (size_t k = 0; k < sizeof near / sizeof near[0]; k++) {
        Z = mat_from(1, 2, near[k]);
        ck_assert_msg(!gradcheck_clear_of_kink(Z, h), "{%g, %g} has an entry within 10·h of 0",
                      (double)near[k][0], (double)near[k][1]);
        mat_free(Z);
    }
}
END_TEST

START_TEST(tensor_check_of_nothing_fails)
{
    Matrix *T = mat_from(2, 3, T_vals), *U = mat_from(2, 3, T_vals), *zero = mat_new(2, 3);
    /* The loss reads U, never T: T's gradient is zero and nothing is checked. */
    GradCheck c = gradcheck_tensor("dT", T, zero, sum_of_cubes, U, GRADCHECK_SMOOTH_TOL);
    mat_free(T), mat_free(U), mat_free(zero);
    char verdict[VERDICT];
    gradcheck_describe(&c, verdict, sizeof verdict);
    ck_assert_msg(c.all_zero && !c.passed && c.checked == 6,
                  "a check that saw only zero gradients must fail as all_zero: all_zero %d, passed "
                  "%d, checked %zu; says \"%s\"",
                  c.all_zero, c.passed, c.checked, verdict);
    ck_assert_msg(strstr(verdict, "dT") && strstr(verdict, "FAIL") && strstr(verdict, "zero"),
                  "the verdict should name dT and say it failed on zeros: \"%s\"", verdict);
}
END_TEST

START_TEST(tensor_check_finds_the_wrong_entry)
{
    Matrix *T = mat_from(2, 3, T_vals), *G = three_t_squared(T);
    GradCheck right = gradcheck_tensor("dT", T, G, sum_of_cubes, T, GRADCHECK_SMOOTH_TOL);
    char verdict[VERDICT];
    gradcheck_describe(&right, verdict, sizeof verdict);
    ck_assert_msg(right.passed && right.checked == 6 && right.max_rel_error <= CLOSE_TOL,
                  "3t² is the gradient of Σ t³, yet: %s", verdict);

    double numeric = MAT_AT(G, 1, 2), analytic = 1.5 * numeric;
    MAT_AT(G, 1, 2) = analytic; /* one entry wrong: relative error 0.5 / 1.5 = 1/3 */
    GradCheck wrong = gradcheck_tensor("dT", T, G, sum_of_cubes, T, GRADCHECK_SMOOTH_TOL);
    mat_free(T), mat_free(G);
    gradcheck_describe(&wrong, verdict, sizeof verdict);
    ck_assert_msg(!wrong.passed && !wrong.all_zero, "dT[1][2] is off by half: %s", verdict);
    ck_assert_msg(wrong.worst_row == 1 && wrong.worst_col == 2, "worst should be [1][2]: %s",
                  verdict);
    ck_assert_msg(wrong.analytic == analytic &&
                      gradcheck_relative_error(wrong.numeric, numeric) <= CLOSE_TOL &&
                      fabs(wrong.max_rel_error - 1.0 / 3) <= CLOSE_TOL,
                  "expected analytic %.10g, numeric %.10g, relative error 1/3: %s", analytic,
                  numeric, verdict);
    ck_assert_msg(strstr(verdict, "dT") && strstr(verdict, "FAIL") && strstr(verdict, "[1][2]"),
                  "the verdict should name dT, FAIL and [1][2]: \"%s\"", verdict);
}
END_TEST

static TCase *tcase_new(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 60); /* each test takes milliseconds; sanitizers slow that down */
    return tc;
}

Suite *suite_04_gradients(void);
Suite *suite_04_gradients(void)
{
    Suite *s = suite_create("04 gradients");
    TCase *formulas = tcase_new("backprop formulas");
    tcase_add_loop_test(formulas, problems_exercise_both_sides_of_relu, 0, SHAPES);
    tcase_add_loop_test(formulas, dZ2_is_A2_minus_Y, 0, SHAPES);
    tcase_add_loop_test(formulas, dW2_is_mean_dZ2_A1T, 0, SHAPES);
    tcase_add_loop_test(formulas, db2_is_mean_of_dZ2, 0, SHAPES);
    tcase_add_loop_test(formulas, dZ1_is_W2T_dZ2_times_relu_prime, 0, SHAPES);
    tcase_add_loop_test(formulas, dW1_is_mean_dZ1_XT, 0, SHAPES);
    tcase_add_loop_test(formulas, db1_is_mean_of_dZ1, 0, SHAPES);
    suite_add_tcase(s, formulas);

    TCase *pieces = tcase_new("softmax, ReLU, mean");
    tcase_add_loop_test(pieces, softmax_jacobian_matches_numeric, 0, LOGITS);
    tcase_add_loop_test(pieces, softmax_cross_entropy_chain_gives_a_minus_y, 0, LOGITS);
    tcase_add_loop_test(pieces, relu_backward_matches_numeric, 0,
                        sizeof relu_shapes / sizeof relu_shapes[0]);
    tcase_add_loop_test(pieces, batch_loss_is_mean_of_example_losses, 0, SHAPES);
    tcase_add_loop_test(pieces, batch_twice_over_gives_same_loss_and_gradients, 0, SHAPES);
    suite_add_tcase(s, pieces);

    TCase *checker = tcase_new("gradcheck");
    tcase_add_test(checker, relative_error_known_values);
    tcase_add_test(checker, numeric_derivative_of_sum_of_cubes);
    tcase_add_test(checker, clear_of_kink_cases);
    tcase_add_test(checker, tensor_check_of_nothing_fails);
    tcase_add_test(checker, tensor_check_finds_the_wrong_entry);
    suite_add_tcase(s, checker);
    return s;
}
