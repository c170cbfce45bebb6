/* gradcheck.c: centred differences and the comparison policy (gradcheck.h). */
#include "gradcheck.h"

#include <math.h>
#include <stdio.h>

#include "fail.h"

double gradcheck_relative_error(double analytic, double numeric)
{
    double scale = fmax(fabs(analytic), fabs(numeric));
    if (scale < GRADCHECK_ZERO) return 0; /* both zero: equal */
    return fabs(analytic - numeric) / scale;
}

double gradcheck_numeric(Matrix *T, size_t i, LossFn loss, void *ctx, double h)
{
    real saved = T->data[i];
    T->data[i] = (real)(saved + h);
    double up = loss(ctx);
    T->data[i] = (real)(saved - h);
    double down = loss(ctx);
    T->data[i] = saved;
    return (up - down) / (2 * h);
}

GradCheck gradcheck_tensor(const char *name, Matrix *T, const Matrix *analytic, LossFn loss,
                           void *ctx, double tolerance)
{
    NN_REQUIRE(T->rows == analytic->rows && T->cols == analytic->cols,
               "%s: the tensor (%zu×%zu) and its gradient (%zu×%zu) differ", name, T->rows, T->cols,
               analytic->rows, analytic->cols);
    GradCheck c = {.name = name, .tolerance = tolerance, .all_zero = 1, .max_rel_error = -1};
    for (size_t i = 0; i < T->rows * T->cols; i++) {
        double a = analytic->data[i];
        double n = gradcheck_numeric(T, i, loss, ctx, GRADCHECK_STEP);
        double e = gradcheck_relative_error(a, n);
        if (fabs(a) >= GRADCHECK_ZERO || fabs(n) >= GRADCHECK_ZERO) c.all_zero = 0;
        if (e > c.max_rel_error) {
            c.max_rel_error = e;
            c.worst_row = i / T->cols, c.worst_col = i % T->cols;
            c.analytic = a, c.numeric = n;
        }
        c.checked++;
    }
    c.passed = !c.all_zero && c.max_rel_error <= tolerance;
    return c;
}

int gradcheck_clear_of_kink(const Matrix *Z, double h)
{
    for (size_t i = 0; i < Z->rows * Z->cols; i++)
        if (fabs((double)Z->data[i]) < 10 * h) return 0;
    return 1;
}

void gradcheck_describe(const GradCheck *c, char *buf, size_t size)
{
    if (c->all_zero)
        snprintf(buf, size, "%s: FAIL: all %zu gradients were zero, so nothing was checked",
                 c->name, c->checked);
    else
        snprintf(buf, size,
                 "%s: %s: worst at [%zu][%zu]: analytic %.10g, numeric %.10g, "
                 "relative error %.2e (threshold %.0e)",
                 c->name, c->passed ? "PASS" : "FAIL", c->worst_row, c->worst_col, c->analytic,
                 c->numeric, c->max_rel_error, c->tolerance);
}
