/* picture.c: PNG told from PGM, and PNG decoded with libpng (picture.h).
 *
 * libpng (its manual: libpng.org/pub/png/libpng-manual.txt) reports a damaged file by calling
 * an error function that must not return: ours writes the message into the caller's NnError
 * and jumps back, with longjmp, to the setjmp in decode. What decoding allocates hangs off the
 * PngRead, never off a local variable the jump would lose, and parse_png frees it either way.
 * One transform, png_set_expand, makes every PNG 8 or 16 bits a channel, with 1 to 4 channels
 * (grey; grey and alpha; RGB; RGBA): a palette becomes RGB, grey of 1, 2 or 4 bits becomes 8,
 * and a tRNS chunk (one colour, or some palette entries, marked transparent) becomes alpha. */
#include "picture.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "file.h"

enum { MAX_FILE = 128 << 20 }; /* pgm.c's limit: a 4096×4096 picture of any kind, and more */

static const unsigned char PNG_SIGNATURE[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

#ifdef NN_HAVE_PNG
#include <png.h>
#include <setjmp.h>

/* One grey level from a pixel's channels, each 0..top: grey; grey, alpha; R, G, B; or R, G, B,
 * alpha. In whole numbers, a·luma + (1 - a) over their common denominator: never above 1. */
static double grey_of(const uint32_t *v, int channels, uint32_t top)
{
    uint64_t scale = 1000 * (uint64_t)top; /* luma's largest value */
    uint64_t luma = channels >= 3
                        ? 299 * (uint64_t)v[0] + 587 * (uint64_t)v[1] + 114 * (uint64_t)v[2]
                        : 1000 * (uint64_t)v[0];
    uint64_t alpha = channels % 2 == 0 ? v[channels - 1] : top;
    return (double)(alpha * luma + (top - alpha) * scale) / (double)(top * scale);
}

/* A PNG being decoded: the file's bytes, libpng's state, and what it decoded. */
typedef struct {
    const unsigned char *data;
    size_t n, at; /* the file's length, and how much of it libpng has read */
    const char *name;
    NnError *err;
    png_structp png;
    png_infop info;
    int channels, depth; /* after png_set_expand: 1 to 4 channels of 8 or 16 bits */
    int passes;          /* 7 when interlaced (Adam7), else 1 */
    png_bytep *row;      /* the decoded rows, each malloc'd... */
    size_t rows;         /* ...the first `rows` of them so far */
    char warning[160];   /* libpng's last warning, "" if none */
} PngRead;

static void on_error(png_structp png, png_const_charp message)
{
    PngRead *r = png_get_error_ptr(png);
    nn_error(r->err,
             "%s: a damaged PNG picture: %s%s%s%s; save it again from the program that "
             "made it",
             r->name, message, r->warning[0] ? " (libpng's last warning: " : "", r->warning,
             r->warning[0] ? ")" : "");
    png_longjmp(png, 1);
}

/* A warning: a damaged chunk the picture does not need (text, a colour profile), which
 * libpng skips, and so do we; or the detail of an error to come ("Image width is zero in
 * IHDR" before "Invalid IHDR data"), which on_error then shows. */
static void on_warning(png_structp png, png_const_charp message)
{
    PngRead *r = png_get_error_ptr(png);
    snprintf(r->warning, sizeof r->warning, "%s", message);
}

/* libpng's way in to the file: the next `length` bytes of it. */
static void read_bytes(png_structp png, png_bytep out, size_t length)
{
    PngRead *r = png_get_io_ptr(png);
    if (length > r->n - r->at) png_error(png, "the file ends before the picture does (cut short)");
    memcpy(out, r->data + r->at, length);
    r->at += length;
}

/* Deflate, PNG's compression, makes at most 1032 bytes of 1 (a run of 258 bytes costs 2 bits at
 * best): a file of n bytes holds at most 1032·n bytes of rows, each a filter byte and then the
 * pixels. A header that promises more belongs to a file cut short: refused before the rows
 * are given memory. */
enum { DEFLATE_MOST = 1032 };

/* The header, up to the pixels: the size, checked, and the transforms. */
static int read_header(PngRead *r, PgmImage *img)
{
    png_read_info(r->png, r->info);
    png_uint_32 width = png_get_image_width(r->png, r->info);
    png_uint_32 height = png_get_image_height(r->png, r->info);
    if (width > PGM_MAX_SIDE || height > PGM_MAX_SIDE)
        return nn_error(r->err,
                        "%s: %lu×%lu pixels: the %s is out of range; width and height "
                        "must be 1 to %d",
                        r->name, (unsigned long)width, (unsigned long)height,
                        width > PGM_MAX_SIDE ? "width" : "height", PGM_MAX_SIDE);
    if ((double)height * (double)(png_get_rowbytes(r->png, r->info) + 1) >
        (double)DEFLATE_MOST * (double)r->n)
        return nn_error(r->err,
                        "%s: a damaged PNG picture: %lu×%lu pixels cannot fit in its %zu "
                        "bytes, however well compressed: it is cut short; save it again",
                        r->name, (unsigned long)width, (unsigned long)height, r->n);
    png_set_expand(r->png);
    r->passes = png_set_interlace_handling(r->png);
    png_read_update_info(r->png, r->info);
    r->channels = png_get_channels(r->png, r->info);
    r->depth = png_get_bit_depth(r->png, r->info);
    img->width = width, img->height = height, img->maxval = r->depth == 16 ? 65535 : 255;
    return 0;
}

/* Every pixel's channels, then its grey level into img->grey. */
static void to_grey(const PngRead *r, PgmImage *img)
{
    size_t bytes = (size_t)r->depth / 8;
    uint32_t top = r->depth == 16 ? 65535 : 255;
    for (size_t y = 0; y < img->height; y++) {
        const unsigned char *p = r->row[y];
        for (size_t x = 0; x < img->width; x++) {
            uint32_t v[4] = {0};
            for (int c = 0; c < r->channels; c++, p += bytes)
                v[c] = bytes == 2 ? (uint32_t)p[0] << 8 | p[1] : p[0];
            img->grey[y * img->width + x] = grey_of(v, r->channels, top);
        }
    }
}

/* The rows, each given memory just before libpng decodes it, so that a file cut short costs
 * only the rows it has; an interlaced picture's passes each write every row, which must all
 * be there from the start. */
static void read_rows(PngRead *r, size_t height)
{
    size_t stride = png_get_rowbytes(r->png, r->info);
    r->row = nn_alloc(height, sizeof *r->row, "the PNG's rows");
    while (r->rows < height) {
        png_bytep row = r->row[r->rows++] = nn_alloc(1, stride, "a row of the PNG");
        if (r->passes == 1) png_read_row(r->png, row, NULL);
    }
    if (r->passes > 1) png_read_image(r->png, r->row);
}

/* Decodes the picture, the header checked first; libpng's errors come back here, through
 * on_error's longjmp, as setjmp returning again, with 1. */
static int decode(PngRead *r, PgmImage *img)
{
    if (setjmp(png_jmpbuf(r->png))) return -1;
    if (read_header(r, img) != 0) return -1;
    read_rows(r, img->height);
    png_read_end(r->png, NULL); /* the chunks after the pixels, up to IEND: the file is whole */
    img->grey = nn_alloc(img->width * img->height, sizeof *img->grey, "the picture");
    to_grey(r, img);
    return 0;
}

static int parse_png(const unsigned char *data, size_t n, const char *name, PgmImage *img,
                     NnError *err)
{
    PngRead r = {.data = data, .n = n, .name = name, .err = err};
    r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, on_error, on_warning);
    r.info = r.png == NULL ? NULL : png_create_info_struct(r.png);
    int status = -1;
    if (r.info == NULL) {
        nn_error(err, "%s: libpng cannot start: out of memory", name);
    } else {
        png_set_read_fn(r.png, &r, read_bytes);
        /* Only the pixels matter: every chunk but IHDR, PLTE, tRNS, IDAT and IEND (text,
         * gamma, colour profiles) is skipped unread, as are the unknown ones; libpng would
         * otherwise give a text chunk the memory its length claims, up to 2 GB, before
         * finding the file too short. And no chunk is longer than the file. */
        png_set_keep_unknown_chunks(r.png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
        png_set_chunk_malloc_max(r.png, n);
        status = decode(&r, img);
    }
    png_destroy_read_struct(&r.png, &r.info, NULL);
    for (size_t y = 0; y < r.rows; y++) free(r.row[y]);
    free(r.row);
    if (status != 0) pgm_free(img);
    return status;
}

#else

static int parse_png(const unsigned char *data, size_t n, const char *name, PgmImage *img,
                     NnError *err)
{
    (void)data, (void)n, (void)img;
    return nn_error(err,
                    "%s: a PNG picture, and this program was built without libpng, which "
                    "reads PNG: install libpng-dev (Debian, Ubuntu), libpng-devel (Fedora) or "
                    "libpng (Arch, Homebrew), then build again (make); or save the picture "
                    "as PGM",
                    name);
}

#endif

int picture_parse(const unsigned char *data, size_t n, const char *name, PgmImage *img,
                  NnError *err)
{
    *img = (PgmImage){0};
    if (n >= sizeof PNG_SIGNATURE && memcmp(data, PNG_SIGNATURE, sizeof PNG_SIGNATURE) == 0)
        return parse_png(data, n, name, img, err);
    if (n >= 2 && data[0] == 'P' && (data[1] == '5' || data[1] == '2'))
        return pgm_parse(data, n, name, img, err);
    if (n == 0)
        return nn_error(err, "%s: the file is empty; give the path of a PNG or PGM picture", name);
    return nn_error(err,
                    "%s: neither a PNG nor a PGM picture (it starts with neither PNG's "
                    "signature nor P5 or P2); save it as PNG or PGM",
                    name);
}

int picture_read(const char *path, PgmImage *img, NnError *err)
{
    *img = (PgmImage){0};
    size_t n;
    unsigned char *data = file_read_all(path, MAX_FILE, "a PNG or PGM picture", &n, err);
    if (data == NULL) return -1;
    int status = picture_parse(data, n, path, img, err);
    free(data);
    return status;
}
