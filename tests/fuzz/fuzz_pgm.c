/* fuzz_pgm.c: feeds bytes to the PGM reader, pgm_parse (lib/pgm.c), and each
 * picture it accepts to digitize (lib/digitize.c), which predict runs next
 * (fuzz_picture.h checks both). */
#include "fuzz.h"
#include "fuzz_picture.h"
#include "pgm.h"

int fuzz_pgm(const uint8_t *data, size_t n)
{
    return fuzz_picture(pgm_parse, "fuzz.pgm", data, n);
}
