/* model_file.c: the model file format (model_file.h). */
#include "model_file.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fail.h"
#include "file.h"
#include "output.h"

static const unsigned char MAGIC[8] = {'N', 'N', 'M', 'O', 'D', 'E', 'L', 0};
enum { HEADER = 20, MAX_FILE = 1 << 30 };

uint32_t crc32_of(const unsigned char *data, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A real as sizeof(real) little-endian bytes, and back. */
static void put_real(unsigned char *p, real x)
{
    unsigned char bytes[sizeof x];
    memcpy(bytes, &x, sizeof x);
    uint16_t probe = 1;
    int little = *(unsigned char *)&probe == 1;
    for (size_t i = 0; i < sizeof x; i++) p[i] = bytes[little ? i : sizeof x - 1 - i];
}

static real get_real(const unsigned char *p)
{
    unsigned char bytes[sizeof(real)];
    uint16_t probe = 1;
    int little = *(unsigned char *)&probe == 1;
    for (size_t i = 0; i < sizeof bytes; i++) bytes[little ? i : sizeof bytes - 1 - i] = p[i];
    real x;
    memcpy(&x, bytes, sizeof x);
    return x;
}

/* What a file's header says: its version, its layers (version 1's sizes or
 * version 2's text), where the parameters start and how many there are. */
typedef struct {
    uint32_t version;
    size_t sizes[MODEL_MAX_SIZES], count; /* version 1: n sizes, the input first */
    char text[MODEL_TEXT_MAX + 1];        /* version 2: t bytes, then a 0 here */
    size_t start, parameters;             /* start: 20 + 4n, or 20 + t */
} Header;

/* The bytes of the whole file: header, parameters, CRC. */
static size_t file_size(const Header *h)
{
    return h->start + h->parameters * sizeof(real) + 4;
}

static int has_convolutions(const Model *model)
{
    for (size_t l = 0; l < model->count; l++)
        if (model->layers[l].conv != NULL) return 1;
    return 0;
}

/* The header of model's file: version 1 for dense layers, else 2 with maker's text. */
static void header_of(const Model *model, const ModelMaker *maker, Header *h)
{
    h->parameters = model_parameter_count(model);
    if (!has_convolutions(model)) {
        h->version = 1, h->count = model->count + 1;
        h->sizes[0] = model_inputs(model);
        for (size_t l = 0; l < model->count; l++) h->sizes[l + 1] = model->layers[l].units;
        h->start = HEADER + 4 * h->count;
        return;
    }
    NN_REQUIRE(maker != NULL, "a model with convolution layers, and no maker to describe it");
    size_t length = maker->describe(model, h->text, sizeof h->text);
    NN_REQUIRE(length >= 1 && length <= MODEL_TEXT_MAX, "a layers' text of %zu bytes", length);
    h->version = 2, h->start = HEADER + length;
}

/* Every layer's W row by row, then its b, from p on; returns the end. */
static unsigned char *put_parameters(const Model *model, unsigned char *p)
{
    for (size_t l = 0; l < model->count; l++) {
        const Layer *layer = &model->layers[l];
        for (size_t i = 0; i < layer->W->rows * layer->W->cols; i++, p += sizeof(real))
            put_real(p, layer->W->data[i]);
        for (size_t i = 0; i < layer->b->rows; i++, p += sizeof(real))
            put_real(p, layer->b->data[i]);
    }
    return p;
}

/* The whole file in memory: what model_save writes. */
static unsigned char *encode(const Model *model, const ModelMaker *maker, size_t *n)
{
    Header h;
    header_of(model, maker, &h);
    *n = file_size(&h);
    unsigned char *data = nn_alloc(*n, 1, "the model file");
    memcpy(data, MAGIC, 8);
    put_u32(data + 8, h.version);
    put_u32(data + 12, (uint32_t)sizeof(real));
    put_u32(data + 16, (uint32_t)(h.version == 1 ? h.count : h.start - HEADER));
    if (h.version == 1)
        for (size_t i = 0; i < h.count; i++) put_u32(data + HEADER + 4 * i, (uint32_t)h.sizes[i]);
    else
        memcpy(data + HEADER, h.text, h.start - HEADER);
    unsigned char *end = put_parameters(model, data + h.start); /* then the CRC of it all */
    put_u32(end, crc32_of(data, *n - 4));
    return data;
}

int model_save(const Model *model, const char *path, const ModelMaker *maker, NnError *err)
{
    size_t n;
    unsigned char *data = encode(model, maker, &n);
    Output o;
    NnError why;
    int status = output_open(&o, path, &why);
    if (status == 0 && fwrite(data, 1, n, o.out) != n) {
        status = nn_error(&why, "%s: writing it failed: %s", path, strerror(errno));
        output_abandon(&o);
    } else if (status == 0)
        status = output_close(&o, &why);
    free(data);
    if (status == 0) return 0;
    if (access(path, F_OK) == 0)
        return nn_error(err, "%s (the model was not saved; the earlier file at %s is unchanged)",
                        why.message, path);
    return nn_error(err, "%s (the model was not saved)", why.message);
}

/* Checks the fields every version has: the magic, the version, the scalar
 * size; fills h->version. */
static int check_start(const unsigned char *data, size_t n, const char *name, Header *h,
                       NnError *err)
{
    if (n < 8 || memcmp(data, MAGIC, 8) != 0)
        return nn_error(err, "%s: not a model file (it does not start with \"NNMODEL\")", name);
    if (n < HEADER)
        return nn_error(err, "%s: cut short: %zu bytes, in the middle of the header", name, n);
    uint32_t version = get_u32(data + 8), scalar = get_u32(data + 12);
    if (version < 1 || version > MODEL_FILE_VERSION)
        return nn_error(err, "%s: format version %u; this program reads version %d and older", name,
                        (unsigned)version, MODEL_FILE_VERSION);
    if (scalar != 4 && scalar != 8)
        return nn_error(err, "%s: corrupt: a scalar of %u bytes", name, (unsigned)scalar);
    if (scalar != sizeof(real))
        return nn_error(err,
                        "%s: holds %s numbers, but this program was built with %s: "
                        "rebuild with REAL=%s, or save the model from this build",
                        name, scalar == 4 ? "float" : "double", REAL_NAME,
                        scalar == 4 ? "float" : "double");
    h->version = version;
    return 0;
}

/* Version 1's layer sizes, each in its range. */
static int check_sizes(const unsigned char *data, size_t n, const char *name, Header *h,
                       NnError *err)
{
    uint32_t c = get_u32(data + 16);
    if (c < 2 || c > MODEL_MAX_SIZES)
        return nn_error(err, "%s: corrupt: %u layer sizes (2 to %d expected)", name, (unsigned)c,
                        MODEL_MAX_SIZES);
    if (n < HEADER + 4 * (size_t)c)
        return nn_error(err, "%s: cut short: %zu bytes, in the middle of the header", name, n);
    h->count = c, h->start = HEADER + 4 * (size_t)c, h->parameters = 0;
    for (size_t i = 0; i < c; i++) {
        h->sizes[i] = get_u32(data + HEADER + 4 * i);
        if (h->sizes[i] < 1 || h->sizes[i] > 65536)
            return nn_error(err, "%s: corrupt: layer size %zu", name, h->sizes[i]);
        if (i > 0) h->parameters += h->sizes[i] * (h->sizes[i - 1] + 1);
    }
    return 0;
}

/* Version 2's layers' text: within the file, printable, and layers maker makes. */
static int check_text(const unsigned char *data, size_t n, const char *name,
                      const ModelMaker *maker, Header *h, NnError *err)
{
    uint32_t t = get_u32(data + 16);
    if (t < 1 || t > MODEL_TEXT_MAX)
        return nn_error(err, "%s: corrupt: a layers' text of %u bytes (1 to %d expected)", name,
                        (unsigned)t, MODEL_TEXT_MAX);
    if (n < HEADER + (size_t)t)
        return nn_error(err,
                        "%s: cut short: %zu bytes, in the middle of the layers' text, "
                        "which its header says is %u bytes from byte 20",
                        name, n, (unsigned)t);
    for (size_t i = 0; i < t; i++)
        if (data[HEADER + i] <= ' ' || data[HEADER + i] > '~')
            return nn_error(err,
                            "%s: corrupt: byte %zu of the layers' text is 0x%02x, "
                            "not a visible ASCII character",
                            name, i, data[HEADER + i]);
    memcpy(h->text, data + HEADER, t), h->text[t] = '\0';
    if (maker == NULL)
        return nn_error(err,
                        "%s: holds a network with convolution layers (\"%s\"), which this "
                        "program cannot compute: build/predict reads it, as does any program "
                        "built with chapter 10's modules",
                        name, h->text);
    NnError why;
    if (maker->parse(h->text, h->sizes, &h->count, &why) != 0)
        return nn_error(err, "%s: corrupt: its layers do not make a network: %s", name,
                        why.message);
    h->start = HEADER + t, h->parameters = maker->parameters(h->text);
    return 0;
}

/* Checks the header of the n bytes at data, then their length and their
 * CRC; fills h. */
static int check_header(const unsigned char *data, size_t n, const char *name,
                        const ModelMaker *maker, Header *h, NnError *err)
{
    if (check_start(data, n, name, h, err) != 0) return -1;
    if ((h->version == 1 ? check_sizes(data, n, name, h, err)
                         : check_text(data, n, name, maker, h, err)) != 0)
        return -1;
    size_t expected = file_size(h);
    if (n != expected)
        return nn_error(err, "%s: %s: %zu bytes where its header says %zu", name,
                        n < expected ? "cut short" : "too long", n, expected);
    if (crc32_of(data, n - 4) != get_u32(data + n - 4))
        return nn_error(err, "%s: corrupted: the checksum does not match its contents", name);
    return 0;
}

/* Reads count numbers from *p into x, moving *p past them. Returns the index
 * of the first that is not finite (NaN or infinite), or count. */
static size_t get_finite(const unsigned char **p, real *x, size_t count)
{
    for (size_t i = 0; i < count; i++, *p += sizeof(real)) {
        x[i] = get_real(*p);
        if (!isfinite(x[i])) return i;
    }
    return count;
}

Model *model_from_bytes(const unsigned char *data, size_t n, const char *name, size_t batch,
                        const ModelMaker *maker, NnError *err)
{
    Header h;
    if (check_header(data, n, name, maker, &h, err) != 0) return NULL;
    Model *model = h.version == 1 ? model_new(h.sizes, h.count, batch) : maker->make(h.text, batch);
    NN_REQUIRE(model_parameter_count(model) == h.parameters, "a model of %zu parameters, not %zu",
               model_parameter_count(model), h.parameters);
    const unsigned char *p = data + h.start;
    for (size_t l = 0; l < model->count; l++) {
        Layer *layer = &model->layers[l];
        size_t weights = layer->W->rows * layer->W->cols, biases = layer->b->rows, bad;
        const char *what = "W";
        if ((bad = get_finite(&p, layer->W->data, weights)) == weights) {
            what = "b";
            if ((bad = get_finite(&p, layer->b->data, biases)) == biases) continue;
        }
        model_free(model);
        nn_error(err, "%s: corrupt: %s%zu[%zu] is not a finite number (NaN or infinite)", name,
                 what, l + 1, bad);
        return NULL;
    }
    return model;
}

Model *model_load(const char *path, size_t batch, const ModelMaker *maker, NnError *err)
{
    size_t n;
    unsigned char *data = file_read_all(path, MAX_FILE, "a model file", &n, err);
    if (data == NULL) return NULL;
    Model *model = model_from_bytes(data, n, path, batch, maker, err);
    free(data);
    return model;
}
