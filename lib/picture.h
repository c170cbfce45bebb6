/* picture.h: reading a picture of a digit for predict, PNG or PGM, into the
 * grey image of pgm.h, which digitize (digitize.h) makes an MNIST digit of.
 *
 * The file's first bytes say which it is, whatever its name: the PNG
 * signature (89 50 4E 47 0D 0A 1A 0A), or PGM's P5 or P2 (pgm.h reads it).
 *
 * A PNG is decoded by libpng, when the build found it (the Makefile asks
 * pkg-config, and defines NN_HAVE_PNG): any kind of PNG, grey, grey with
 * alpha, RGB, RGBA or a palette, of 1 to 16 bits a channel, interlaced or
 * not. Each pixel becomes one grey level, 0 black to 1 white, from the values
 * stored in the file (its gamma is not applied, as PGM's is not):
 *   - a value v of a b-bit channel counts as v / (2^b - 1); a palette's
 *     colours are 8-bit;
 *   - a colour gives grey = 0.299 R + 0.587 G + 0.114 B (the luma of ITU-R
 *     BT.601, as ImageMagick and Pillow make colour grey);
 *   - alpha a (0 clear to 1 opaque) lies over white paper:
 *     grey = a·grey + (1 - a), so that a transparent background is paper.
 * maxval is 65535 for a 16-bit PNG, else 255. Width and height are 1 to
 * PGM_MAX_SIDE, as for PGM. A build without libpng refuses a PNG, saying
 * which package to install. */
#ifndef NN_PICTURE_H
#define NN_PICTURE_H

#include <stddef.h>

#include "error.h"
#include "pgm.h"

/* Reads the file at path, opened once as file.h does (a FIFO, a folder or a
 * device is refused at once), into *img (free it with pgm_free). Returns 0,
 * or -1 with err naming the file and what is wrong with it. */
int picture_read(const char *path, PgmImage *img, NnError *err);

/* The same from the n bytes at data, a whole file; `name` names it in
 * messages. */
int picture_parse(const unsigned char *data, size_t n, const char *name, PgmImage *img,
                  NnError *err);

#endif
