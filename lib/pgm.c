/* pgm.c: the PGM reader (pgm.h). */
#include "pgm.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "file.h"

enum { MAX_FILE = 128 << 20 }; /* a P2 file of 4096×4096 five-digit values, and some */

/* A cursor over the file's bytes. */
typedef struct {
    const unsigned char *data;
    size_t n, at;
} Cursor;

/* Skips whitespace and comments (from '#' to the end of the line). */
static void skip_space(Cursor *c)
{
    while (c->at < c->n) {
        if (c->data[c->at] == '#')
            while (c->at < c->n && c->data[c->at] != '\n') c->at++;
        else if (isspace(c->data[c->at]))
            c->at++;
        else
            break;
    }
}

/* Reads a decimal number of at most 9 digits; -1 if there is none. */
static long read_number(Cursor *c)
{
    skip_space(c);
    long value = 0;
    size_t digits = 0;
    while (c->at < c->n && isdigit(c->data[c->at]) && digits < 9) {
        value = value * 10 + (c->data[c->at++] - '0');
        digits++;
    }
    if (digits == 0 || (c->at < c->n && isdigit(c->data[c->at]))) return -1;
    return value;
}

static int read_header(Cursor *c, const char *name, PgmImage *img, int *plain, NnError *err)
{
    if (c->n < 2 || c->data[0] != 'P' || (c->data[1] != '5' && c->data[1] != '2'))
        return nn_error(err, "%s: not a PGM picture (it does not start with P5 or P2); save it "
                             "as PGM, for example with `convert picture.png picture.pgm`", name);
    *plain = c->data[1] == '2';
    c->at = 2;
    const char *field[] = {"width", "height", "maxval"};
    long value[3];
    for (int i = 0; i < 3; i++) {
        value[i] = read_number(c);
        if (value[i] < 0)
            return nn_error(err, "%s: the header is cut short or broken where the %s should be",
                            name, field[i]);
    }
    if (value[0] < 1 || value[0] > PGM_MAX_SIDE || value[1] < 1 || value[1] > PGM_MAX_SIDE)
        return nn_error(err, "%s: %ld×%ld pixels; width and height must be 1 to %d", name,
                        value[0], value[1], PGM_MAX_SIDE);
    if (value[2] < 1 || value[2] > 65535)
        return nn_error(err, "%s: maxval %ld; it must be 1 to 65535", name, value[2]);
    if (c->at >= c->n || !isspace(c->data[c->at]))
        return nn_error(err, "%s: no whitespace after the header", name);
    c->at++; /* the one whitespace character before the pixels */
    img->width = (size_t)value[0], img->height = (size_t)value[1], img->maxval = (unsigned)value[2];
    return 0;
}

/* Reads pixel i (P5: one or two bytes; P2: a number); -1 when missing. */
static long read_pixel(Cursor *c, int plain, unsigned maxval)
{
    if (plain) return read_number(c);
    size_t bytes = maxval < 256 ? 1 : 2;
    if (c->n - c->at < bytes) return -1;
    long v = bytes == 1 ? c->data[c->at] : (long)c->data[c->at] << 8 | c->data[c->at + 1];
    c->at += bytes;
    return v;
}

int pgm_parse(const unsigned char *data, size_t n, const char *name, PgmImage *img, NnError *err)
{
    Cursor c = {data, n, 0};
    int plain = 0;
    *img = (PgmImage){0};
    if (read_header(&c, name, img, &plain, err) != 0) return -1;
    size_t count = img->width * img->height;
    img->grey = nn_alloc(count, sizeof *img->grey, "the picture");
    for (size_t i = 0; i < count; i++) {
        long v = read_pixel(&c, plain, img->maxval);
        if (v < 0 || v > (long)img->maxval) {
            if (v < 0)
                nn_error(err, "%s: cut short: %zu of %zu pixels", name, i, count);
            else
                nn_error(err, "%s: pixel %zu is %ld, above maxval %u", name, i, v, img->maxval);
            pgm_free(img);
            return -1;
        }
        img->grey[i] = (double)v / img->maxval;
    }
    return 0;
}

int pgm_read(const char *path, PgmImage *img, NnError *err)
{
    *img = (PgmImage){0};
    size_t n;
    unsigned char *data = file_read_all(path, MAX_FILE, "a PGM picture", &n, err);
    if (data == NULL) return -1;
    int status = pgm_parse(data, n, path, img, err);
    free(data);
    return status;
}

void pgm_free(PgmImage *img)
{
    free(img->grey);
    *img = (PgmImage){0};
}
