/* digitize.c: MNIST's preprocessing for any picture (digitize.h). */
#include "digitize.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"

/* The mean grey of the picture's outermost rows and columns: the paper. */
static double paper_grey(const PgmImage *img)
{
    double sum = 0;
    size_t count = 0, w = img->width, h = img->height;
    for (size_t y = 0; y < h; y++)
        for (size_t x = 0; x < w; x++)
            if (y == 0 || y == h - 1 || x == 0 || x == w - 1) sum += img->grey[y * w + x], count++;
    return sum / (double)count;
}

/* Step 1: ink in [0, 1], the paper at 0, the strongest ink at 1. Returns the
 * ink's range before stretching (0 for a blank picture). */
static double to_ink(const PgmImage *img, double *ink)
{
    size_t n = img->width * img->height;
    double paper = paper_grey(img), most = 0;
    int light_paper = paper > 0.5;
    for (size_t i = 0; i < n; i++) {
        double v = light_paper ? paper - img->grey[i] : img->grey[i] - paper;
        ink[i] = v > 0 ? v : 0;
        if (ink[i] > most) most = ink[i];
    }
    if (most > 0)
        for (size_t i = 0; i < n; i++) ink[i] /= most;
    return most;
}

typedef struct {
    size_t x0, y0, x1, y1; /* columns x0..x1-1, rows y0..y1-1 */
} Box;

/* Step 2: the smallest box holding every pixel of ink above `level`. */
static Box ink_box(const double *ink, size_t w, size_t h, double level)
{
    Box b = {w, h, 0, 0};
    for (size_t y = 0; y < h; y++)
        for (size_t x = 0; x < w; x++) {
            if (ink[y * w + x] <= level) continue;
            if (x < b.x0) b.x0 = x;
            if (y < b.y0) b.y0 = y;
            if (x + 1 > b.x1) b.x1 = x + 1;
            if (y + 1 > b.y1) b.y1 = y + 1;
        }
    return b;
}

/* How much of source cell [i, i+1) lies inside [from, to). */
static double overlap(size_t i, double from, double to)
{
    double lo = from > (double)i ? from : (double)i,
           hi = to < (double)(i + 1) ? to : (double)(i + 1);
    return hi > lo ? hi - lo : 0;
}

/* Step 3: the box of ink scaled by `scale` into out (tw × th), each output
 * pixel the area-weighted mean of the input pixels under it. */
static void scale_box(const double *ink, size_t w, Box b, double scale, double *out, size_t tw,
                      size_t th)
{
    for (size_t ty = 0; ty < th; ty++)
        for (size_t tx = 0; tx < tw; tx++) {
            double y0 = b.y0 + ty / scale, y1 = b.y0 + (ty + 1) / scale;
            double x0 = b.x0 + tx / scale, x1 = b.x0 + (tx + 1) / scale;
            double sum = 0, area = 0;
            for (size_t y = (size_t)y0; y < b.y1 && (double)y < y1; y++)
                for (size_t x = (size_t)x0; x < b.x1 && (double)x < x1; x++) {
                    double a = overlap(y, y0, y1) * overlap(x, x0, x1);
                    sum += a * ink[y * w + x], area += a;
                }
            out[ty * tw + tx] = area > 0 ? sum / area : 0;
        }
}

/* Step 4: out (28×28) gets the tw × th digit, moved so that its centre of
 * mass falls on the centre of the field. */
static void centre(const double *digit, size_t tw, size_t th, unsigned char *out)
{
    double mass = 0, mx = 0, my = 0;
    for (size_t y = 0; y < th; y++)
        for (size_t x = 0; x < tw; x++) {
            double v = digit[y * tw + x];
            mass += v, mx += v * ((double)x + 0.5), my += v * ((double)y + 0.5);
        }
    long dx = lround(DIGIT_SIDE / 2.0 - mx / mass), dy = lround(DIGIT_SIDE / 2.0 - my / mass);
    memset(out, 0, DIGIT_SIDE * DIGIT_SIDE);
    for (size_t y = 0; y < th; y++)
        for (size_t x = 0; x < tw; x++) {
            long X = (long)x + dx, Y = (long)y + dy;
            if (X < 0 || Y < 0 || X >= DIGIT_SIDE || Y >= DIGIT_SIDE) continue;
            out[Y * DIGIT_SIDE + X] = (unsigned char)lround(255 * digit[y * tw + x]);
        }
}

int digitize(const PgmImage *img, const char *name, unsigned char pixels[DIGIT_SIDE * DIGIT_SIDE],
             NnError *err)
{
    size_t w = img->width, h = img->height;
    double *ink = nn_alloc(w * h, sizeof *ink, "the picture's ink");
    double range = to_ink(img, ink);
    Box b = ink_box(ink, w, h, 0.2);
    if (range < 0.1 || b.x1 == 0) {
        free(ink);
        return nn_error(err, "%s: no ink: the picture is blank (or nearly), nothing to read", name);
    }
    size_t bw = b.x1 - b.x0, bh = b.y1 - b.y0, side = bw > bh ? bw : bh;
    double scale = (double)DIGIT_BOX / (double)side;
    size_t tw = (size_t)lround((double)bw * scale), th = (size_t)lround((double)bh * scale);
    if (tw == 0) tw = 1;
    if (th == 0) th = 1;
    double digit[DIGIT_BOX * DIGIT_BOX];
    scale_box(ink, w, b, scale, digit, tw, th);
    centre(digit, tw, th, pixels);
    free(ink);
    return 0;
}
