/* fuzz_picture.h: what the picture readers' fuzz targets (fuzz_pgm.c, fuzz_png.c) check, whatever
 * the bytes: a refusal names the input and keeps no pixels; an accepted picture has a size
 * and a maxval within pgm.h's limits and grey levels from 0 to 1, and goes on to digitize, as
 * in predict, whose refusal (a blank picture) names it too. Header-only: each target is built
 * alone with the library (mk/fuzz.mk). */
#ifndef NN_FUZZ_PICTURE_H
#define NN_FUZZ_PICTURE_H

#include <string.h>

#include "digitize.h"
#include "fuzz.h"
#include "pgm.h"

/* A reader of a whole file's bytes: pgm_parse, or picture_parse (picture.h). */
typedef int (*PictureParse)(const unsigned char *data, size_t n, const char *name, PgmImage *img,
                            NnError *err);

/* Feeds the n bytes to parse as the file `name` ("fuzz.png"), then to digitize. */
static inline int fuzz_picture(PictureParse parse, const char *name, const uint8_t *data, size_t n)
{
    PgmImage img;
    NnError err = {""};
    size_t named = strlen(name);
    if (parse(data, n, name, &img, &err) != 0) {
        FUZZ_CHECK(img.grey == NULL, "a refused picture kept its pixels");
        FUZZ_CHECK(strncmp(err.message, name, named) == 0 && err.message[named] == ':',
                   "refused without naming it: %s", err.message);
        return 0;
    }
    FUZZ_CHECK(img.width >= 1 && img.width <= PGM_MAX_SIDE && img.height >= 1 &&
                   img.height <= PGM_MAX_SIDE,
               "accepted %zu×%zu pixels", img.width, img.height);
    FUZZ_CHECK(img.maxval >= 1 && img.maxval <= 65535, "accepted maxval %u", img.maxval);
    for (size_t i = 0; i < img.width * img.height; i++)
        FUZZ_CHECK(img.grey[i] >= 0 && img.grey[i] <= 1, "grey level %g at %zu", img.grey[i], i);
    unsigned char pixels[DIGIT_SIDE * DIGIT_SIDE];
    if (digitize(&img, name, pixels, &err) != 0)
        FUZZ_CHECK(strncmp(err.message, name, named) == 0 && err.message[named] == ':',
                   "refused without naming it: %s", err.message);
    pgm_free(&img);
    return 0;
}

#endif
