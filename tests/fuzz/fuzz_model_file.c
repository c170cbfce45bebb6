/* fuzz_model_file.c: feeds bytes to the model-file loader, model_from_bytes
 * (lib/model_file.c), which model_load and so predict and chapter 08 use.
 * Each input goes in twice: as it is, and with its last four bytes replaced
 * by the right CRC-32, so that the fuzzer gets past the checksum to the
 * header's sizes and the numbers behind them. */
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

int fuzz_model_file(const uint8_t *data, size_t n)
{
    load(data, n);
    if (n < 4) return 0;
    unsigned char *fixed = malloc(n);
    FUZZ_CHECK(fixed != NULL, "out of memory");
    memcpy(fixed, data, n);
    uint32_t crc = crc32_of(fixed, n - 4);
    for (int i = 0; i < 4; i++) fixed[n - 4 + (size_t)i] = (unsigned char)(crc >> (8 * i));
    load(fixed, n);
    free(fixed);
    return 0;
}
