/* Chapter 03: softmax, cross-entropy and accuracy.
 *
 * Turns the untrained network's scores into probabilities, measures its loss
 * (close to ln 10 = 2.303, and the program says why) and its accuracy, shows
 * what the notebook's larger initial weights do to the loss, and puts the naive
 * softmax next to the stable one on large scores.
 * Build and run: make ch03 && ./build/ch03-softmax */
#include <math.h>
#include <stdio.h>

#include "fail.h"
#include "loss.h"
#include "mnist.h"
#include "net.h"
#include "rng.h"
#include "softmax.h"

enum { HIDDEN = 128, BATCH = 1000, SEED = 1 };

static void print_column(const char *name, const Matrix *M, size_t c)
{
    printf("  %-4s", name);
    for (size_t r = 0; r < M->rows; r++) printf(" %7.3f", (double)MAT_AT(M, r, c));
    putchar('\n');
}

/* The forward pass, softmax, loss and accuracy of a fresh network on X, Y. */
static void run_untrained(const char *init, int he, const Matrix *X, const Matrix *Y,
                          int show_column)
{
    Rng rng;
    rng_seed(&rng, SEED);
    Net *net = net_new(X->rows, HIDDEN, MNIST_CLASSES);
    if (he)
        net_init_he(net, &rng);
    else
        net_init_uniform(net, &rng);
    Forward *f = forward_new(net, X->cols);
    net_forward(net, X, f);
    softmax(f->A2, f->Z2); /* A2 (10×m) = softmax(Z2), column by column */

    printf("\n== Untrained %zu-%zu-%zu, %s, seed %d, first %zu test images\n", net->inputs,
           net->hidden, net->outputs, init, SEED, X->cols);
    if (show_column) {
        double sum = 0;
        for (size_t r = 0; r < MNIST_CLASSES; r++) sum += MAT_AT(f->A2, r, 0);
        printf("image 0 is a %zu; its scores and probabilities for each digit:\n      ",
               mat_argmax_col(Y, 0));
        for (int digit = 0; digit < MNIST_CLASSES; digit++) printf(" %7d", digit);
        putchar('\n');
        print_column("Z2", f->Z2, 0);
        print_column("A2", f->A2, 0);
        printf("A2's column sums to %.6f; every probability is near 1/10, so the loss of an\n"
               "image, -ln(probability of its true digit), is near -ln(1/10) = ln 10\n",
               sum);
    }
    double loss = cross_entropy(f->Z2, Y);
    size_t right = count_correct(f->Z2, Y);
    printf("loss %.4f   (ln 10 = %.4f)   accuracy %.1f%% (%zu of %zu)\n", loss, log(MNIST_CLASSES),
           100.0 * (double)right / (double)X->cols, right, X->cols);
    net_free(net), forward_free(f);
}

static void compare_softmaxes(const real *z, const char *what)
{
    Matrix *Z = mat_from(3, 1, z), *A = mat_new(3, 1);
    printf("  z = (%g, %g, %g), %s\n", (double)z[0], (double)z[1], (double)z[2], what);
    softmax_naive(A, Z);
    printf("    naive : %9.6f %9.6f %9.6f\n", (double)A->data[0], (double)A->data[1],
           (double)A->data[2]);
    softmax(A, Z);
    printf("    stable: %9.6f %9.6f %9.6f\n", (double)A->data[0], (double)A->data[1],
           (double)A->data[2]);
    mat_free(Z), mat_free(A);
}

int main(int argc, char **argv)
{
    nn_no_arguments(argc, argv, "ch03-softmax");
    MnistSet train, test;
    NnError err;
    if (mnist_load_both("data", &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "ch03-softmax: %s\n", err.message);
        return 1;
    }
    printf("Chapter 03: softmax and cross-entropy (%s)\n", REAL_NAME);
    size_t m = test.count < BATCH ? test.count : BATCH, index[BATCH];
    for (size_t j = 0; j < m; j++) index[j] = j;
    Matrix *X = mat_new(test.rows * test.cols, m), *Y = mat_new(MNIST_CLASSES, m);
    mnist_gather(X, Y, &test, index, m); /* X (784×m), Y (10×m) one-hot */

    run_untrained("He initialisation", 1, X, Y, 1);
    run_untrained("the notebook's uniform(-0.5, 0.5)", 0, X, Y, 0);

    printf("\n== Softmax on large scores\n");
    compare_softmaxes((const real[]){1, 2, 3}, "small: both agree");
    compare_softmaxes((const real[]){1000, 1001, 1002}, "large: exp(1000) overflows to inf");
    compare_softmaxes((const real[]){-1000, -1001, -1002}, "very negative: exp underflows to 0");

    mat_free(X), mat_free(Y);
    mnist_free(&train);
    mnist_free(&test);
    return 0;
}
