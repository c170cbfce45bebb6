/* relu.c: ReLU and its derivative, element by element (relu.h). */
#include "relu.h"

void relu(Matrix *A, const Matrix *Z)
{
    mat_require_same_shape(__func__, A, Z);
    for (size_t i = 0; i < Z->rows * Z->cols; i++) A->data[i] = Z->data[i] > 0 ? Z->data[i] : 0;
}

void relu_backward(Matrix *dZ, const Matrix *dA, const Matrix *Z)
{
    mat_require_same_shape(__func__, dZ, Z);
    mat_require_same_shape(__func__, dA, Z);
    for (size_t i = 0; i < Z->rows * Z->cols; i++)
        dZ->data[i] = Z->data[i] > 0 ? dA->data[i] : 0; /* dA · ReLU'(Z) */
}
