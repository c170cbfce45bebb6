/* predict: reads handwritten digits with a saved model.
 *
 *   ./build/predict [--model build/model.nn] [--] picture.png picture.pgm...
 *   ./build/predict [--model build/model.nn] --images FILE [--labels FILE]
 * For each picture, PNG or PGM (any size, colour or grey, with or without
 * alpha, dark ink on light paper or the reverse; lib/picture.h), it prepares
 * the digit the way MNIST's were made (lib/digitize.h), draws the result in
 * the terminal, and prints the network's guess and its ten probabilities. A
 * picture whose name starts with - goes after --.
 * With --images, an MNIST IDX images file, it reads each image as it is (MNIST's
 * are prepared already) and prints a header line, then one tab-separated line
 * per image: its index from 0, its label (from --labels; - without), the
 * guess and the guess's probability; then, with labels, how many guesses are
 * right, on stderr. For error analysis: `... | awk -F'\t' '$2 != $3'`.
 * It is built with chapter 10's modules, so that it reads any model file:
 * a dense network (chapters 08 and 09) or a convolutional one (chapter 10),
 * computed by chapter 10's engine.
 * Exit status: 0; 1 if the model, a picture or an IDX file could not be read,
 * or the model's outputs for a digit are not finite numbers; 2 for a bad
 * command line. */
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "args.h"
#include "conv_layer.h"
#include "convnet.h"
#include "digitize.h"
#include "mnist.h"
#include "model_file.h"
#include "picture.h"
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
    for (size_t i = 0; i < DIGIT_SIDE * DIGIT_SIDE; i++) X->data[i] = mnist_pixel(pixels[i]);
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

/* Says on stderr that the model's outputs for `digit` are not finite numbers. */
static void say_not_finite(const Reader *r, const char *digit)
{
    fprintf(stderr,
            "predict: %s: the model %s gives outputs that are not finite numbers: its "
            "weights are so large that the sums overflow; train it again (make run) "
            "or give another with --model\n",
            digit, r->model_path);
}

/* Reads, prepares, draws and classifies one picture; 0 or -1. */
static int predict(Reader *r, const char *path)
{
    PgmImage img;
    NnError err;
    unsigned char pixels[DIGIT_SIDE * DIGIT_SIDE];
    int status = picture_read(path, &img, &err);
    if (status == 0) status = digitize(&img, path, pixels, &err);
    size_t width = img.width, height = img.height;
    pgm_free(&img);
    if (status != 0) {
        fprintf(stderr, "predict: %s\n", err.message);
        return -1;
    }
    if (classify(r, pixels) != 0) {
        say_not_finite(r, path);
        return -1;
    }
    printf("%s (%zu×%zu pixels), as the network sees it:\n", path, width, height);
    mnist_draw_pixels(stdout, pixels, DIGIT_SIDE, DIGIT_SIDE);
    print_verdict(r->p);
    return 0;
}

/* Loads the IDX images, with their labels unless labels_path is NULL, and
 * checks that they are MNIST's 28×28; -1, having said why on stderr, if not. */
static int load_set(const char *images_path, const char *labels_path, MnistSet *set)
{
    NnError err;
    int status = labels_path != NULL ? mnist_load(images_path, labels_path, set, &err)
                                     : mnist_load_images(images_path, set, &err);
    if (status == 0 && (set->rows != MNIST_SIDE || set->cols != MNIST_SIDE)) {
        status = nn_error(&err,
                          "%s: images of %zu×%zu pixels, but the network reads MNIST's "
                          "%d×%d (%d inputs)",
                          images_path, set->rows, set->cols, MNIST_SIDE, MNIST_SIDE, MNIST_PIXELS);
        mnist_free(set);
    }
    if (status != 0) fprintf(stderr, "predict: %s\n", err.message);
    return status;
}

/* A header, then one line per image of the set: its index, its label (- when
 * the set has none), the guess and its probability. Returns how many images it
 * classified (all, unless the outputs for one were not finite numbers), and
 * how many of those it guessed right in *right. */
static size_t print_guesses(Reader *r, const MnistSet *set, size_t *right)
{
    printf("index\tlabel\tguess\tprobability\n");
    size_t i = 0;
    *right = 0;
    for (; i < set->count && classify(r, set->pixels + i * MNIST_PIXELS) == 0; i++) {
        size_t guess = mat_argmax_col(r->p, 0);
        char label[4] = "-";
        if (set->labels != NULL) snprintf(label, sizeof label, "%u", (unsigned)set->labels[i]);
        printf("%zu\t%s\t%zu\t%.4f\n", i, label, guess, (double)r->p->data[guess]);
        *right += set->labels != NULL && guess == set->labels[i];
    }
    return i;
}

/* --images [--labels]: the guesses, then, with labels, how many are right on
 * stderr; 0, or -1 having said why on stderr. */
static int predict_set(Reader *r, const char *images_path, const char *labels_path)
{
    MnistSet set;
    if (load_set(images_path, labels_path, &set) != 0) return -1;
    size_t right, done = print_guesses(r, &set, &right);
    if (done < set.count) {
        char digit[4200];
        snprintf(digit, sizeof digit, "%s, image %zu", images_path, done);
        say_not_finite(r, digit);
    } else if (set.labels != NULL) {
        fprintf(stderr, "right: %zu of %zu (%.2f%%)\n", right, set.count,
                100.0 * (double)right / (double)set.count);
    }
    int status = done < set.count ? -1 : 0;
    mnist_free(&set);
    return status;
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
        fprintf(stderr,
                "predict: %s: a network of layers %s; reading digits needs %d inputs "
                "and %d outputs\n",
                path, layers, MNIST_PIXELS, MNIST_CLASSES);
        model_free(model);
        return NULL;
    }
    return model;
}

enum { MOST_PICTURES = 256 };

/* What the command line asks for: the model, and the pictures or an IDX set. */
typedef struct {
    const char *model_path, *images, *labels; /* images and labels: NULL when not given */
    ArgOperands pictures;
} Request;

/* What args_parse leaves to the program: pictures or --images, one of the two,
 * and --labels only with --images. */
static int check_request(const Request *q, NnError *err)
{
    if (q->labels != NULL && q->images == NULL)
        return nn_error(err,
                        "--labels %s: labels go with --images FILE, the images they label "
                        "(see --help)",
                        q->labels);
    if (q->images != NULL && q->pictures.count > 0)
        return nn_error(err, "--images %s and the picture %s: give pictures, or --images, not both",
                        q->images, q->pictures.items[0]);
    if (q->images == NULL && q->pictures.count == 0)
        return nn_error(err, "no PICTURE given: give at least 1, or --images FILE (see --help)");
    return 0;
}

/* Reads the command line into *q. Returns ARGS_OK, ARGS_HELP after printing
 * the help, or ARGS_ERROR having said on stderr what is wrong. */
static int parse_command_line(int argc, char **argv, Request *q)
{
    const ArgSpec specs[] = {
        {"model", ARG_STRING, &q->model_path, 0, 0,
         "the path of a model file saved by ch08-using-the-network, train or ch10-convolution"},
        {"images", ARG_STRING, &q->images, 0, 0,
         "an IDX images file (MNIST's): one line per image, instead of pictures"},
        {"labels", ARG_STRING, &q->labels, 0, 0, "the IDX labels file of the --images"},
        {"PICTURE", ARG_OPERANDS, &q->pictures, 0, MOST_PICTURES,
         "the pictures of digits to read, PNG or PGM"},
    };
    NnError err;
    int status = args_parse(argc, argv, specs, sizeof specs / sizeof specs[0],
                            "Reads handwritten digits in PNG or PGM pictures, or MNIST's IDX "
                            "files, with a saved model.",
                            &err);
    if (status == ARGS_OK) status = check_request(q, &err);
    if (status == ARGS_ERROR) fprintf(stderr, "predict: %s\n", err.message);
    return status;
}

int main(int argc, char **argv)
{
    const char *items[MOST_PICTURES];
    Request q = {"build/model.nn", NULL, NULL, {items, 0}};
    int parsed = parse_command_line(argc, argv, &q);
    if (parsed != ARGS_OK) return parsed == ARGS_HELP ? 0 : 2;
    Model *model = load_model(q.model_path);
    if (model == NULL) return 1;
    ConvEngine conv;
    conv_engine_init(&conv);
    Reader r = {model, q.model_path, conv.engine.evaluate, mat_new(MNIST_PIXELS, 1),
                mat_new(MNIST_CLASSES, 1)};
    int failed = q.images != NULL && predict_set(&r, q.images, q.labels) != 0;
    for (size_t i = 0; i < q.pictures.count; i++) failed |= predict(&r, items[i]) != 0;
    mat_free(r.X), mat_free(r.p), model_free(model);
    conv_engine_release(&conv);
    return failed ? 1 : 0;
}
