/* model_file.h: saving a trained model to a file, and loading it back.
 *
 * The format, version 1. All integers are unsigned, little-endian; the
 * numbers are IEEE 754, little-endian, of the scalar type named in the header.
 *   offset  bytes  what
 *   0       8      magic: the bytes "NNMODEL" and a 0
 *   8       4      format version: 1
 *   12      4      scalar size in bytes: 4 (float) or 8 (double)
 *   16      4      n, the number of layer sizes: 2 to 16 (n - 1 layers)
 *   20      4·n    the sizes, input first: 784, ..., 10
 *   ...            for each layer l: W_l (units × inputs) row by row, then b_l
 *   end - 4 4      CRC-32 (the one of zip and PNG) of every byte before it
 * A file is exactly as long as its header says; anything else is corrupt.
 *
 * Saving writes the file as output.h writes every file: under a unique
 * temporary name, renamed to path only once every byte is written and flushed
 * to the disk, so that a crash, a full disk or another run saving to the same
 * path midway leaves a whole file at path, never a torn one. Loading checks all of the above and
 * says what is wrong: not a model file, cut short, corrupted, a newer version,
 * the other scalar type, a parameter that is NaN or infinite. */
#ifndef NN_MODEL_FILE_H
#define NN_MODEL_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "model.h"

#define MODEL_FILE_VERSION 1

/* Saves model's sizes and parameters at path. Returns 0, or -1 with err. */
int model_save(const Model *model, const char *path, NnError *err);

/* Loads the model at path, with workspace for batches of up to `batch`.
 * Returns it, or NULL with err saying what was wrong. */
Model *model_load(const char *path, size_t batch, NnError *err);

/* Loads a model from the n bytes at data (a whole file's contents); `name`
 * names it in messages. model_load reads the file and calls this. */
Model *model_from_bytes(const unsigned char *data, size_t n, const char *name, size_t batch,
                        NnError *err);

/* The CRC-32 of n bytes (polynomial 0xEDB88320, as zip and PNG). */
uint32_t crc32_of(const unsigned char *data, size_t n);

#endif
