/* fuzz_pgm.c: feeds bytes to the PGM reader, pgm_parse (lib/pgm.c), as
 * predict reads a picture, and each picture it accepts to digitize
 * (lib/digitize.c), which predict runs next. */
#include <string.h>

#include "digitize.h"
#include "fuzz.h"
#include "pgm.h"

int fuzz_pgm(const uint8_t *data, size_t n)
{
    PgmImage img;
    NnError err = {""};
    if (pgm_parse(data, n, "fuzz.pgm", &img, &err) != 0) {
        FUZZ_CHECK(img.grey == NULL, "a refused picture kept its pixels");
        FUZZ_CHECK(strncmp(err.message, "fuzz.pgm: ", 10) == 0, "refused without naming it: %s",
                   err.message);
        return 0;
    }
    FUZZ_CHECK(img.width >= 1 && img.width <= PGM_MAX_SIDE && img.height >= 1 &&
                   img.height <= PGM_MAX_SIDE,
               "accepted %zu×%zu pixels", img.width, img.height);
    FUZZ_CHECK(img.maxval >= 1 && img.maxval <= 65535, "accepted maxval %u", img.maxval);
    for (size_t i = 0; i < img.width * img.height; i++)
        FUZZ_CHECK(img.grey[i] >= 0 && img.grey[i] <= 1, "grey level %g at %zu", img.grey[i], i);
    unsigned char pixels[DIGIT_SIDE * DIGIT_SIDE];
    if (digitize(&img, "fuzz.pgm", pixels, &err) != 0)
        FUZZ_CHECK(strncmp(err.message, "fuzz.pgm: ", 10) == 0, "refused without naming it: %s",
                   err.message);
    pgm_free(&img);
    return 0;
}
