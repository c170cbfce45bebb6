/* Chapter 02: the forward pass.
 *
 * Loads MNIST (the full set, or the bundled sample when it is absent), draws
 * the first training digit in the terminal, then pushes a batch of test
 * images through an untrained 784-128-10 network, printing the shape of every
 * matrix on the way, and counts how often its guesses are right: about one
 * time in ten, as good as guessing.
 * Build and run: make ch02 && ./build/ch02-forward-pass */
#include <stdio.h>

#include "fail.h"
#include "mnist.h"
#include "net.h"
#include "rng.h"

enum { HIDDEN = 128, BATCH = 1000, SEED = 1 };

static void print_shape(const char *name, const Matrix *M, const char *meaning)
{
    char shape[32];
    snprintf(shape, sizeof shape, "(%zu×%zu)", M->rows, M->cols);
    printf("  %-3s %-12s %s\n", name, shape, meaning);
}

/* The fraction of entries of M that are exactly zero. */
static double zero_fraction(const Matrix *M)
{
    size_t zeros = 0;
    for (size_t i = 0; i < M->rows * M->cols; i++) zeros += M->data[i] == 0;
    return (double)zeros / (double)(M->rows * M->cols);
}

static void run_untrained(const MnistSet *test)
{
    size_t m = test->count < BATCH ? test->count : BATCH;
    size_t index[BATCH];
    for (size_t j = 0; j < m; j++) index[j] = j;
    Matrix *X = mat_new(test->rows * test->cols, m);
    mnist_gather(X, NULL, test, index, m); /* X (784×m): image j in column j */

    Rng rng;
    rng_seed(&rng, SEED);
    Net *net = net_new(X->rows, HIDDEN, MNIST_CLASSES);
    net_init_he(net, &rng);
    Forward *f = forward_new(net, m);
    net_forward(net, X, f);

    printf("\nAn untrained %zu-%zu-%zu network (He initialisation, seed %d) on the first %zu "
           "test images:\n",
           net->inputs, net->hidden, net->outputs, SEED, m);
    print_shape("X", X, "the images, one per column, pixels scaled to [0, 1]");
    print_shape("W1", net->W1, "first layer weights");
    print_shape("b1", net->b1, "first layer biases");
    print_shape("Z1", f->Z1, "= W1·X + b1");
    print_shape("A1", f->A1, "= ReLU(Z1)");
    print_shape("W2", net->W2, "second layer weights");
    print_shape("b2", net->b2, "second layer biases");
    print_shape("Z2", f->Z2, "= W2·A1 + b2: ten scores per image");
    printf("%.1f%% of A1's entries are zero: ReLU cut every negative entry of Z1\n",
           100 * zero_fraction(f->A1));

    size_t right = 0;
    printf("guesses for the first 10 images: ");
    for (size_t j = 0; j < 10 && j < m; j++) printf(" %zu", mat_argmax_col(f->Z2, j));
    printf("\ntheir true labels:               ");
    for (size_t j = 0; j < 10 && j < m; j++) printf(" %d", test->labels[j]);
    for (size_t j = 0; j < m; j++) right += mat_argmax_col(f->Z2, j) == test->labels[j];
    printf("\nright: %zu of %zu (%.1f%%); guessing at random is right 10%% of the time\n", right, m,
           100.0 * (double)right / (double)m);

    mat_free(X), net_free(net), forward_free(f);
}

int main(int argc, char **argv)
{
    nn_no_arguments(argc, argv, "ch02-forward-pass");
    MnistSet train, test;
    NnError err;
    if (mnist_load_both("data", &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "ch02-forward-pass: %s\n", err.message);
        return 1;
    }
    printf("Chapter 02: the forward pass (%s)\n", REAL_NAME);
    printf("loaded %zu training and %zu test images of %zu×%zu pixels\n\n", train.count, test.count,
           train.rows, train.cols);
    printf("Training image 0:\n");
    mnist_draw(stdout, &train, 0);
    run_untrained(&test);
    mnist_free(&train);
    mnist_free(&test);
    return 0;
}
