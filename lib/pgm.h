/* pgm.h: reading greyscale pictures in the PGM format (netpbm), the simplest
 * one any drawing program can save.
 *
 * A PGM file is a header of four fields, separated by whitespace, with
 * comments from '#' to the end of a line:
 *     P5  width  height  maxval        (P2 for the plain-text variant)
 * then, after one whitespace character, width × height grey values row by
 * row from the top: bytes when maxval < 256, else two bytes each, most
 * significant first (P5); or decimal numbers separated by whitespace (P2).
 * 0 is black and maxval is white. pgm.c lists the rules to the letter.
 *
 * The reader checks all of it and says what is wrong and where: another
 * format; which header field is missing, negative, not a number or out of
 * range; which pixel is missing, negative, not a number or above maxval.
 * Pixel i is at x = i mod width, y = i / width, counting from 0 at the top
 * left. */
#ifndef NN_PGM_H
#define NN_PGM_H

#include <stddef.h>

#include "error.h"

enum { PGM_MAX_SIDE = 4096 };

typedef struct {
    size_t width, height;
    unsigned maxval;
    double *grey; /* width × height values, row by row: 0 black .. 1 white */
} PgmImage;

/* Reads the file at path into *img (free it with pgm_free). Returns 0, or -1
 * with err naming the file and the problem. */
int pgm_read(const char *path, PgmImage *img, NnError *err);

/* Parses the n bytes at data (a whole file); `name` names it in messages. */
int pgm_parse(const unsigned char *data, size_t n, const char *name, PgmImage *img, NnError *err);

void pgm_free(PgmImage *img);

#endif
