/* pgm.c: the PGM reader (pgm.h).
 *
 * The rules it follows are netpbm's (pgm(5), pbm(5); netpbm.sourceforge.net/doc/pgm.html),
 * checked against what netpbm's own library, libnetpbm 11, does with the same bytes:
 *  - "P5" or "P2", then width, height and maxval in ASCII decimal, each after whitespace.
 *    Whitespace is space, tab, CR, LF, VT or FF, the format's "white space" (C's isspace() in
 *    the C locale). libnetpbm skips only the first four in the header and refuses VT and FF
 *    ("junk in file"); the format admits them, and so do we.
 *  - A comment runs from '#' to the next CR or LF, and may stand wherever whitespace may,
 *    before the whitespace character that ends maxval: between the fields, and right after
 *    maxval's digits. Its CR or LF is whitespace, not part of it: libnetpbm reads
 *    "255# made by GIMP\n" as maxval 255 then that LF as the one character before the pixels.
 *    (The format page of early 2024 counts the CR or LF into the comment, and so asks for one
 *    more whitespace character after a comment that ends the header; the library does not.)
 *  - After maxval, one whitespace character, then the pixels: a second newline in a P5 file is
 *    pixel 0. libnetpbm takes any byte there; the format says whitespace, and so do we.
 *  - P5 pixels are bytes, or two bytes, most significant first, when maxval is above 255.
 *  - P2 pixels are decimal numbers of any length with whitespace between them; comments may
 *    stand between them too, as libnetpbm allows. The last may end the file.
 *  - Every number is a run of digits that whitespace, a comment or the end of the file ends:
 *    libnetpbm ends a number at any byte ("2x1" is a width of 2), the format does not.
 *  - The reader stops after the first picture: a P5 file may hold more, which it ignores. */
#include "pgm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "file.h"

enum { MAX_FILE = 128 << 20 }; /* a P2 file of 4096×4096 five-digit values, and some */
enum { NUMBER_CAP = 1000000 }; /* a number read stops growing here: above any valid field */
enum { SHOWN_DIGITS = 24 };    /* a longer number is quoted in a message cut to this, and "…" */

/* A cursor over the file's bytes. */
typedef struct {
    const unsigned char *data;
    size_t n, at;
} Cursor;

static int is_white(unsigned char b)
{
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f';
}

static int is_digit(unsigned char b)
{
    return b >= '0' && b <= '9';
}

/* Moves past a comment, at c->at, from '#' up to the CR or LF that ends it (not past that). */
static void skip_comment(Cursor *c)
{
    while (c->at < c->n && c->data[c->at] != '\n' && c->data[c->at] != '\r') c->at++;
}

/* Skips whitespace and comments. */
static void skip_space(Cursor *c)
{
    while (c->at < c->n && (is_white(c->data[c->at]) || c->data[c->at] == '#')) {
        if (c->data[c->at] == '#')
            skip_comment(c);
        else
            c->at++;
    }
}

/* What stood where a number should be. */
typedef enum {
    NUMBER_OK,         /* digits, then whitespace, a comment or the end of the file */
    NUMBER_END,        /* the end of the file */
    NUMBER_NEGATIVE,   /* a minus sign and digits */
    NUMBER_NOT_DIGITS, /* some other byte, at c->at */
    NUMBER_UNENDED     /* digits, then some other byte, at c->at */
} NumberKind;

typedef struct {
    NumberKind kind;
    long value;      /* its value, or NUMBER_CAP if that is larger */
    size_t from, to; /* where it is written in the file; from == to for a P5 pixel */
} Number;

/* Reads the number after whitespace and comments; on NUMBER_NOT_DIGITS and
 * NUMBER_UNENDED, c->at is left at the byte that does not belong. */
static Number read_number(Cursor *c)
{
    skip_space(c);
    Number x = {c->at == c->n ? NUMBER_END : NUMBER_OK, 0, c->at, c->at};
    int negative = c->at < c->n && c->data[c->at] == '-';
    c->at += (size_t)negative;
    size_t digits = c->at;
    for (; c->at < c->n && is_digit(c->data[c->at]); c->at++)
        x.value = x.value >= NUMBER_CAP ? NUMBER_CAP : x.value * 10 + (c->data[c->at] - '0');
    x.to = c->at;
    if (x.kind == NUMBER_END) return x;
    if (c->at == digits)
        x.kind = NUMBER_NOT_DIGITS, c->at = x.from;
    else if (negative)
        x.kind = NUMBER_NEGATIVE;
    else if (c->at < c->n && !is_white(c->data[c->at]) && c->data[c->at] != '#')
        x.kind = NUMBER_UNENDED;
    return x;
}

/* The number as written, for a message: cut to SHOWN_DIGITS with "…" if longer. */
static const char *number_text(const Cursor *c, const Number *x, char out[SHOWN_DIGITS + 8])
{
    size_t length = x->to - x->from;
    if (length == 0)
        snprintf(out, SHOWN_DIGITS + 8, "%ld", x->value);
    else
        snprintf(out, SHOWN_DIGITS + 8, "%.*s%s",
                 (int)(length < SHOWN_DIGITS ? length : SHOWN_DIGITS),
                 (const char *)c->data + x->from, length > SHOWN_DIGITS ? "…" : "");
    return out;
}

/* The byte at c->at, for a message: 'x' when printable, else its value. */
static const char *byte_text(const Cursor *c, char out[16])
{
    unsigned char b = c->data[c->at];
    snprintf(out, 16, b > ' ' && b < 0x7f ? "'%c'" : "byte 0x%02x", b);
    return out;
}

static const char HEADER_FORM[] = "a PGM header is `P5 width height maxval` (or P2) in decimal, "
                                  "with whitespace between the fields";

/* Reads header field `field` into *value; -1 with err saying what stood there instead. */
static int read_field(Cursor *c, const char *name, const char *field, long *value, NnError *err)
{
    Number x = read_number(c);
    char text[SHOWN_DIGITS + 8], byte[16];
    *value = x.value;
    switch (x.kind) {
    case NUMBER_OK:
        if (x.value < NUMBER_CAP) return 0;
        return nn_error(err,
                        "%s: %s where the %s should be: far too large; width and height are 1 "
                        "to %d, maxval 1 to 65535",
                        name, number_text(c, &x, text), field, PGM_MAX_SIDE);
    case NUMBER_END:
        return nn_error(err,
                        "%s: the header is cut short: the file ends where the %s should "
                        "be; %s",
                        name, field, HEADER_FORM);
    case NUMBER_NEGATIVE:
        return nn_error(err, "%s: a negative number, %s, where the %s should be; %s", name,
                        number_text(c, &x, text), field, HEADER_FORM);
    case NUMBER_NOT_DIGITS:
        return nn_error(err, "%s: %s where the %s should be; %s", name, byte_text(c, byte), field,
                        HEADER_FORM);
    case NUMBER_UNENDED: break;
    }
    return nn_error(err, "%s: %s right after the %s, %s; %s", name, byte_text(c, byte), field,
                    number_text(c, &x, text), HEADER_FORM);
}

/* Reads the magic number, which whitespace or a comment must follow; *plain is 1 for P2. */
static int read_magic(Cursor *c, const char *name, int *plain, NnError *err)
{
    if (c->n < 2 || c->data[0] != 'P' || (c->data[1] != '5' && c->data[1] != '2'))
        return nn_error(err,
                        "%s: not a PGM picture (it does not start with P5 or P2); save it "
                        "as PGM, for example with `convert picture.png picture.pgm`",
                        name);
    *plain = c->data[1] == '2';
    c->at = 2;
    char byte[16];
    if (c->at < c->n && !is_white(c->data[c->at]) && c->data[c->at] != '#')
        return nn_error(err, "%s: %s right after P%c; %s", name, byte_text(c, byte), c->data[1],
                        HEADER_FORM);
    return 0;
}

/* Checks the ranges of width, height and maxval, naming the one out of range. */
static int check_fields(const long value[3], const char *name, NnError *err)
{
    for (int i = 0; i < 2; i++)
        if (value[i] < 1 || value[i] > PGM_MAX_SIDE)
            return nn_error(err,
                            "%s: %ld×%ld pixels: the %s is out of range; width and height "
                            "must be 1 to %d",
                            name, value[0], value[1], i == 0 ? "width" : "height", PGM_MAX_SIDE);
    if (value[2] < 1 || value[2] > 65535)
        return nn_error(err, "%s: maxval %ld is out of range; it must be 1 to 65535", name,
                        value[2]);
    return 0;
}

/* After maxval's digits: the one whitespace character before the pixels, or
 * a comment and the CR or LF that ends it. */
static int end_header(Cursor *c, const char *name, NnError *err)
{
    if (c->at < c->n && c->data[c->at] == '#') skip_comment(c);
    if (c->at == c->n)
        return nn_error(err,
                        "%s: no whitespace after the header: the file ends after the maxval; "
                        "the pixels follow it after one whitespace character",
                        name);
    c->at++; /* the one whitespace character before the pixels */
    return 0;
}

static int read_header(Cursor *c, const char *name, PgmImage *img, int *plain, NnError *err)
{
    static const char *const field[] = {"width", "height", "maxval"};
    long value[3];
    if (read_magic(c, name, plain, err) != 0) return -1;
    for (int i = 0; i < 3; i++)
        if (read_field(c, name, field[i], &value[i], err) != 0) return -1;
    if (check_fields(value, name, err) != 0 || end_header(c, name, err) != 0) return -1;
    img->width = (size_t)value[0], img->height = (size_t)value[1], img->maxval = (unsigned)value[2];
    return 0;
}

/* The next pixel: P5's one or two bytes, or P2's decimal number. */
static Number read_pixel(Cursor *c, int plain, unsigned maxval)
{
    if (plain) return read_number(c);
    size_t bytes = maxval < 256 ? 1 : 2;
    if (c->n - c->at < bytes) return (Number){NUMBER_END, 0, c->at, c->at};
    long v = bytes == 1 ? c->data[c->at] : (long)c->data[c->at] << 8 | c->data[c->at + 1];
    c->at += bytes;
    return (Number){NUMBER_OK, v, c->at, c->at};
}

static const char PLAIN_FORM[] = "plain PGM (P2) pixels are decimal numbers with whitespace "
                                 "between them";

/* Checks pixel i, x, as read; -1 with err saying what is wrong with it, and where it is. */
static int check_pixel(const Cursor *c, const Number *x, size_t i, const PgmImage *img,
                       const char *name, NnError *err)
{
    size_t count = img->width * img->height, px = i % img->width, py = i / img->width;
    char text[SHOWN_DIGITS + 8], byte[16];
    switch (x->kind) {
    case NUMBER_OK:
        if (x->value <= (long)img->maxval) return 0;
        return nn_error(err, "%s: pixel %zu is %s, above maxval %u (at x = %zu, y = %zu)", name, i,
                        number_text(c, x, text), img->maxval, px, py);
    case NUMBER_END:
        return nn_error(err,
                        "%s: cut short: %zu of %zu pixels; the file ends where pixel %zu "
                        "(x = %zu, y = %zu) should be",
                        name, i, count, i, px, py);
    case NUMBER_NEGATIVE:
        return nn_error(err,
                        "%s: pixel %zu (x = %zu, y = %zu) is negative, %s; pixels are 0 "
                        "(black) to maxval %u (white)",
                        name, i, px, py, number_text(c, x, text), img->maxval);
    case NUMBER_NOT_DIGITS:
        return nn_error(err,
                        "%s: cut short: %zu of %zu pixels, then %s where pixel %zu "
                        "(x = %zu, y = %zu) should be; %s",
                        name, i, count, byte_text(c, byte), i, px, py, PLAIN_FORM);
    case NUMBER_UNENDED: break;
    }
    return nn_error(err, "%s: %s right after pixel %zu (x = %zu, y = %zu), %s; %s", name,
                    byte_text(c, byte), i, px, py, number_text(c, x, text), PLAIN_FORM);
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
        Number x = read_pixel(&c, plain, img->maxval);
        if (check_pixel(&c, &x, i, img, name, err) != 0) {
            pgm_free(img);
            return -1;
        }
        img->grey[i] = (double)x.value / img->maxval;
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
