/* loss.c: cross-entropy from logits, the guess, and counting right guesses (loss.h). */
#include "loss.h"

#include "fail.h"
#include "softmax.h"

double cross_entropy(const Matrix *Z2, const Matrix *Y)
{
    return cross_entropy_softmax(Z2, Y, NULL);
}

double cross_entropy_softmax(const Matrix *Z2, const Matrix *Y, Matrix *P)
{
    NN_REQUIRE(Z2->rows == Y->rows && Z2->cols == Y->cols, "Z2 (%zu×%zu) and Y (%zu×%zu) differ",
               Z2->rows, Z2->cols, Y->rows, Y->cols);
    double total = 0;
    for (size_t c = 0; c < Z2->cols; c++) {
        LogSumExp lse = log_softmax_col(Z2, c, P); /* and P's column c, unless P is NULL */
        for (size_t r = 0; r < Z2->rows; r++)      /* -y_r · ln a_r, ln a_r = z_r - max - ln Σ */
            total -= MAT_AT(Y, r, c) * ((double)(MAT_AT(Z2, r, c) - lse.max) - lse.log_sum);
    }
    return total / (double)Z2->cols; /* the mean over the m examples */
}

size_t count_correct(const Matrix *scores, const Matrix *Y)
{
    NN_REQUIRE(scores->rows == Y->rows && scores->cols == Y->cols,
               "scores (%zu×%zu) and Y (%zu×%zu) differ", scores->rows, scores->cols, Y->rows,
               Y->cols);
    size_t correct = 0;
    for (size_t c = 0; c < scores->cols; c++)
        correct += mat_argmax_col(scores, c) == mat_argmax_col(Y, c);
    return correct;
}
