/* fuzz_png.c: feeds bytes to predict's picture reader, picture_parse (lib/picture.c: PNG
 * through libpng, PGM through lib/pgm.c), and each picture it accepts to digitize
 * (fuzz_picture.h checks both).
 *
 * Every PNG chunk ends with the CRC-32 of its type and data, which libpng checks first: a
 * byte changed at random would mostly be refused there, before libpng reads what the chunk
 * says. So the custom mutator, fuzz_png_mutate, which libfuzzer.c calls after each of
 * libFuzzer's own mutations, writes every whole chunk's CRC afresh, except one time in eight,
 * which keeps libFuzzer's bytes as they are, so that a wrong CRC stays within reach. */
#include "fuzz.h"
#include "fuzz_picture.h"
#include "model_file.h"
#include "picture.h"

int fuzz_png(const uint8_t *data, size_t n)
{
    return fuzz_picture(picture_parse, "fuzz.png", data, n);
}

static uint32_t big_endian_32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t fuzz_png_mutate(uint8_t *data, size_t n, size_t most, unsigned seed)
{
    (void)most;
    if (seed % 8 == 0) return n;
    /* After the 8-byte signature, each chunk: its data's length, 4 bytes of type, the data,
     * then the CRC of type and data (crc32_of: PNG's CRC-32), all big-endian. */
    for (size_t at = 8; at + 12 <= n && big_endian_32(data + at) <= n - at - 12;) {
        size_t length = big_endian_32(data + at);
        uint32_t crc = crc32_of(data + at + 4, length + 4);
        for (int i = 0; i < 4; i++)
            data[at + 8 + length + (size_t)i] = (uint8_t)(crc >> (24 - 8 * i));
        at += 12 + length;
    }
    return n;
}
