/* check_04_checker.c: the gradient check has teeth. Deliberately wrong backward passes, one
 * mistake each, must be rejected on the very formula they get wrong, and the others passed.
 *
 * These tests check the checker, not a student: their runner (checker-double-chNN) always links
 * the library's own modules, so that a student's wrong backprop (STUDENT_backprop=...) is graded
 * by check_04_gradients.c alone and never blamed here for mistakes it did not make. They build
 * in double, as every gradient check does. */
#include <check.h>
#include <stdio.h>

#include "backprop.h"
#include "backprop_check.h"
#include "gradcheck.h"
#include "relu.h"
#include "support/check_problems.h"

#ifndef NN_REAL_DOUBLE
#error "the gradient checks need double: build with -DNN_REAL_DOUBLE (REAL=double)"
#endif

/* Each is backprop.c copied, with one line wrong (marked MISTAKE). The
 * problems are made for exactly m examples, so backprop.c's mat_set_cols
 * calls are left out. */

static void backprop_dW1_without_1_over_m(Grads *g, const Net *net, const Forward *f,
                                          const Matrix *X, const Matrix *Y)
{
    real inv_m = (real)1 / (real)X->cols;
    mat_sub(g->dZ2, f->A2, Y);            /* dZ2 (10×m) = A2 - Y */
    mat_mul_nt(g->dW2, g->dZ2, f->A1);    /* dW2 (10×h) = dZ2 (10×m) · A1ᵀ (m×h) */
    mat_scale(g->dW2, inv_m);             /*            · 1/m */
    mat_sum_cols(g->db2, g->dZ2);         /* db2 (10×1) = Σ_columns dZ2 */
    mat_scale(g->db2, inv_m);             /*            · 1/m */
    mat_mul_tn(g->dA1, net->W2, g->dZ2);  /* dA1 (h×m)  = W2ᵀ (h×10) · dZ2 (10×m) */
    relu_backward(g->dZ1, g->dA1, f->Z1); /* dZ1 (h×m)  = dA1 ⊙ ReLU'(Z1) */
    mat_mul_nt(g->dW1, g->dZ1, X);        /* dW1 (h×784) = dZ1 (h×m) · Xᵀ (m×784) */
                                          /* MISTAKE: dW1 never gets its · 1/m */
    mat_sum_cols(g->db1, g->dZ1);         /* db1 (h×1)  = Σ_columns dZ1 */
    mat_scale(g->db1, inv_m);             /*            · 1/m */
}

static void backprop_db2_without_1_over_m(Grads *g, const Net *net, const Forward *f,
                                          const Matrix *X, const Matrix *Y)
{
    real inv_m = (real)1 / (real)X->cols;
    mat_sub(g->dZ2, f->A2, Y);            /* dZ2 (10×m) = A2 - Y */
    mat_mul_nt(g->dW2, g->dZ2, f->A1);    /* dW2 (10×h) = dZ2 (10×m) · A1ᵀ (m×h) */
    mat_scale(g->dW2, inv_m);             /*            · 1/m */
    mat_sum_cols(g->db2, g->dZ2);         /* db2 (10×1) = Σ_columns dZ2 */
                                          /* MISTAKE: db2 never gets its · 1/m */
    mat_mul_tn(g->dA1, net->W2, g->dZ2);  /* dA1 (h×m)  = W2ᵀ (h×10) · dZ2 (10×m) */
    relu_backward(g->dZ1, g->dA1, f->Z1); /* dZ1 (h×m)  = dA1 ⊙ ReLU'(Z1) */
    mat_mul_nt(g->dW1, g->dZ1, X);        /* dW1 (h×784) = dZ1 (h×m) · Xᵀ (m×784) */
    mat_scale(g->dW1, inv_m);             /*             · 1/m */
    mat_sum_cols(g->db1, g->dZ1);         /* db1 (h×1)  = Σ_columns dZ1 */
    mat_scale(g->db1, inv_m);             /*            · 1/m */
}

static void backprop_without_relu_prime(Grads *g, const Net *net, const Forward *f, const Matrix *X,
                                        const Matrix *Y)
{
    real inv_m = (real)1 / (real)X->cols;
    mat_sub(g->dZ2, f->A2, Y);           /* dZ2 (10×m) = A2 - Y */
    mat_mul_nt(g->dW2, g->dZ2, f->A1);   /* dW2 (10×h) = dZ2 (10×m) · A1ᵀ (m×h) */
    mat_scale(g->dW2, inv_m);            /*            · 1/m */
    mat_sum_cols(g->db2, g->dZ2);        /* db2 (10×1) = Σ_columns dZ2 */
    mat_scale(g->db2, inv_m);            /*            · 1/m */
    mat_mul_tn(g->dA1, net->W2, g->dZ2); /* dA1 (h×m)  = W2ᵀ (h×10) · dZ2 (10×m) */
    mat_copy(g->dZ1, g->dA1);            /* MISTAKE: dZ1 = dA1, no ⊙ ReLU'(Z1) */
    mat_mul_nt(g->dW1, g->dZ1, X);       /* dW1 (h×784) = dZ1 (h×m) · Xᵀ (m×784) */
    mat_scale(g->dW1, inv_m);            /*             · 1/m */
    mat_sum_cols(g->db1, g->dZ1);        /* db1 (h×1)  = Σ_columns dZ1 */
    mat_scale(g->db1, inv_m);            /*            · 1/m */
}

static void backprop_relu_prime_after_sum(Grads *g, const Net *net, const Forward *f,
                                          const Matrix *X, const Matrix *Y)
{
    real inv_m = (real)1 / (real)X->cols;
    Matrix *sum_Z1 = mat_new(net->hidden, 1);
    mat_sub(g->dZ2, f->A2, Y);            /* dZ2 (10×m) = A2 - Y */
    mat_mul_nt(g->dW2, g->dZ2, f->A1);    /* dW2 (10×h) = dZ2 (10×m) · A1ᵀ (m×h) */
    mat_scale(g->dW2, inv_m);             /*            · 1/m */
    mat_sum_cols(g->db2, g->dZ2);         /* db2 (10×1) = Σ_columns dZ2 */
    mat_scale(g->db2, inv_m);             /*            · 1/m */
    mat_mul_tn(g->dA1, net->W2, g->dZ2);  /* dA1 (h×m)  = W2ᵀ (h×10) · dZ2 (10×m) */
    relu_backward(g->dZ1, g->dA1, f->Z1); /* dZ1 (h×m)  = dA1 ⊙ ReLU'(Z1) */
    mat_mul_nt(g->dW1, g->dZ1, X);        /* dW1 (h×784) = dZ1 (h×m) · Xᵀ (m×784) */
    mat_scale(g->dW1, inv_m);             /*             · 1/m */
    /* MISTAKE: db1 = (1/m) (Σ_j dA1_j) ⊙ ReLU'(Σ_j Z1_j), the derivative after the sum */
    mat_sum_cols(g->db1, g->dA1);          /* Σ_j dA1_j (h×1) */
    mat_sum_cols(sum_Z1, f->Z1);           /* Σ_j Z1_j (h×1) */
    relu_backward(g->db1, g->db1, sum_Z1); /* ⊙ ReLU'(Σ_j Z1_j) */
    mat_scale(g->db1, inv_m);              /*            · 1/m */
    mat_free(sum_Z1);
}

/* Needs hidden == classes, so that W2 (10×h) · dZ2 (10×m) fits. */
static void backprop_W2_not_transposed(Grads *g, const Net *net, const Forward *f, const Matrix *X,
                                       const Matrix *Y)
{
    real inv_m = (real)1 / (real)X->cols;
    mat_sub(g->dZ2, f->A2, Y);            /* dZ2 (10×m) = A2 - Y */
    mat_mul_nt(g->dW2, g->dZ2, f->A1);    /* dW2 (10×h) = dZ2 (10×m) · A1ᵀ (m×h) */
    mat_scale(g->dW2, inv_m);             /*            · 1/m */
    mat_sum_cols(g->db2, g->dZ2);         /* db2 (10×1) = Σ_columns dZ2 */
    mat_scale(g->db2, inv_m);             /*            · 1/m */
    mat_mul(g->dA1, net->W2, g->dZ2);     /* MISTAKE: dA1 = W2 · dZ2, not W2ᵀ · dZ2 */
    relu_backward(g->dZ1, g->dA1, f->Z1); /* dZ1 (h×m)  = dA1 ⊙ ReLU'(Z1) */
    mat_mul_nt(g->dW1, g->dZ1, X);        /* dW1 (h×784) = dZ1 (h×m) · Xᵀ (m×784) */
    mat_scale(g->dW1, inv_m);             /*             · 1/m */
    mat_sum_cols(g->db1, g->dZ1);         /* db1 (h×1)  = Σ_columns dZ1 */
    mat_scale(g->db1, inv_m);             /*            · 1/m */
}

/* Needs hidden == m, so that the m sums over the rows fill db1 (h×1). */
static void backprop_db1_summed_over_rows(Grads *g, const Net *net, const Forward *f,
                                          const Matrix *X, const Matrix *Y)
{
    real inv_m = (real)1 / (real)X->cols;
    mat_sub(g->dZ2, f->A2, Y);            /* dZ2 (10×m) = A2 - Y */
    mat_mul_nt(g->dW2, g->dZ2, f->A1);    /* dW2 (10×h) = dZ2 (10×m) · A1ᵀ (m×h) */
    mat_scale(g->dW2, inv_m);             /*            · 1/m */
    mat_sum_cols(g->db2, g->dZ2);         /* db2 (10×1) = Σ_columns dZ2 */
    mat_scale(g->db2, inv_m);             /*            · 1/m */
    mat_mul_tn(g->dA1, net->W2, g->dZ2);  /* dA1 (h×m)  = W2ᵀ (h×10) · dZ2 (10×m) */
    relu_backward(g->dZ1, g->dA1, f->Z1); /* dZ1 (h×m)  = dA1 ⊙ ReLU'(Z1) */
    mat_mul_nt(g->dW1, g->dZ1, X);        /* dW1 (h×784) = dZ1 (h×m) · Xᵀ (m×784) */
    mat_scale(g->dW1, inv_m);             /*             · 1/m */
    /* MISTAKE: db1 (h×1) filled with the m sums over the rows, db1_c = Σ_r dZ1_rc */
    for (size_t c = 0; c < g->dZ1->cols; c++) {
        g->db1->data[c] = 0;
        for (size_t r = 0; r < g->dZ1->rows; r++) g->db1->data[c] += MAT_AT(g->dZ1, r, c);
    }
    mat_scale(g->db1, inv_m); /*            · 1/m */
}

static void backprop_sign_flipped(Grads *g, const Net *net, const Forward *f, const Matrix *X,
                                  const Matrix *Y)
{
    real inv_m = (real)1 / (real)X->cols;
    mat_sub(g->dZ2, Y, f->A2);            /* MISTAKE: dZ2 = Y - A2 */
    mat_mul_nt(g->dW2, g->dZ2, f->A1);    /* dW2 (10×h) = dZ2 (10×m) · A1ᵀ (m×h) */
    mat_scale(g->dW2, inv_m);             /*            · 1/m */
    mat_sum_cols(g->db2, g->dZ2);         /* db2 (10×1) = Σ_columns dZ2 */
    mat_scale(g->db2, inv_m);             /*            · 1/m */
    mat_mul_tn(g->dA1, net->W2, g->dZ2);  /* dA1 (h×m)  = W2ᵀ (h×10) · dZ2 (10×m) */
    relu_backward(g->dZ1, g->dA1, f->Z1); /* dZ1 (h×m)  = dA1 ⊙ ReLU'(Z1) */
    mat_mul_nt(g->dW1, g->dZ1, X);        /* dW1 (h×784) = dZ1 (h×m) · Xᵀ (m×784) */
    mat_scale(g->dW1, inv_m);             /*             · 1/m */
    mat_sum_cols(g->db1, g->dZ1);         /* db1 (h×1)  = Σ_columns dZ1 */
    mat_scale(g->db1, inv_m);             /*            · 1/m */
}

#define FAILS(f)     (1u << (f))
#define LAYER1_FAILS (FAILS(CHECK_dZ1) | FAILS(CHECK_dW1) | FAILS(CHECK_db1))
#define ALL_FAIL     ((1u << CHECK_FORMULAS) - 1)

typedef struct {
    const char *mistake;
    BackpropFn backward;
    unsigned fails; /* the formulas the check must reject; the others must pass */
    Shape shape;    /* a problem on which the wrong version still fits the shapes */
} Mistake;

static const Mistake mistakes[] = {
    {"dW1 without its 1/m", backprop_dW1_without_1_over_m, FAILS(CHECK_dW1), {1, 5, 4, 3, 3}},
    {"db2 without its 1/m", backprop_db2_without_1_over_m, FAILS(CHECK_db2), {2, 4, 3, 5, 2}},
    {"dZ1 = dA1, no ReLU'", backprop_without_relu_prime, LAYER1_FAILS, {1, 5, 4, 3, 3}},
    {"db1 = (1/m) (Σ_j dA1_j) ⊙ ReLU'(Σ_j Z1_j)",
     backprop_relu_prime_after_sum,
     FAILS(CHECK_db1),
     {1, 5, 4, 3, 3}},
    {"dA1 = W2 · dZ2 instead of W2ᵀ · dZ2",
     backprop_W2_not_transposed,
     LAYER1_FAILS,
     {6, 5, 3, 3, 2}},
    {"db1 summed over the rows of dZ1",
     backprop_db1_summed_over_rows,
     FAILS(CHECK_db1),
     {7, 5, 4, 3, 4}},
    {"dZ2 = Y - A2", backprop_sign_flipped, ALL_FAIL, {3, 6, 7, 4, 1}},
};
enum { MISTAKES = sizeof mistakes / sizeof mistakes[0] };

START_TEST(check_rejects_each_mistake)
{
    const Mistake *k = &mistakes[_i];
    CheckProblem *p = problem_of(&k->shape);
    GradCheck right[CHECK_FORMULAS], wrong[CHECK_FORMULAS];
    backprop_check(right, p, backprop);
    backprop_check(wrong, p, k->backward);
    check_problem_free(p);
    char shape[128], verdict[VERDICT];
    shape_text(&k->shape, shape, sizeof shape);
    for (int i = 0; i < CHECK_FORMULAS; i++) {
        gradcheck_describe(&right[i], verdict, sizeof verdict);
        ck_assert_msg(right[i].passed, "backprop itself fails on the problem for \"%s\" (%s): %s",
                      k->mistake, shape, verdict);
    }
    for (int i = 0; i < CHECK_FORMULAS; i++) {
        gradcheck_describe(&wrong[i], verdict, sizeof verdict);
        if (k->fails & FAILS(i))
            ck_assert_msg(!wrong[i].passed, "\"%s\" (%s): the check let it through: %s", k->mistake,
                          shape, verdict);
        else
            ck_assert_msg(wrong[i].passed,
                          "\"%s\" (%s) should leave %s right, yet the check failed it: %s",
                          k->mistake, shape, CHECK_FORMULA_NAMES[i], verdict);
    }
}
END_TEST

Suite *suite_04_checker(void);
Suite *suite_04_checker(void)
{
    Suite *s = suite_create("04 checker");
    TCase *teeth = tcase_create("mistakes caught");
    tcase_set_timeout(teeth, 60);
    tcase_add_loop_test(teeth, check_rejects_each_mistake, 0, MISTAKES);
    suite_add_tcase(s, teeth);
    return s;
}
