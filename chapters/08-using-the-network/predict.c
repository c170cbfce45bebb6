/* predict: reads handwritten digits with a saved model.
 *
 *   ./build/predict [--model build/model.nn] picture.pgm...
 * For each PGM picture (any size, any grey levels, dark ink on light paper or
 * the reverse) it prepares the digit the way MNIST's were made (lib/digitize.h),
 * draws the result in the terminal, and prints the network's guess and its
 * ten probabilities. Exit status: 0, or 1 if any picture could not be read. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "digitize.h"
#include "mnist.h"
#include "model_file.h"
#include "softmax.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: predict [--model FILE] PICTURE.pgm...\n"
                 "Reads handwritten digits in PGM pictures with a model saved by\n"
                 "ch08-using-the-network (--model, default build/model.nn).\n");
}

/* The network's probabilities for the 28×28 digit, into p (10×1). */
static void classify(Model *model, const unsigned char *pixels, Matrix *X, Matrix *p)
{
    for (size_t i = 0; i < DIGIT_SIDE * DIGIT_SIDE; i++) X->data[i] = (real)pixels[i] / 255;
    softmax(p, model_forward(model, X)); /* p (10×1) = softmax(logits) */
}

static void print_verdict(const Matrix *p)
{
    size_t guess = mat_argmax_col(p, 0);
    printf("guess: %zu (%.1f%%)\n", guess, 100 * (double)p->data[guess]);
    for (size_t d = 0; d < 10; d++) printf("%s%zu: %4.1f%%", d == 0 ? "" : "  ", d, 100 * (double)p->data[d]);
    printf("\n");
}

/* Reads, prepares, draws and classifies one picture; 0 or -1. */
static int predict(Model *model, const char *path, Matrix *X, Matrix *p)
{
    PgmImage img;
    NnError err;
    unsigned char pixels[DIGIT_SIDE * DIGIT_SIDE];
    int status = pgm_read(path, &img, &err);
    if (status == 0) status = digitize(&img, path, pixels, &err);
    size_t width = img.width, height = img.height;
    pgm_free(&img);
    if (status != 0) {
        fprintf(stderr, "predict: %s\n", err.message);
        return -1;
    }
    printf("%s (%zu×%zu pixels), as the network sees it:\n", path, width, height);
    mnist_draw_pixels(stdout, pixels, DIGIT_SIDE, DIGIT_SIDE);
    classify(model, pixels, X, p);
    print_verdict(p);
    return 0;
}

/* Loads the model at path and checks that it reads 28×28 digits into 10
 * classes; NULL, having said why on stderr, if not. */
static Model *load_model(const char *path)
{
    NnError err;
    Model *model = model_load(path, 1, &err);
    if (model == NULL) {
        fprintf(stderr, "predict: %s\n", err.message);
        if (access(path, F_OK) != 0)
            fprintf(stderr, "(train and save one first: make run, or "
                            "./build/ch08-using-the-network)\n");
        return NULL;
    }
    if (model_inputs(model) != DIGIT_SIDE * DIGIT_SIDE || model_outputs(model) != 10) {
        char sizes[256];
        model_describe(model, sizes, sizeof sizes);
        fprintf(stderr, "predict: %s: a %s model; reading digits needs %d inputs and 10 outputs\n",
                path, sizes, DIGIT_SIDE * DIGIT_SIDE);
        model_free(model);
        return NULL;
    }
    return model;
}

enum { MOST_PICTURES = 256 };

/* Reads the command line: --model FILE (or --model=FILE) anywhere, and the
 * pictures. Returns 0, 1 after printing the help, or -1 having said on
 * stderr what is wrong. */
static int parse_command_line(int argc, char **argv, const char **model_path,
                              const char *pictures[MOST_PICTURES], int *count)
{
    *count = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 1;
        }
        if (strncmp(arg, "--model=", 8) == 0) {
            *model_path = arg + 8;
        } else if (strcmp(arg, "--model") == 0) {
            if (i + 1 == argc) {
                fprintf(stderr, "predict: --model needs a value: the path of a model file "
                                "saved by ch08-using-the-network\n");
                return -1;
            }
            *model_path = argv[++i];
        } else if (arg[0] == '-') {
            fprintf(stderr, "predict: unknown flag %s; the flags are --model FILE and --help\n",
                    arg);
            return -1;
        } else if (*count == MOST_PICTURES) {
            fprintf(stderr, "predict: %s: at most %d pictures at a time; give fewer\n", arg,
                    MOST_PICTURES);
            return -1;
        } else {
            pictures[(*count)++] = arg;
        }
    }
    if (*count > 0) return 0;
    fprintf(stderr, "predict: no picture to read: give at least one PGM file\n");
    return -1;
}

int main(int argc, char **argv)
{
    const char *model_path = NN_SOURCE_DIR "/build/model.nn", *pictures[MOST_PICTURES];
    int count, parsed = parse_command_line(argc, argv, &model_path, pictures, &count);
    if (parsed == -1) usage(stderr);
    if (parsed != 0) return parsed == 1 ? 0 : 2;
    Model *model = load_model(model_path);
    if (model == NULL) return 1;
    Matrix *X = mat_new(DIGIT_SIDE * DIGIT_SIDE, 1), *p = mat_new(10, 1);
    int failed = 0;
    for (int i = 0; i < count; i++) failed |= predict(model, pictures[i], X, p) != 0;
    mat_free(X), mat_free(p), model_free(model);
    return failed ? 1 : 0;
}
