/* file.h: reading a whole file into memory, for the parsers of chapter 08
 * (model files, PGM pictures), which then check every byte of it. */
#ifndef NN_FILE_H
#define NN_FILE_H

#include <stddef.h>

#include "error.h"

/* The contents of the file at path, malloc'd (free it), their length in *n.
 * NULL, with err naming the file, when it cannot be opened or read (a
 * folder), or is longer than `most` bytes (`what` names the kind of file
 * in that message). */
unsigned char *file_read_all(const char *path, size_t most, const char *what, size_t *n,
                             NnError *err);

#endif
