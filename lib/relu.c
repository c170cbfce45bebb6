/* relu.c: ReLU and its derivative, element by element (relu.h). */
#include "relu.h"

#include "fail.h"

void relu(Matrix *A, const Matrix *Z)
{
    NN_REQUIRE(A->rows == Z->rows && A->cols == Z->cols, "A (%zu×%zu) and Z (%zu×%zu) differ",
               A->rows, A->cols, Z->rows, Z->cols);
    for (size_t i = 0; i < Z->rows * Z->cols; i++) A->data[i] = Z->data[i] > 0 ? Z->data[i] : 0;
}

void relu_backward(Matrix *dZ, const Matrix *dA, const Matrix *Z)
{
    NN_REQUIRE(dZ->rows == Z->rows && dZ->cols == Z->cols && dA->rows == Z->rows &&
                   dA->cols == Z->cols,
               "dZ (%zu×%zu), dA (%zu×%zu) and Z (%zu×%zu) must match", dZ->rows, dZ->cols,
               dA->rows, dA->cols, Z->rows, Z->cols);
    for (size_t i = 0; i < Z->rows * Z->cols; i++)
        dZ->data[i] = Z->data[i] > 0 ? dA->data[i] : 0; /* dA · ReLU'(Z) */
}
