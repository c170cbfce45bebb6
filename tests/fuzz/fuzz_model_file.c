/* fuzz_model_file.c: feeds bytes to the model-file loader, model_from_bytes
 * (lib/model_file.c), which model_load and so predict, chapters 08 and 10 and
 * build/train use. Each input goes in twice: as it is, and with its last four
 * bytes replaced by the right CRC-32, so that the fuzzer gets past the
 * checksum to the header's layers and the numbers behind them; and each time
 * it is read twice, as predict reads it, with chapter 10's maker
 * (CONVNET_MAKER, lib/convnet.h), and as a program of dense networks reads
 * it, without one.
 *
 * Random bytes almost never make a file exactly as long as its header says,
 * so from an empty corpus the fuzzer would not get past the length check.
 * Its custom mutator (fuzz_model_file_mutate, which libfuzzer.c calls after
 * libFuzzer's own byte mutations) reads the bytes as a header to follow and
 * rebuilds the file around it: the magic, the version the bytes give (1 or
 * 2, else either), this build's scalar size, then version 1's 2 to 16 layer
 * sizes or version 2's layers' text (the bytes' own when the maker reads it
 * and it fits, else one of a few small networks), the parameters that were
 * there (random finite numbers where they run out), the length those imply
 * and the CRC of it all. One time in eight it keeps libFuzzer's bytes as
 * they are, and one in eight of the rebuilt files gets one defect, so that
 * every refusal stays within reach. */
#include <string.h>

#include "convnet.h"
#include "fuzz.h"
#include "model_file.h"

/* The little-endian word at offset `at`, or 0 past the end of the n bytes. */
static uint32_t u32_at(const uint8_t *data, size_t n, size_t at)
{
    if (at + 4 > n) return 0;
    return (uint32_t)data[at] | (uint32_t)data[at + 1] << 8 | (uint32_t)data[at + 2] << 16 |
           (uint32_t)data[at + 3] << 24;
}

/* Loads the n bytes with maker (NULL: dense networks only); checks a
 * refusal's message, or the accepted model's size. */
static void load(const unsigned char *data, size_t n, const ModelMaker *maker)
{
    NnError err = {""};
    Model *model = model_from_bytes(data, n, "fuzz.nn", 1, maker, &err);
    if (model == NULL) {
        FUZZ_CHECK(strncmp(err.message, "fuzz.nn: ", 9) == 0, "refused without naming it: %s",
                   err.message);
        return;
    }
    uint32_t version = u32_at(data, n, 8), word = u32_at(data, n, 16);
    FUZZ_CHECK(version == 1 || (version == 2 && maker != NULL), "version %u accepted",
               (unsigned)version);
    size_t expected = 20 + (version == 1 ? 4 * (size_t)word : word) + 4;
    expected += model_parameter_count(model) * sizeof(real);
    FUZZ_CHECK(n == expected, "accepted %zu bytes for a model of %zu bytes", n, expected);
    FUZZ_CHECK(model->count >= 1 && model->count < MODEL_MAX_SIZES, "%zu layers", model->count);
    model_free(model);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Replaces the last four of the n bytes by the CRC-32 of the others. */
static void fix_crc(uint8_t *data, size_t n)
{
    put_u32(data + n - 4, crc32_of(data, n - 4));
}

int fuzz_model_file(const uint8_t *data, size_t n)
{
    load(data, n, &CONVNET_MAKER);
    load(data, n, NULL);
    if (n < 4) return 0;
    unsigned char *fixed = malloc(n);
    FUZZ_CHECK(fixed != NULL, "out of memory");
    memcpy(fixed, data, n);
    fix_crc(fixed, n);
    load(fixed, n, &CONVNET_MAKER);
    load(fixed, n, NULL);
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

/* The file the mutator makes: its version, the word at offset 16 (version
 * 1's n sizes, version 2's t bytes of text), its layers, where the
 * parameters start and how many there are. */
typedef struct {
    uint32_t version, word;
    size_t sizes[MODEL_MAX_SIZES]; /* version 1 */
    char text[MODEL_TEXT_MAX + 1]; /* version 2 */
    size_t start, parameters;
} Rebuilt;

/* Its length: header, layers, parameters, CRC. */
static size_t rebuilt_length(const Rebuilt *f)
{
    return f->start + f->parameters * sizeof(real) + 4;
}

/* Version 1's start and parameters, from its word sizes. */
static void count_dense(Rebuilt *f)
{
    f->start = HEADER + 4 * (size_t)f->word, f->parameters = 0;
    for (size_t l = 0; l + 1 < f->word; l++) f->parameters += f->sizes[l + 1] * (f->sizes[l] + 1);
}

/* Version 1: the sizes the n bytes' header gives where they are valid, small
 * ones made from them where not; then, until the file fits in most bytes,
 * the largest halved, or with all at 1 the last dropped. Returns 0, or -1
 * when not even a model of sizes 1, 1 fits. */
static int follow_sizes(const uint8_t *data, size_t n, size_t most, Rebuilt *f)
{
    uint32_t raw = u32_at(data, n, 16);
    f->word = raw >= 2 && raw <= MODEL_MAX_SIZES ? raw : 2 + raw % 3;
    for (size_t i = 0; i < f->word; i++) {
        raw = u32_at(data, n, HEADER + 4 * i);
        f->sizes[i] = raw >= 1 && raw <= 65536 ? raw : 1 + raw % 16;
    }
    for (count_dense(f); rebuilt_length(f) > most; count_dense(f)) {
        size_t largest = 0;
        for (size_t i = 1; i < f->word; i++)
            if (f->sizes[i] > f->sizes[largest]) largest = i;
        if (f->sizes[largest] > 1)
            f->sizes[largest] /= 2;
        else if (f->word > 2)
            f->word--;
        else
            return -1;
    }
    return 0;
}

/* Small networks of every kind of layer, for bytes whose text the maker does not read. */
static const char *const SMALL_NETWORKS[] = {"1,conv1k1,1", "9,conv2k2,pool2,3",
                                             "16,conv2k3,conv3k2,5", "2x5x5,conv3k3s2p1,pool2,4,2"};
enum { SMALL_COUNT = sizeof SMALL_NETWORKS / sizeof SMALL_NETWORKS[0] };

/* Whether f->text is layers the maker reads, in a file of at most `most`
 * bytes; fills the rest of f. */
static int text_fits(size_t most, Rebuilt *f)
{
    size_t sizes[MODEL_MAX_SIZES], count;
    NnError err;
    if (CONVNET_MAKER.parse(f->text, sizes, &count, &err) != 0) return 0;
    f->word = (uint32_t)strlen(f->text), f->start = HEADER + f->word;
    f->parameters = CONVNET_MAKER.parameters(f->text);
    return rebuilt_length(f) <= most;
}

/* Version 2: the n bytes' own layers' text when the maker reads it and the
 * file fits in most bytes, else a small network that fits. Returns 0, or -1
 * when none fits. */
static int follow_text(const uint8_t *data, size_t n, size_t most, Rebuilt *f, uint32_t *r)
{
    uint32_t t = u32_at(data, n, 16);
    if (t >= 1 && t <= MODEL_TEXT_MAX && HEADER + t <= n) {
        memcpy(f->text, data + HEADER, t), f->text[t] = '\0';
        if (strlen(f->text) == t && text_fits(most, f)) return 0;
    }
    for (size_t i = 0, first = draw(r) % SMALL_COUNT; i < SMALL_COUNT; i++) {
        strcpy(f->text, SMALL_NETWORKS[(first + i) % SMALL_COUNT]);
        if (text_fits(most, f)) return 0;
    }
    return -1;
}

/* The layers made wrong: a size out of range (version 1), or (version 2) a
 * byte of the text changed or a text length past the file's end. */
static void break_layers(uint8_t *data, size_t length, const Rebuilt *f, uint32_t *r)
{
    if (f->version == 1)
        put_u32(data + HEADER + 4 * (draw(r) % f->word), draw(r) % 2 ? 0 : 65537);
    else if (draw(r) % 2)
        data[HEADER + draw(r) % f->word] = (uint8_t)draw(r);
    else
        put_u32(data + 16, (uint32_t)(length - HEADER + draw(r) % 8));
}

/* Gives the file of `length` bytes one defect: a header field out of range,
 * its layers wrong, a number that is not finite, or a length one to eight
 * bytes off; returns the new length (at most `most`). */
static size_t break_one(uint8_t *data, size_t length, size_t most, const Rebuilt *f, uint32_t *r)
{
    size_t off = 1 + draw(r) % 8;
    switch (draw(r) % 5) {
    case 0: /* a later version */ put_u32(data + 8, MODEL_FILE_VERSION + 1 + draw(r) % 3); break;
    case 1: /* the other scalar */ put_u32(data + 12, sizeof(real) == 4 ? 8 : 4); break;
    case 2: break_layers(data, length, f, r); break;
    case 3: /* a NaN among the parameters: all bits set */
        memset(data + f->start + sizeof(real) * (draw(r) % f->parameters), 0xff, sizeof(real));
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

/* The magic, f's version, this build's scalar size, f's word and layers. */
static void write_header(uint8_t *data, const Rebuilt *f)
{
    memcpy(data, "NNMODEL", 8);
    put_u32(data + 8, f->version);
    put_u32(data + 12, sizeof(real));
    put_u32(data + 16, f->word);
    if (f->version == 1)
        for (size_t i = 0; i < f->word; i++) put_u32(data + HEADER + 4 * i, (uint32_t)f->sizes[i]);
    else
        memcpy(data + HEADER, f->text, f->word);
}

size_t fuzz_model_file_mutate(uint8_t *data, size_t n, size_t most, unsigned seed)
{
    uint32_t r = seed | 1;
    if (draw(&r) % 8 == 0) return n; /* libFuzzer's bytes as they are */
    Rebuilt f = {.version = u32_at(data, n, 8)};
    if (f.version != 1 && f.version != 2) f.version = 1 + draw(&r) % 2;
    int fits =
        f.version == 1 ? follow_sizes(data, n, most, &f) : follow_text(data, n, most, &f, &r);
    if (fits != 0) return n; /* no room for even the smallest model */
    size_t length = rebuilt_length(&f);
    fill_numbers(data, n, length, f.start, &r); /* numbers where the bytes ran out */
    write_header(data, &f);
    fix_crc(data, length);
    return draw(&r) % 8 == 0 ? break_one(data, length, most, &f, &r) : length;
}
