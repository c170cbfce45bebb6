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

/* The bytes of the file for `sizes` (count of them): header, parameters, CRC. */
static size_t file_size(const size_t *sizes, size_t count)
{
    size_t numbers = 0;
    for (size_t l = 0; l + 1 < count; l++) numbers += sizes[l + 1] * (sizes[l] + 1);
    return HEADER + 4 * count + numbers * sizeof(real) + 4;
}

/* The whole file in memory: what model_save writes. */
static unsigned char *encode(const Model *model, size_t *n)
{
    size_t sizes[MODEL_MAX_SIZES], count = model->count + 1;
    sizes[0] = model_inputs(model);
    for (size_t l = 0; l < model->count; l++) sizes[l + 1] = model->layers[l].units;
    *n = file_size(sizes, count);
    unsigned char *data = nn_alloc(*n, 1, "the model file"), *p = data;
    memcpy(p, MAGIC, 8);
    put_u32(p + 8, MODEL_FILE_VERSION);
    put_u32(p + 12, (uint32_t)sizeof(real));
    put_u32(p + 16, (uint32_t)count);
    p += HEADER;
    for (size_t i = 0; i < count; i++, p += 4) put_u32(p, (uint32_t)sizes[i]);
    for (size_t l = 0; l < model->count; l++) {
        const Layer *layer = &model->layers[l];
        for (size_t i = 0; i < layer->W->rows * layer->W->cols; i++, p += sizeof(real))
            put_real(p, layer->W->data[i]);
        for (size_t i = 0; i < layer->units; i++, p += sizeof(real)) put_real(p, layer->b->data[i]);
    }
    put_u32(p, crc32_of(data, *n - 4));
    return data;
}

int model_save(const Model *model, const char *path, NnError *err)
{
    size_t n;
    unsigned char *data = encode(model, &n);
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

/* Checks the header of the n bytes at data; fills sizes and *count. */
static int check_header(const unsigned char *data, size_t n, const char *name, size_t *sizes,
                        size_t *count, NnError *err)
{
    if (n < 8 || memcmp(data, MAGIC, 8) != 0)
        return nn_error(err, "%s: not a model file (it does not start with \"NNMODEL\")", name);
    if (n < HEADER)
        return nn_error(err, "%s: cut short: %zu bytes, in the middle of the header", name, n);
    uint32_t version = get_u32(data + 8), scalar = get_u32(data + 12);
    if (version != MODEL_FILE_VERSION)
        return nn_error(err, "%s: format version %u; this program reads version %d", name,
                        (unsigned)version, MODEL_FILE_VERSION);
    if (scalar != 4 && scalar != 8)
        return nn_error(err, "%s: corrupt: a scalar of %u bytes", name, (unsigned)scalar);
    if (scalar != sizeof(real))
        return nn_error(err, "%s: holds %s numbers, but this program was built with %s: "
                             "rebuild with REAL=%s, or save the model from this build",
                        name, scalar == 4 ? "float" : "double", REAL_NAME,
                        scalar == 4 ? "float" : "double");
    uint32_t c = get_u32(data + 16);
    if (c < 2 || c > MODEL_MAX_SIZES)
        return nn_error(err, "%s: corrupt: %u layer sizes (2 to %d expected)", name, (unsigned)c,
                        MODEL_MAX_SIZES);
    *count = c;
    if (n < HEADER + 4 * (size_t)c)
        return nn_error(err, "%s: cut short: %zu bytes, in the middle of the header", name, n);
    for (size_t i = 0; i < c; i++) {
        sizes[i] = get_u32(data + HEADER + 4 * i);
        if (sizes[i] < 1 || sizes[i] > 65536)
            return nn_error(err, "%s: corrupt: layer size %zu", name, sizes[i]);
    }
    size_t expected = file_size(sizes, c);
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
                        NnError *err)
{
    size_t sizes[MODEL_MAX_SIZES], count = 0;
    if (check_header(data, n, name, sizes, &count, err) != 0) return NULL;
    Model *model = model_new(sizes, count, batch);
    const unsigned char *p = data + HEADER + 4 * count;
    for (size_t l = 0; l < model->count; l++) {
        Layer *layer = &model->layers[l];
        size_t weights = layer->W->rows * layer->W->cols, bad;
        const char *what = "W";
        if ((bad = get_finite(&p, layer->W->data, weights)) == weights) {
            what = "b";
            if ((bad = get_finite(&p, layer->b->data, layer->units)) == layer->units) continue;
        }
        model_free(model);
        nn_error(err, "%s: corrupt: %s%zu[%zu] is not a finite number (NaN or infinite)", name,
                 what, l + 1, bad);
        return NULL;
    }
    return model;
}

Model *model_load(const char *path, size_t batch, NnError *err)
{
    size_t n;
    unsigned char *data = file_read_all(path, MAX_FILE, "a model file", &n, err);
    if (data == NULL) return NULL;
    Model *model = model_from_bytes(data, n, path, batch, err);
    free(data);
    return model;
}
