/* convnet.c: reading a network's layers from text, and making its model
 * (convnet.h). */
#include "convnet.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "feature_maps.h"

/* The most numbers one example may need in a layer's maps or patches: a
 * batch of 64 then fits in a few GB. */
enum { CONVNET_MAX_PER_EXAMPLE = 10000000 };

/* Reads a whole number of 1 to CONV_MAX_SIZE digits at *p into *n and moves
 * *p past it; 0 may be allowed. Returns 0, or -1 when there is none. */
static int read_number(const char **p, size_t *n, int zero_allowed)
{
    if (!isdigit((unsigned char)**p)) return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(*p, &end, 10);
    if (errno != 0 || v > CONV_MAX_SIZE || (v == 0 && !zero_allowed)) return -1;
    *p = end, *n = (size_t)v;
    return 0;
}

/* One word of the list, from p to its end (a comma or the end of the text). */
typedef struct {
    const char *text; /* the whole list, for messages */
    const char *p;
    size_t length;
} Word;

static int word_error(const Word *w, NnError *err, const char *why)
{
    return nn_error(err, "\"%s\": \"%.*s\": %s", w->text, (int)w->length, w->p, why);
}

/* "CxHxW", or a pixel count N = S·S read as 1×S×S. */
static int parse_input(const Word *w, ConvNetSpec *spec, NnError *err)
{
    const char *p = w->p;
    size_t n[3], count = 0;
    while (count < 3 && read_number(&p, &n[count], 0) == 0) {
        count++;
        if (*p != 'x') break;
        p++;
    }
    if (p != w->p + w->length || (count != 1 && count != 3))
        return word_error(w, err, "the input is a number of pixels (784) or maps CxHxW (1x28x28)");
    if (count == 3) {
        spec->channels = n[0], spec->height = n[1], spec->width = n[2];
        spec->units[0] = n[0] * n[1] * n[2];
        char why[80];
        snprintf(why, sizeof why, "the input maps take more than %d numbers an example",
                 CONVNET_MAX_PER_EXAMPLE);
        return spec->units[0] > CONVNET_MAX_PER_EXAMPLE ? word_error(w, err, why) : 0;
    }
    size_t side = 1;
    while (side * side < n[0]) side++;
    spec->channels = 1, spec->height = side, spec->width = side;
    spec->units[0] = n[0];
    return side * side == n[0] ? 0 : -2; /* -2: not square, fine unless a convolution reads it */
}

/* "convFkK[sS][pP]" into s (its input maps already set). */
static int parse_conv(const Word *w, ConvShape *s, NnError *err)
{
    const char *p = w->p + 4, *end = w->p + w->length;
    s->in.stride = 1, s->in.pad = 0, s->pool = 1;
    int bad = read_number(&p, &s->filters, 0) != 0 || *p++ != 'k' ||
              read_number(&p, &s->in.kernel, 0) != 0;
    if (!bad && p < end && *p == 's') p++, bad = read_number(&p, &s->in.stride, 0) != 0;
    if (!bad && p < end && *p == 'p') p++, bad = read_number(&p, &s->in.pad, 1) != 0;
    if (bad || p != end)
        return word_error(w, err,
                          "a convolution is convFkK, F filters of K×K, with sS for a stride and "
                          "pP for a padding if wanted: conv20k5, conv32k3p1, conv16k3s2p1");
    NnError why;
    if (conv_geometry_check(&s->in, &why) != 0) return word_error(w, err, why.message);
    return 0;
}

/* "poolN" on the convolution s just read. */
static int parse_pool(const Word *w, ConvShape *s, NnError *err)
{
    const char *p = w->p + 4;
    size_t n;
    if (read_number(&p, &n, 0) != 0 || p != w->p + w->length)
        return word_error(w, err, "pooling is poolN, max pooling over N×N windows: pool2");
    if (s == NULL || s->pool != 1)
        return word_error(w, err, "pooling comes right after a convolution, once");
    s->pool = n;
    PoolGeometry g = conv_shape_pooling(s);
    NnError why;
    if (pool_geometry_check(&g, &why) != 0) return word_error(w, err, why.message);
    return 0;
}

static int starts(const Word *w, const char *prefix)
{
    size_t n = strlen(prefix);
    return w->length >= n && strncmp(w->p, prefix, n) == 0;
}

/* Layer count-1 (a convolution whose pooling may follow), or NULL. */
static ConvShape *last_conv(ConvNetSpec *spec)
{
    return spec->count > 0 && spec->conv[spec->count - 1].filters > 0 ? &spec->conv[spec->count - 1]
                                                                      : NULL;
}

/* The next layer, a convolution or dense, from word w; pooling merges into the last one. */
static int parse_layer(const Word *w, ConvNetSpec *spec, int input_square, NnError *err)
{
    if (starts(w, "pool")) return parse_pool(w, last_conv(spec), err);
    if (spec->count == MODEL_MAX_SIZES - 1)
        return word_error(w, err, "too many layers: at most 15");
    size_t l = spec->count;
    ConvShape *s = &spec->conv[l];
    *s = (ConvShape){0};
    if (starts(w, "conv")) {
        if (l > 0 && spec->conv[l - 1].filters == 0)
            return word_error(w, err,
                              "a convolution needs maps: put every convolution before "
                              "the dense layers");
        if (l == 0 && !input_square)
            return word_error(w, err, "the input is not a square image: write its maps as CxHxW");
        s->in = l == 0 ? (ConvGeometry){spec->channels, spec->height, spec->width, 0, 0, 0}
                       : (ConvGeometry){spec->conv[l - 1].filters, 0, 0, 0, 0, 0};
        if (l > 0) { /* the maps of the layer before, after its pooling */
            PoolGeometry g = conv_shape_pooling(&spec->conv[l - 1]);
            s->in.height = pool_out_height(&g), s->in.width = pool_out_width(&g);
        }
        if (parse_conv(w, s, err) != 0) return -1;
    } else {
        const char *p = w->p;
        if (read_number(&p, &spec->units[l + 1], 0) != 0 || p != w->p + w->length)
            return word_error(w, err, "a layer is a number of units (500), convFkK or poolN");
    }
    spec->count++;
    return 0;
}

/* Fills units[] from the shapes and checks the sizes the layers come to. */
static int check_sizes(const char *text, ConvNetSpec *spec, NnError *err)
{
    if (spec->count == 0 || spec->conv[spec->count - 1].filters > 0)
        return nn_error(err,
                        "\"%s\": the last layer gives the logits: end with a number of "
                        "units, like 10",
                        text);
    size_t parameters = 0;
    for (size_t l = 0; l < spec->count; l++) {
        const ConvShape *s = &spec->conv[l];
        if (s->filters > 0) {
            const ConvGeometry *g = &s->in;
            size_t k = g->channels * g->kernel * g->kernel,
                   positions = conv_shape_maps(s) / s->filters;
            if (conv_shape_maps(s) > CONVNET_MAX_PER_EXAMPLE ||
                k * positions > CONVNET_MAX_PER_EXAMPLE)
                return nn_error(err,
                                "\"%s\": layer %zu's maps or patches take more than %d numbers "
                                "an example; use fewer filters, a stride or pooling",
                                text, l + 1, CONVNET_MAX_PER_EXAMPLE);
            spec->units[l + 1] = conv_shape_units(s);
            parameters += s->filters * (k + 1);
        } else
            parameters += spec->units[l + 1] * (spec->units[l] + 1);
        if (parameters > MODEL_MAX_PARAMETERS)
            return nn_error(err,
                            "\"%s\": more than the %d weights and biases this program "
                            "trains; use smaller layers",
                            text, MODEL_MAX_PARAMETERS);
    }
    return 0;
}

int convnet_parse(const char *text, ConvNetSpec *spec, NnError *err)
{
    *spec = (ConvNetSpec){0};
    Word w = {text, text, strcspn(text, ",")};
    int input = parse_input(&w, spec, err);
    if (input == -1) return -1;
    while (w.p[w.length] == ',') {
        w.p += w.length + 1, w.length = strcspn(w.p, ",");
        if (parse_layer(&w, spec, input == 0, err) != 0) return -1;
    }
    return check_sizes(text, spec, err);
}

Model *convnet_new(const ConvNetSpec *spec, size_t batch)
{
    Model *model = model_alloc(spec->count, spec->units[spec->count], batch);
    for (size_t l = 0; l < spec->count; l++)
        if (spec->conv[l].filters > 0)
            conv_layer_init(&model->layers[l], &spec->conv[l], batch);
        else
            layer_init(&model->layers[l], spec->units[l], spec->units[l + 1],
                       l + 1 < spec->count ? LAYER_RELU : LAYER_LINEAR, batch);
    model->inspect = feature_maps_write; /* its pictures: the maps of a digit too */
    return model;
}

/* The weights and biases of layer l of spec: F·(C·K·K + 1), or n·(k + 1). */
static size_t layer_parameters(const ConvNetSpec *spec, size_t l)
{
    const ConvShape *s = &spec->conv[l];
    if (s->filters == 0) return spec->units[l + 1] * (spec->units[l] + 1);
    return s->filters * (s->in.channels * s->in.kernel * s->in.kernel + 1);
}

static int maker_parse(const char *text, size_t *sizes, size_t *count, NnError *err)
{
    ConvNetSpec spec;
    if (convnet_parse(text, &spec, err) != 0) return -1;
    *count = spec.count + 1;
    for (size_t l = 0; l < *count; l++) sizes[l] = spec.units[l];
    return 0;
}

/* The spec of text, which must parse (a bug otherwise). */
static ConvNetSpec parsed(const char *text)
{
    ConvNetSpec spec;
    NnError err;
    NN_REQUIRE(convnet_parse(text, &spec, &err) == 0, "%s", err.message);
    return spec;
}

static Model *maker_make(const char *text, size_t batch)
{
    ConvNetSpec spec = parsed(text);
    return convnet_new(&spec, batch);
}

static size_t maker_parameters(const char *text)
{
    ConvNetSpec spec = parsed(text);
    size_t total = 0;
    for (size_t l = 0; l < spec.count; l++) total += layer_parameters(&spec, l);
    return total;
}

const ModelMaker CONVNET_MAKER = {maker_parse, maker_make, maker_parameters, convnet_describe};

/* Appends to out[*n..size) as printf does, keeping *n the length the whole
 * text needs, so that a text too long for out is cut and says so by *n. */
static void append(char *out, size_t size, size_t *n, const char *fmt, size_t value)
{
    int more = snprintf(out + (*n < size ? *n : size - 1), *n < size ? size - *n : 1, fmt, value);
    *n += more > 0 ? (size_t)more : 0;
}

/* ",convFkK", then "sS" unless S is 1, "pP" unless P is 0, and ",poolN" when it pools. */
static void describe_conv(char *out, size_t size, size_t *n, const ConvShape *s)
{
    append(out, size, n, ",conv%zu", s->filters);
    append(out, size, n, "k%zu", s->in.kernel);
    if (s->in.stride != 1) append(out, size, n, "s%zu", s->in.stride);
    if (s->in.pad != 0) append(out, size, n, "p%zu", s->in.pad);
    if (s->pool != 1) append(out, size, n, ",pool%zu", s->pool);
}

/* The input: its pixel count for one square channel (784) that parse reads
 * so, else CxHxW. */
static void describe_input(char *out, size_t size, size_t *n, const Model *model)
{
    const ConvShape *first = model->layers[0].conv;
    if (first == NULL || (first->in.channels == 1 && first->in.height == first->in.width &&
                          model_inputs(model) <= CONV_MAX_SIZE)) {
        append(out, size, n, "%zu", model_inputs(model));
        return;
    }
    append(out, size, n, "%zux", first->in.channels);
    append(out, size, n, "%zux", first->in.height);
    append(out, size, n, "%zu", first->in.width);
}

size_t convnet_describe(const Model *model, char *out, size_t size)
{
    NN_REQUIRE(size > 0, "no room for the text");
    size_t n = 0;
    describe_input(out, size, &n, model);
    for (size_t l = 0; l < model->count; l++) {
        const ConvShape *s = model->layers[l].conv;
        if (s != NULL)
            describe_conv(out, size, &n, s);
        else
            append(out, size, &n, ",%zu", model->layers[l].units);
    }
    return n;
}
