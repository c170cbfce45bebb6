/* model_bytes.h: reading and damaging model files (lib/model_file.h) byte by
 * byte, for the suites that check the format (check_08_files.c,
 * check_10_files.c). Header-only, like sample.h: the runners of the chapters
 * before 08, which have no model file, never include it. */
#ifndef NN_TEST_MODEL_BYTES_H
#define NN_TEST_MODEL_BYTES_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model_file.h"

/* The little-endian 32-bit integer at p. */
static inline uint32_t u32_at(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Rewrites the checksum of the n bytes, so that damage is found by what it breaks. */
static inline void fix_crc(unsigned char *data, size_t n)
{
    uint32_t crc = crc32_of(data, n - 4);
    for (int i = 0; i < 4; i++) data[n - 4 + (size_t)i] = (unsigned char)(crc >> (8 * i));
}

/* Fails unless loading the n bytes, named m.nn, with maker (NULL: dense
 * networks only) is refused with a message naming m.nn and holding `why`. */
static inline void assert_model_refused(const unsigned char *data, size_t n,
                                        const ModelMaker *maker, const char *why)
{
    NnError err;
    Model *model = model_from_bytes(data, n, "m.nn", 1, maker, &err);
    ck_assert_msg(model == NULL, "damaged bytes were loaded (expected: %s)", why);
    ck_assert_msg(strncmp(err.message, "m.nn: ", 6) == 0 && strstr(err.message, why),
                  "expected \"%s\" in: %s", why, err.message);
}

/* Fails unless the n bytes, with the number at offset `at` made `bad` (NaN
 * or infinite) and the checksum rewritten, are refused with `why`. */
static inline void assert_number_refused(const unsigned char *data, size_t n, size_t at, real bad,
                                         const ModelMaker *maker, const char *why)
{
    unsigned char *copy = malloc(n);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, data, n), memcpy(copy + at, &bad, sizeof bad), fix_crc(copy, n);
    assert_model_refused(copy, n, maker, why);
    free(copy);
}

#endif
