/* feature_maps.h: what a convolution network makes of one digit, stage by
 * stage, written as text for plots/maps.gp (chapter 10).
 *
 * After training, test image FEATURE_MAPS_IMAGE goes through the model with
 * the evaluation ops, and <log without .tsv>.maps.tsv gets the image and,
 * for each convolution layer, its maps after pooling and ReLU, A (F·PH·PW ×
 * 1) (conv_layer.h): F maps of PH×PW. For "784,conv20k5,pool2,conv50k5,
 * pool2,500,10": the 28×28 digit, 20 maps of 12×12, 50 maps of 4×4.
 *
 *   # feature maps: test image 0, a 7 (the network's guess: 7)
 *   # stage	layer	maps	height	width	kernel	pool
 *   0	0	1	28	28	0	0          stage 0: the input, C maps of H×W
 *   1	1	20	12	12	5	2          stage s: layer l's F maps of PH×PW,
 *   2	2	50	4	4	5	2          from K×K kernels and p×p pooling
 *
 *
 *   0	0	...	0                  then one block per map, H lines of W
 *   ...                               numbers: the input's (the pixels as
 *                                     the network reads them, 0 .. 1), then
 *                                     each stage's, map 0 first
 * The table is data block 0, and the maps are blocks 1, 2, ..., every block
 * apart from the next by two blank lines: gnuplot's `index`. The maps of
 * stage s are the blocks after those of the stages before it. Fields are
 * apart by tabs. */
#ifndef NN_FEATURE_MAPS_H
#define NN_FEATURE_MAPS_H

#include "error.h"
#include "mnist.h"
#include "model.h"

enum { FEATURE_MAPS_IMAGE = 0 }; /* the test image shown: MNIST's first, a 7 */

/* Writes <log>.maps.tsv for model, whose first layers are convolutions
 * (conv_layer.h), from test image FEATURE_MAPS_IMAGE through ops; a model
 * whose first layer is dense has no maps: nothing is written. Returns 0, or
 * -1 with err naming the file. It is a model's inspect (model.h). */
int feature_maps_write(Model *model, const ModelOps *ops, const MnistSet *test,
                       const char *log_path, NnError *err);

#endif
