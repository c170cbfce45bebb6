/* model_file.h: saving a trained model to a file, and loading it back.
 *
 * The format. All integers are unsigned, little-endian; the numbers are
 * IEEE 754, little-endian, of the scalar type named in the header. Every
 * version starts the same:
 *   offset  bytes  what
 *   0       8      magic: the bytes "NNMODEL" and a 0
 *   8       4      format version: 1 or 2
 *   12      4      scalar size in bytes: 4 (float) or 8 (double)
 * Version 1, a network of dense layers only (chapter 08), goes on:
 *   16      4      n, the number of layer sizes: 2 to 16 (n - 1 layers)
 *   20      4·n    the sizes, input first: 784, ..., 10
 *   20 + 4n        for each layer l: W_l (units × inputs) row by row, then b_l
 *   end - 4 4      CRC-32 (the one of zip and PNG) of every byte before it
 * Version 2, a network with convolution layers (chapter 10), goes on:
 *   16      4      t, the length of the layers' text: 1 to MODEL_TEXT_MAX
 *   20      t      the layers as text, printable ASCII, no 0 after it, in
 *                  the canonical form of the maker that reads it (recipe.h):
 *                  "784,conv20k5,pool2,conv50k5,pool2,500,10" (convnet.h)
 *   20 + t         for each layer l: W_l row by row, then b_l; a convolution's
 *                  W_l is (F × C·K·K), its b_l (F×1) (conv_layer.h)
 *   end - 4 4      CRC-32 of every byte before it
 * A file is exactly as long as its header says; anything else is corrupt. A
 * model without a convolution is saved as version 1, so that a dense
 * network's file is the same, byte for byte, whichever program saves it.
 *
 * Saving writes the file as output.h writes every file: under a unique
 * temporary name, renamed to path only once every byte is written and flushed
 * to the disk, so that a crash, a full disk or another run saving to the same
 * path midway leaves a whole file at path, never a torn one. Loading checks all of the above and
 * says what is wrong: not a model file, cut short, corrupted, a newer version,
 * the other scalar type, layers that do not make a network, a parameter that
 * is NaN or infinite; and, to a program without chapter 10's maker, that the
 * file holds convolution layers. */
#ifndef NN_MODEL_FILE_H
#define NN_MODEL_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "model.h"
#include "recipe.h"

#define MODEL_FILE_VERSION 2 /* the newest: 1 for dense networks, 2 with convolutions */

enum { MODEL_TEXT_MAX = 1024 }; /* the longest layers' text of a version-2 file */

/* Saves model's layers and parameters at path: version 1 when every layer is
 * dense, else version 2 with the layers as maker writes them (maker may be
 * NULL for a dense model). Returns 0, or -1 with err. */
int model_save(const Model *model, const char *path, const ModelMaker *maker, NnError *err);

/* Loads the model at path, with workspace for batches of up to `batch`;
 * maker (chapter 10's CONVNET_MAKER) makes a version-2 file's layers, and
 * NULL reads dense networks only. Returns the model, or NULL with err saying
 * what was wrong. */
Model *model_load(const char *path, size_t batch, const ModelMaker *maker, NnError *err);

/* Loads a model from the n bytes at data (a whole file's contents); `name`
 * names it in messages. model_load reads the file and calls this. */
Model *model_from_bytes(const unsigned char *data, size_t n, const char *name, size_t batch,
                        const ModelMaker *maker, NnError *err);

/* The CRC-32 of n bytes (polynomial 0xEDB88320, as zip and PNG). */
uint32_t crc32_of(const unsigned char *data, size_t n);

#endif
