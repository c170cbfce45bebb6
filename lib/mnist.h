/* mnist.h: reading the MNIST digits from their IDX files, and turning them
 * into the matrices the network eats.
 *
 * The IDX format (http://yann.lecun.com/exdb/mnist/): a big-endian header,
 *   images: magic 0x00000803, count, rows, cols, then count·rows·cols bytes;
 *   labels: magic 0x00000801, count, then count bytes, each a digit 0..9.
 * The reader checks all of it (magic, dimensions, sizes against the file's
 * length, labels in range, counts that agree) and returns an error naming the
 * file, what it expected and what it found, and how to fix it.
 * A set keeps the pixels as loaded, one image after another, as bytes:
 * 0 is paper, 255 is ink. */
#ifndef NN_MNIST_H
#define NN_MNIST_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "matrix.h"

/* MNIST's sizes: every digit is a square of 28×28 pixels, and there are ten
 * digits, so the network reads 784 numbers and gives 10 scores. */
enum { MNIST_SIDE = 28, MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE, MNIST_CLASSES = 10 };

typedef struct {
    size_t count;          /* number of images (and labels) */
    size_t rows, cols;     /* 28 × 28 for MNIST */
    unsigned char *pixels; /* count · rows · cols bytes, image after image, row by row */
    unsigned char *labels; /* count digits, 0..9 */
} MnistSet;

/* Loads a pair of IDX files, of images of any size. Each path is opened as
 * file.h does: a FIFO, a device or a folder is refused, without waiting.
 * On success returns 0 and fills *set (free it with mnist_free); on failure
 * returns -1, leaves *set empty, and says why in err. */
int mnist_load(const char *images_path, const char *labels_path, MnistSet *set, NnError *err);

/* Loads an IDX images file alone, as mnist_load does: set->labels stays NULL. */
int mnist_load_images(const char *path, MnistSet *set, NnError *err);

/* Loads "<dir>/<prefix>-images-idx3-ubyte" and "<dir>/<prefix>-labels-idx1-ubyte",
 * prefix "train" or "t10k". */
int mnist_load_named(const char *dir, const char *prefix, MnistSet *set, NnError *err);

/* Loads the training and test sets from data_dir, or, when none of the four
 * files of the full set is there, from the bundled sample in data_dir/sample,
 * saying so on stderr. *used_sample (may be NULL) tells which. A corrupt or
 * partial full set is an error, not a reason to fall back. So is a set the
 * network cannot read: images that are not MNIST_SIDE × MNIST_SIDE (its
 * MNIST_PIXELS inputs), or fewer than 2 training images (one to learn from,
 * one held out to validate on). Every program loads its data here. */
int mnist_load_both(const char *data_dir, MnistSet *train, MnistSet *test, int *used_sample,
                    NnError *err);

/* Frees what a load allocated and empties *set; safe on an empty set. */
void mnist_free(MnistSet *set);

/* A pixel's byte as the network reads it: b/255, from 0 (paper) to 1 (ink). */
static inline real mnist_pixel(unsigned char b)
{
    return (real)b / (real)255;
}

/* Copies images index[0..m-1] into the columns of X (rows·cols × m), each
 * pixel divided by 255, and, when Y is not NULL, their labels one-hot into the
 * columns of Y (10 × m). A batch is gathered by copying.
 * A shape that does not fit, or an index past the set, is a bug: it stops. */
void mnist_gather(Matrix *X, Matrix *Y, const MnistSet *set, const size_t *index, size_t m);

/* Draws image `i` in the terminal, one line per row, two characters per pixel
 * from "  " (paper) through ".." "::" "--" "==" "++" "**" "##" "%%" to "@@"
 * (full ink), then "label: <digit>". Lines stop at their last inked pixel, so
 * no line ends in spaces: lessons show the drawing byte for byte. */
void mnist_draw(FILE *out, const MnistSet *set, size_t i);

/* The drawing alone, of any rows × cols image of bytes (0 paper .. 255 ink). */
void mnist_draw_pixels(FILE *out, const unsigned char *image, size_t rows, size_t cols);

#endif
