/* inspect.c: the confusion matrix, the worst digits and the weights, as text
 * files for the plots (inspect.h). */
#include "inspect.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fail.h"
#include "softmax.h"
#include "trainlog.h"

/* What the network says of example j of the batch: its guess (the largest
 * logit) and, through softmax, the probabilities of the guess and the label. */
static Verdict judge(const Matrix *Z2, size_t j, int label)
{
    size_t guess = mat_argmax_col(Z2, j);
    LogSumExp lse = log_softmax_col(Z2, j, NULL); /* ln p_r = (z_r - max) - ln Σ */
    return (Verdict){.label = label,
                     .guess = (int)guess,
                     .p_guess = exp((double)(MAT_AT(Z2, guess, j) - lse.max) - lse.log_sum),
                     .p_label =
                         exp((double)(MAT_AT(Z2, (size_t)label, j) - lse.max) - lse.log_sum)};
}

/* Keeps v if it is among the INSPECT_WORST lowest p_label seen, in order. */
static void keep_if_worse(Inspection *in, Verdict v)
{
    size_t at = in->worst_count;
    while (at > 0 && in->worst[at - 1].p_label > v.p_label) at--;
    if (at == INSPECT_WORST) return;
    size_t last = in->worst_count < INSPECT_WORST ? in->worst_count : INSPECT_WORST - 1;
    memmove(&in->worst[at + 1], &in->worst[at], (last - at) * sizeof v);
    in->worst[at] = v;
    if (in->worst_count < INSPECT_WORST) in->worst_count++;
}

void inspect_batch(void *inspection, const Matrix *Z2, const MnistSet *set, size_t first)
{
    Inspection *in = inspection;
    NN_REQUIRE(Z2->rows == MNIST_CLASSES, "logits have %zu rows, not %d", Z2->rows, MNIST_CLASSES);
    for (size_t j = 0; j < Z2->cols; j++) {
        Verdict v = judge(Z2, j, set->labels[first + j]);
        v.index = first + j;
        in->confusion[v.label][v.guess]++;
        keep_if_worse(in, v);
    }
}

/* The width of the tiles W1's rows are drawn as: the image's, when a row
 * weighs every pixel (a dense layer); K, when it weighs a K×K patch of the
 * image (chapter 10's convolution, whose W1 is F × K·K on one channel); else
 * the whole row, a strip. */
static size_t tile_width(const Matrix *W1, const MnistSet *set)
{
    if (W1->cols == set->rows * set->cols) return set->cols;
    size_t k = 1;
    while (k * k < W1->cols) k++;
    return k * k == W1->cols ? k : W1->cols;
}

static void write_weights(FILE *out, const Matrix *W1, const MnistSet *set)
{
    size_t side = tile_width(W1, set), rows = W1->cols / side;
    fprintf(out, "# first-layer weights W1 (%zu×%zu): one %zu×%zu block per %s\n", W1->rows,
            W1->cols, rows, side, rows == set->rows ? "hidden unit" : "filter");
    for (size_t i = 0; i < W1->rows; i++) {
        if (i > 0) fputs("\n\n", out);
        for (size_t k = 0; k < W1->cols; k++)
            fprintf(out, "%.6g%c", (double)MAT_AT(W1, i, k), (k + 1) % side != 0 ? '\t' : '\n');
    }
}

static void write_confusion(FILE *out, const Inspection *in)
{
    fputs("label\tguess\tcount\n", out);
    for (int label = 0; label < MNIST_CLASSES; label++) {
        for (int guess = 0; guess < MNIST_CLASSES; guess++)
            fprintf(out, "%d\t%d\t%zu\n", label, guess, in->confusion[label][guess]);
        fputc('\n', out);
    }
}

static void write_worst(FILE *out, const Inspection *in)
{
    fputs("rank\tindex\tlabel\tguess\tp_guess\tp_label\n", out);
    for (size_t r = 0; r < in->worst_count; r++) {
        const Verdict *v = &in->worst[r];
        fprintf(out, "%zu\t%zu\t%d\t%d\t%.6f\t%.6f\n", r + 1, v->index, v->label, v->guess,
                v->p_guess, v->p_label);
    }
}

static void write_worst_images(FILE *out, const Inspection *in, const MnistSet *set)
{
    size_t pixels = set->rows * set->cols;
    for (size_t r = 0; r < in->worst_count; r++) {
        const unsigned char *image = set->pixels + in->worst[r].index * pixels;
        if (r > 0) fputs("\n\n", out);
        for (size_t k = 0; k < pixels; k++)
            fprintf(out, "%u%c", image[k], (k + 1) % set->cols != 0 ? '\t' : '\n');
    }
}

int inspect_open(Output *o, const char *log_path, const char *name, NnError *err)
{
    char path[OUTPUT_PATH_MAX];
    if (trainlog_sibling(path, sizeof path, log_path, name, err) != 0) return -1;
    if (trainlog_make_parent_dirs(path, err) != 0) return -1;
    return output_open(o, path, err);
}

/* Removes <log>.<name>.tsv if it is there: an earlier run's file. */
static int remove_earlier(const char *log_path, const char *name, NnError *err)
{
    char path[OUTPUT_PATH_MAX];
    if (trainlog_sibling(path, sizeof path, log_path, name, err) != 0) return -1;
    if (output_not_an_input(path, err) != 0) return -1;
    if (unlink(path) == 0 || errno == ENOENT) return 0;
    return nn_error(err, "%s: cannot remove this earlier run's file: %s", path, strerror(errno));
}

const char *const INSPECT_FILE_NAMES[INSPECT_FILES] = {"weights", "confusion", "worst",
                                                       "worst-images", "maps"};

int inspect_write(const Inspection *in, const Matrix *W1, const MnistSet *set, const char *log_path,
                  NnError *err)
{
    for (size_t f = 0; f < INSPECT_MAPS; f++) {
        Output o;
        if (inspect_open(&o, log_path, INSPECT_FILE_NAMES[f], err) != 0) return -1;
        FILE *out = o.out;
        switch (f) {
        case 0: write_weights(out, W1, set); break;
        case 1: write_confusion(out, in); break;
        case 2: write_worst(out, in); break;
        default: write_worst_images(out, in, set); break;
        }
        if (output_close(&o, err) != 0) return -1;
    }
    return remove_earlier(log_path, INSPECT_FILE_NAMES[INSPECT_MAPS], err);
}
