/* feature_maps.c: one digit's maps after each convolution stage, as text for
 * plots/maps.gp (feature_maps.h). */
#include "feature_maps.h"

#include <stdio.h>

#include "conv_layer.h"
#include "inspect.h"
#include "output.h"

/* A row of the table: the input (layer 0), or a convolution layer's output. */
typedef struct {
    size_t layer, maps, height, width, kernel, pool;
} Stage;

/* Layer l's output, of shape s: F maps of PH×PW, after its pooling. */
static Stage conv_stage(const ConvShape *s, size_t l)
{
    PoolGeometry g = conv_shape_pooling(s);
    return (Stage){l, s->filters, pool_out_height(&g), pool_out_width(&g), s->in.kernel, s->pool};
}

/* The input, then each convolution layer (they come before the dense ones);
 * returns how many stages. */
static size_t stages_of(const Model *model, Stage *stage)
{
    const ConvGeometry *in = &model->layers[0].conv->in;
    stage[0] = (Stage){0, in->channels, in->height, in->width, 0, 0};
    size_t n = 1;
    for (; n <= model->count && model->layers[n - 1].conv != NULL; n++)
        stage[n] = conv_stage(model->layers[n - 1].conv, n);
    return n;
}

/* Map k of column 0 of M (maps of the stage's size, in im2col.h's layout),
 * as a block of its own: two blank lines, then height lines of width numbers. */
static void write_map(FILE *out, const Matrix *M, size_t k, const Stage *s)
{
    size_t first = k * s->height * s->width;
    fputs("\n\n", out);
    for (size_t i = 0; i < s->height * s->width; i++)
        fprintf(out, "%.6g%c", (double)MAT_AT(M, first + i, 0),
                (i + 1) % s->width != 0 ? '\t' : '\n');
}

/* The file of feature_maps.h, after the forward pass of the image X (inputs×1). */
static void write_maps(FILE *out, const Model *model, const Matrix *X, const Matrix *logits,
                       const MnistSet *test)
{
    Stage stage[MODEL_MAX_SIZES];
    size_t n = stages_of(model, stage);
    fprintf(out, "# feature maps: test image %d, a %d (the network's guess: %zu)\n",
            FEATURE_MAPS_IMAGE, test->labels[FEATURE_MAPS_IMAGE], mat_argmax_col(logits, 0));
    fputs("# stage\tlayer\tmaps\theight\twidth\tkernel\tpool\n", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\n", i, stage[i].layer, stage[i].maps,
                stage[i].height, stage[i].width, stage[i].kernel, stage[i].pool);
    for (size_t i = 0; i < n; i++) {
        const Matrix *M = i == 0 ? X : model->layers[i - 1].A; /* A = ReLU(maxpool(Z)) */
        for (size_t k = 0; k < stage[i].maps; k++) write_map(out, M, k, &stage[i]);
    }
}

int feature_maps_write(Model *model, const ModelOps *ops, const MnistSet *test,
                       const char *log_path, NnError *err)
{
    if (model->layers[0].conv == NULL) return 0;
    size_t index = FEATURE_MAPS_IMAGE;
    Batch one = {&index, 1, NULL, 0};
    Matrix *X = mat_new(model_inputs(model), 1), *Y = mat_new(model_outputs(model), 1);
    ops->gather(ops, X, Y, test, &one);
    const Matrix *logits = model_forward_with(model, X, ops);
    Output o;
    int status = inspect_open(&o, log_path, INSPECT_FILE_NAMES[INSPECT_MAPS], err);
    if (status == 0) {
        write_maps(o.out, model, X, logits, test);
        status = output_close(&o, err);
    }
    mat_free(X), mat_free(Y);
    return status;
}
