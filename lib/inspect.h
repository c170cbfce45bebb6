/* inspect.h: what a trained network learned, written as text for the pictures.
 *
 * After training, a program shows its network the test set (evaluate_observed
 * with inspect_batch) and writes, next to its epoch log <log>.tsv:
 *   <log>.weights.tsv       the first layer's weights W1 (h×784): one block
 *                           of 28 lines of 28 per hidden unit, its weights
 *                           laid out as the pixels they weigh, blocks apart by
 *                           two blank lines (chapter 10's convolution reads a
 *                           K×K patch, not the image: one block of K lines of
 *                           K per filter);
 *   <log>.confusion.tsv     label, guess, count: how often each digit was taken
 *                           for each digit, a blank line after each label;
 *   <log>.worst.tsv         rank, index, label, guess, p_guess, p_label: the
 *                           test digits given the lowest probability of their
 *                           true label, worst first;
 *   <log>.worst-images.tsv  their pixels (0 paper .. 255 ink), one block of 28
 *                           lines of 28 per digit, blocks apart by two blank lines.
 * plots/weights.gp, plots/confusion.gp and plots/worst.gp draw them. */
#ifndef NN_INSPECT_H
#define NN_INSPECT_H

#include <stddef.h>

#include "error.h"
#include "matrix.h"
#include "mnist.h"
#include "output.h"

enum { INSPECT_WORST = 24 };

/* One test digit and what the network made of it. */
typedef struct {
    size_t index; /* in the test set */
    int label, guess;
    double p_guess, p_label; /* the network's probabilities for each */
} Verdict;

typedef struct {
    size_t confusion[MNIST_CLASSES][MNIST_CLASSES]; /* [label][guess]: how many */
    Verdict worst[INSPECT_WORST];                   /* lowest p_label first */
    size_t worst_count;
} Inspection;

/* A BatchObserver (evaluate.h) for an Inspection: counts each example of the
 * batch with logits Z2 (10×m) into the confusion matrix and keeps the worst. */
void inspect_batch(void *inspection, const Matrix *Z2, const MnistSet *set, size_t first);

/* The names of the files a run writes beside its log, <log without
 * .tsv>.<name>.tsv: the four above, then "maps", chapter 10's feature maps
 * (feature_maps.h), which only a model of convolution layers writes, after
 * these. A program that must not write over a file checks every one
 * (saved_run.c). */
enum { INSPECT_FILES = 5, INSPECT_MAPS = 4 };
extern const char *const INSPECT_FILE_NAMES[INSPECT_FILES];

/* Writes the four files above for the run logged at log_path; W1 is the first
 * layer's weights (h × set's pixels), set the data inspected. Removes the
 * maps an earlier run left beside the same log: a model with maps writes
 * its own after this, and no picture of another run is drawn as this one's. */
int inspect_write(const Inspection *in, const Matrix *W1, const MnistSet *set, const char *log_path,
                  NnError *err);

/* Opens <log without .tsv>.<name>.tsv for writing, as output.h writes every
 * file, making its folders first. */
int inspect_open(Output *o, const char *log_path, const char *name, NnError *err);

#endif
