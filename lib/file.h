/* file.h: opening the files the programs are given to read, safely: the MNIST
 * files (chapter 02), model files and PGM pictures (chapter 08).
 *
 * A path given to a program may name anything: a folder, a device such as
 * /dev/null, or a FIFO, which a plain open() would wait on until something
 * writes into it, forever. So each path is opened once, without waiting, and
 * what it names is checked on that open file before a byte is read. */
#ifndef NN_FILE_H
#define NN_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

/* Opens the regular file at path for reading; its length goes into *length.
 * NULL, with err naming the file, when it cannot be opened or is not a
 * regular file ("a FIFO, not a file", "a folder, ...", "a device, ..."); the
 * message asks for the path of `what`, the kind of file expected ("a model
 * file"). */
FILE *file_open_input(const char *path, const char *what, uintmax_t *length, NnError *err);

/* Whether path (through links) is a file this program has opened to read
 * with file_open_input: output.h refuses to write over one. */
int file_was_read(const char *path);

/* The contents of the file at path (opened as file_open_input does),
 * malloc'd (free it), their length in *n. NULL, with err naming the file,
 * when it cannot be opened or read, or is longer than `most` bytes. */
unsigned char *file_read_all(const char *path, size_t most, const char *what, size_t *n,
                             NnError *err);

#endif
