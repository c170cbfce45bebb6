/* Chapter 04: backpropagation, checked.
 *
 * Runs the backward pass on a tiny network and prints, for each of its six
 * formulas, the analytic gradient next to the numeric one (centred
 * differences) and their relative error. Then it runs the notebook's db1
 * formula as literally written and shows the check catching it.
 * Build and run: make ch04 && ./build/ch04-backprop
 * This program always builds in double: see the lesson for why. */
#include <stdio.h>

#include "fail.h"
#include "backprop.h"
#include "backprop_check.h"
#include "gradcheck.h"
#include "relu.h"

enum { INPUTS = 5, HIDDEN = 4, CLASSES = 3, EXAMPLES = 3, SEED = 1 };

/* The notebook's README's db1, read literally: the ReLU derivative is applied after
 * the sum over the examples, to the summed pre-activations:
 *   db1 = (1/m) (Σ_j dA1_j) ⊙ ReLU'(Σ_j Z1_j)          (wrong) */
static void backprop_literal_db1(Grads *g, const Net *net, const Forward *f, const Matrix *X,
                                 const Matrix *Y)
{
    backprop(g, net, f, X, Y); /* everything right, then db1 redone the literal way */
    Matrix *sum_Z1 = mat_new(net->hidden, 1);
    mat_sum_cols(g->db1, g->dA1);          /* Σ_j dA1_j, before any ReLU' */
    mat_sum_cols(sum_Z1, f->Z1);           /* Σ_j Z1_j */
    relu_backward(g->db1, g->db1, sum_Z1); /* ⊙ ReLU'(Σ_j Z1_j) */
    mat_scale(g->db1, (real)1 / (real)X->cols);
    mat_free(sum_Z1);
}

/* Prints s left-aligned in `width` columns; printf's %-28s would count the
 * bytes of ᵀ, Σ and ⊙ (three each in UTF-8), not the characters. */
static void print_padded(const char *s, int width)
{
    int shown = 0;
    for (const char *p = s; *p != '\0'; p++) shown += ((unsigned char)*p & 0xC0) != 0x80;
    printf("%s%*s", s, width > shown ? width - shown : 0, "");
}

static void print_table(const GradCheck result[CHECK_FORMULAS])
{
    printf("%-27s %-8s %15s %15s %10s %9s  %s\n", "formula", "worst at", "analytic", "numeric",
           "rel. error", "threshold", "verdict");
    for (int i = 0; i < CHECK_FORMULAS; i++) {
        const GradCheck *c = &result[i];
        char where[32];
        snprintf(where, sizeof where, "[%zu][%zu]", c->worst_row, c->worst_col);
        print_padded(CHECK_FORMULA_NAMES[i], 28);
        printf("%-8s %15.8e %15.8e %10.2e %9.0e  %s\n", where, c->analytic, c->numeric,
               c->max_rel_error, c->tolerance,
               c->all_zero ? "FAIL (all zero)"
               : c->passed ? "PASS"
                           : "FAIL");
    }
}

/* Checks `backward` on a fresh copy of the tiny problem; returns the failures. */
static int check_and_print(const char *title, BackpropFn backward)
{
    CheckProblem *p = check_problem_new(SEED, INPUTS, HIDDEN, CLASSES, EXAMPLES);
    GradCheck result[CHECK_FORMULAS];
    int failed = backprop_check(result, p, backward);
    printf("\n== %s\n", title);
    print_table(result);
    printf("%d of %d formulas pass\n", CHECK_FORMULAS - failed, CHECK_FORMULAS);
    check_problem_free(p);
    return failed;
}

int main(int argc, char **argv)
{
    nn_no_arguments(argc, argv, "ch04-backprop");
    printf("Gradient check in %s: %d inputs, %d hidden units, %d classes, %d examples, seed %d\n",
           REAL_NAME, INPUTS, HIDDEN, CLASSES, EXAMPLES, SEED);
    printf("centred differences with h = %.0e; relative error |a - n| / max(|a|, |n|)\n",
           GRADCHECK_STEP);
    int failed = check_and_print("backprop, as built (lib/backprop.c, or a STUDENT_backprop file)",
                                 backprop);
    check_and_print("the notebook's db1 read literally: ReLU' after the sum over examples",
                    backprop_literal_db1);
    if (sizeof(real) == sizeof(float)) {
        puts("\nnote: this build uses float, whose 24-bit mantissa holds about 7 digits: a");
        puts("centred difference is right to about 1e-4 at best (h = 1e-2), so float checks");
        puts("agreement to float precision, 1e-3. That catches a formula off by a factor or a");
        puts("sign, not one wrong in its fifth digit: the checks that grade build in double");
        puts("(make ch04, make test), at h = 1e-5 and 1e-7.");
    }
    return failed == 0 ? 0 : 1;
}
