/* convnet.h: a network of convolution and dense layers, written as text.
 *
 * Chapter 06's layers are sizes, "784,256,128,10". Chapter 10 adds two
 * words to that list:
 *   convFkK[sS][pP]  F filters of K×K, stride S (1), padding P (0), then ReLU
 *   poolN            max pooling over N×N windows, N apart, on the
 *                    convolution just before it (conv_layer.h)
 * so that "784,conv20k5,pool2,conv50k5,pool2,500,10" is LeNet's design:
 * two convolution and pooling stages, then dense layers. The first entry is
 * the input: a number of pixels (784: one channel of a square 28×28 image)
 * or maps written CxHxW ("1x28x28", "3x32x32"). Convolutions come before
 * every dense layer (a dense layer's output has no pixels left to slide
 * over), and the last layer is dense: it gives the logits. */
#ifndef NN_CONVNET_H
#define NN_CONVNET_H

#include <stddef.h>

#include "conv_layer.h"
#include "error.h"
#include "model.h"
#include "recipe.h"

typedef struct {
    size_t count;                    /* layers */
    size_t channels, height, width;  /* the input maps */
    ConvShape conv[MODEL_MAX_SIZES]; /* layer l's shape when it convolves, filters 0 when dense */
    size_t units[MODEL_MAX_SIZES];   /* layer l's outputs: F·PH·PW, or the dense layer's units */
} ConvNetSpec;

/* Reads text into spec. Returns 0, or -1 with err naming the word that is
 * wrong and why (a kernel larger than its input, a pool without a
 * convolution before it, a dense layer before a convolution, too many
 * parameters: model.h's limits). */
int convnet_parse(const char *text, ConvNetSpec *spec, NnError *err);

/* A model of spec's layers, parameters zero, for batches of up to `batch`;
 * after training it writes its feature maps with the pictures' other files
 * (its inspect, feature_maps.h). */
Model *convnet_new(const ConvNetSpec *spec, size_t batch);

/* convnet_parse, convnet_new and convnet_describe as a recipe's ModelMaker
 * (recipe.h), for --layers and the model file: every layer's outputs are
 * its sizes. */
extern const ModelMaker CONVNET_MAKER;

/* Writes model's layers into out as the text that makes it, in one
 * canonical form: "784,conv20k5,pool2,conv50k5,pool2,500,10", the input as
 * a pixel count when it is one square channel (else CxHxW), a stride only
 * when it is not 1 and a padding only when it is not 0 ("conv16k3s2p1").
 * convnet_parse reads it back into the same layers. Returns the length of
 * the whole text, as snprintf does: out holds all of it when that is below
 * size. */
size_t convnet_describe(const Model *model, char *out, size_t size);

#endif
