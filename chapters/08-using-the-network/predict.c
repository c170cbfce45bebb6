/* predict: reads handwritten digits with a saved model.
 *
 *   ./build/predict [--model build/model.nn] [--] picture.pgm...
 * For each PGM picture (any size, any grey levels, dark ink on light paper or
 * the reverse) it prepares the digit the way MNIST's were made (lib/digitize.h),
 * draws the result in the terminal, and prints the network's guess and its
 * ten probabilities. A picture whose name starts with - goes after --.
 * It is built with chapter 10's modules, so that it reads any model file:
 * a dense network (chapters 08 and 09) or a convolutional one (chapter 10),
 * computed by chapter 10's engine.
 * Exit status: 0; 1 if the model or any picture could not be read, or the
 * model's outputs for a picture are not finite numbers; 2 for a bad command
 * line. */
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "args.h"
#include "conv_layer.h"
#include "convnet.h"
#include "digitize.h"
#include "mnist.h"
#include "model_file.h"
#include "softmax.h"

/* What reads the digits: the model, the ops that compute its layers, and
 * the digit as a batch of one, X (784×1), and its probabilities p (10×1). */
typedef struct {
    Model *model;
    const char *model_path;
    const ModelOps *ops;
    Matrix *X, *p;
} Reader;

/* The network's probabilities for the 28×28 digit, into r->p; -1 if its
 * logits are not all finite numbers, of which softmax would make NaN. */
static int classify(Reader *r, const unsigned char *pixels)
{
    Matrix *X = r->X, *p = r->p;
    for (size_t i = 0; i < DIGIT_SIDE * DIGIT_SIDE; i++) X->data[i] = (real)pixels[i] / 255;
    const Matrix *logits = model_forward_with(r->model, X, r->ops);
    for (size_t d = 0; d < MNIST_CLASSES; d++)
        if (!isfinite(logits->data[d])) return -1;
    softmax(p, logits); /* p (10×1) = softmax(logits) */
    return 0;
}

static void print_verdict(const Matrix *p)
{
    size_t guess = mat_argmax_col(p, 0);
    printf("guess: %zu (%.1f%%)\n", guess, 100 * (double)p->data[guess]);
    for (size_t d = 0; d < MNIST_CLASSES; d++)
        printf("%s%zu: %4.1f%%", d == 0 ? "" : "  ", d, 100 * (double)p->data[d]);
    printf("\n");
}

/* Reads, prepares, draws and classifies one picture; 0 or -1. */
static int predict(Reader *r, const char *path)
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
    if (classify(r, pixels) != 0) {
        fprintf(stderr, "predict: %s: the model %s gives outputs that are not finite numbers: its "
                        "weights are so large that the sums overflow; train it again (make run) "
                        "or give another with --model\n",
                path, r->model_path);
        return -1;
    }
    printf("%s (%zu×%zu pixels), as the network sees it:\n", path, width, height);
    mnist_draw_pixels(stdout, pixels, DIGIT_SIDE, DIGIT_SIDE);
    print_verdict(r->p);
    return 0;
}

/* Loads the model at path, dense or convolutional, and checks that it reads
 * 28×28 digits into 10 classes; NULL, having said why on stderr, if not. */
static Model *load_model(const char *path)
{
    NnError err;
    Model *model = model_load(path, 1, &CONVNET_MAKER, &err);
    if (model == NULL) {
        fprintf(stderr, "predict: %s\n", err.message);
        if (access(path, F_OK) != 0)
            fprintf(stderr, "(train and save one first: make run, or make run NET=conv for a "
                            "convolutional network)\n");
        return NULL;
    }
    if (model_inputs(model) != MNIST_PIXELS || model_outputs(model) != MNIST_CLASSES) {
        char layers[MODEL_TEXT_MAX + 1];
        CONVNET_MAKER.describe(model, layers, sizeof layers);
        fprintf(stderr, "predict: %s: a network of layers %s; reading digits needs %d inputs "
                        "and %d outputs\n",
                path, layers, MNIST_PIXELS, MNIST_CLASSES);
        model_free(model);
        return NULL;
    }
    return model;
}

enum { MOST_PICTURES = 256 };

/* Reads the command line, --model FILE and the pictures, into *model_path and
 * pictures. Returns ARGS_OK, ARGS_HELP after printing the help, or ARGS_ERROR
 * having said on stderr what is wrong. */
static int parse_command_line(int argc, char **argv, const char **model_path, ArgOperands *pictures)
{
    const ArgSpec specs[] = {
        {"model", ARG_STRING, model_path, 0, 0,
         "the path of a model file saved by ch08-using-the-network, train or ch10-convolution"},
        {"PICTURE.pgm", ARG_OPERANDS, pictures, 1, MOST_PICTURES, "the pictures of digits to read"},
    };
    NnError err;
    int status = args_parse(argc, argv, specs, sizeof specs / sizeof specs[0],
                            "Reads handwritten digits in PGM pictures with a saved model.", &err);
    if (status == ARGS_ERROR) fprintf(stderr, "predict: %s\n", err.message);
    return status;
}

int main(int argc, char **argv)
{
    const char *model_path = NN_SOURCE_DIR "/build/model.nn", *items[MOST_PICTURES];
    ArgOperands pictures = {items, 0};
    int parsed = parse_command_line(argc, argv, &model_path, &pictures);
    if (parsed != ARGS_OK) return parsed == ARGS_HELP ? 0 : 2;
    Model *model = load_model(model_path);
    if (model == NULL) return 1;
    FastWork fast;
    fast_work_init(&fast);
    ConvWork work = {0};
    ConvEngine conv;
    conv_engine_init(&conv, &fast, &work);
    Reader r = {model, model_path, conv.engine.evaluate, mat_new(MNIST_PIXELS, 1),
                mat_new(MNIST_CLASSES, 1)};
    int failed = 0;
    for (size_t i = 0; i < pictures.count; i++) failed |= predict(&r, items[i]) != 0;
    mat_free(r.X), mat_free(r.p), model_free(model);
    conv_work_release(&work), fast_work_release(&fast);
    return failed ? 1 : 0;
}
