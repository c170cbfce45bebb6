/* fuzz_model_file.c: feeds bytes to the model-file loader, model_from_bytes
 * (lib/model_file.c), which model_load and so predict and chapter 08 use.
 * Each input goes in twice: as it is, and with its last four bytes replaced
 * by the right CRC-32, so that the fuzzer gets past the checksum to the
 * header's sizes and the numbers behind them.
 *
 * Random bytes almost never make a file exactly as long as its header says,
 * so from an empty corpus the fuzzer would not get past the length check.
 * Its custom mutator (fuzz_model_file_mutate, which libfuzzer.c calls after
 * libFuzzer's own byte mutations) reads the bytes as a header to follow and
 * rebuilds the file around it: the magic, version 1, this build's scalar
 * size, 2 to 16 layer sizes, the parameters that were there (random finite
 * numbers where they run out), the length those imply and the CRC of it all.
 * One time in eight it keeps libFuzzer's bytes as they are, and one in eight
 * of the rebuilt files gets one defect, so that every refusal stays within
 * reach. */
#include <string.h>

#include "fuzz.h"
#include "model_file.h"

/* Loads the n bytes; checks a refusal's message, or the accepted model's size. */
static void load(const unsigned char *data, size_t n)
{
    NnError err = {""};
    Model *model = model_from_bytes(data, n, "fuzz.nn", 1, &err);
    if (model == NULL) {
        FUZZ_CHECK(strncmp(err.message, "fuzz.nn: ", 9) == 0, "refused without naming it: %s",
                   err.message);
        return;
    }
    size_t sizes = model->count + 1, expected = 20 + 4 * sizes + 4;
    expected += model_parameter_count(model) * sizeof(real);
    FUZZ_CHECK(n == expected, "accepted %zu bytes for a model of %zu bytes", n, expected);
    FUZZ_CHECK(sizes >= 2 && sizes <= MODEL_MAX_SIZES, "%zu sizes", sizes);
    model_free(model);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* The little-endian word at offset `at`, or 0 past the end of the n bytes. */
static uint32_t u32_at(const uint8_t *data, size_t n, size_t at)
{
    if (at + 4 > n) return 0;
    return (uint32_t)data[at] | (uint32_t)data[at + 1] << 8 | (uint32_t)data[at + 2] << 16 |
           (uint32_t)data[at + 3] << 24;
}

/* Replaces the last four of the n bytes by the CRC-32 of the others. */
static void fix_crc(uint8_t *data, size_t n)
{
    put_u32(data + n - 4, crc32_of(data, n - 4));
}

int fuzz_model_file(const uint8_t *data, size_t n)
{
    load(data, n);
    if (n < 4) return 0;
    unsigned char *fixed = malloc(n);
    FUZZ_CHECK(fixed != NULL, "out of memory");
    memcpy(fixed, data, n);
    fix_crc(fixed, n);
    load(fixed, n);
    free(fixed);
    return 0;
}

/* ---- the custom mutator ---------------------------------------------------------------------- */

enum { HEADER = 20 };

/* xorshift32: the mutator's choices, from libFuzzer's seed. */
static uint32_t draw(uint32_t *state)
{
    *state ^= *state << 13, *state ^= *state >> 17, *state ^= *state << 5;
    return *state;
}

/* The length of the file for count sizes: header, sizes, parameters, CRC. */
static size_t file_length(const size_t *sizes, size_t count)
{
    size_t numbers = 0;
    for (size_t l = 0; l + 1 < count; l++) numbers += sizes[l + 1] * (sizes[l] + 1);
    return HEADER + 4 * count + numbers * sizeof(real) + 4;
}

/* The sizes the n bytes' header gives where they are valid, small ones made
 * from them where not; then, until the file fits in most bytes, the largest
 * halved, or with all at 1 the last dropped. Returns their count, or 0 when
 * not even a model of sizes 1, 1 fits. */
static size_t follow_header(const uint8_t *data, size_t n, size_t most, size_t *sizes)
{
    uint32_t raw = u32_at(data, n, 16);
    size_t count = raw >= 2 && raw <= MODEL_MAX_SIZES ? raw : 2 + raw % 3;
    for (size_t i = 0; i < count; i++) {
        raw = u32_at(data, n, HEADER + 4 * i);
        sizes[i] = raw >= 1 && raw <= 65536 ? raw : 1 + raw % 16;
    }
    while (file_length(sizes, count) > most) {
        size_t largest = 0;
        for (size_t i = 1; i < count; i++) largest = sizes[i] > sizes[largest] ? i : largest;
        if (sizes[largest] > 1)
            sizes[largest] /= 2;
        else if (count > 2)
            count--;
        else
            return 0;
    }
    return count;
}

/* Gives the file of `length` bytes one defect: a header field out of range,
 * a number that is not finite, or a length one to eight bytes off; returns
 * the new length (at most `most`). */
static size_t break_one(uint8_t *data, size_t length, size_t most, size_t count, uint32_t *r)
{
    size_t parameters = (length - HEADER - 4 * count - 4) / sizeof(real), off = 1 + draw(r) % 8;
    switch (draw(r) % 5) {
    case 0: /* a later version */
        put_u32(data + 8, 2 + draw(r) % 3);
        break;
    case 1: /* the other scalar */
        put_u32(data + 12, sizeof(real) == 4 ? 8 : 4);
        break;
    case 2: /* a layer size out of range */
        put_u32(data + HEADER + 4 * (draw(r) % count), draw(r) % 2 ? 0 : 65537);
        break;
    case 3: /* a NaN among the parameters: all bits set */
        memset(data + HEADER + 4 * count + sizeof(real) * (draw(r) % parameters), 0xff,
               sizeof(real));
        break;
    default: /* a length off */
        return draw(r) % 2 && length + off <= most ? length + off : length - off;
    }
    fix_crc(data, length);
    return length;
}

/* Random bytes into data[from..to), the parameters starting at `first`: in
 * each number's last byte (sign and high exponent bits, little-endian) the
 * exponent's top bit is cleared, so that every new number is finite. */
static void fill_numbers(uint8_t *data, size_t from, size_t to, size_t first, uint32_t *r)
{
    for (size_t i = from; i < to; i++) {
        data[i] = (uint8_t)draw(r);
        if (i >= first && (i - first) % sizeof(real) == sizeof(real) - 1) data[i] &= 0xBF;
    }
}

size_t fuzz_model_file_mutate(uint8_t *data, size_t n, size_t most, unsigned seed)
{
    uint32_t r = seed | 1;
    if (draw(&r) % 8 == 0) return n; /* libFuzzer's bytes as they are */
    size_t sizes[MODEL_MAX_SIZES], count = follow_header(data, n, most, sizes);
    if (count == 0) return n; /* no room for even the smallest model */
    size_t length = file_length(sizes, count);
    fill_numbers(data, n, length, HEADER + 4 * count, &r); /* numbers where the bytes ran out */
    memcpy(data, "NNMODEL", 8);
    put_u32(data + 8, MODEL_FILE_VERSION);
    put_u32(data + 12, sizeof(real));
    put_u32(data + 16, (uint32_t)count);
    for (size_t i = 0; i < count; i++) put_u32(data + HEADER + 4 * i, (uint32_t)sizes[i]);
    fix_crc(data, length);
    return draw(&r) % 8 == 0 ? break_one(data, length, most, count, &r) : length;
}
