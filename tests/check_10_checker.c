/* check_10_checker.c: chapter 10's gradient check has teeth. A convolution layer's backward
 * pass written with one plausible mistake must fail the check on the tensors the mistake
 * reaches, while the library's own layer passes on the same problem.
 *
 * The wrong versions are one backward pass (wrong_backward), the library's own written out
 * with the same steps, where each mistake changes one step. Like check_04_checker.c, these
 * test the checker, not a student: their runner links the library's own modules. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "conv_check.h"
#include "conv_layer.h"
#include "gemm.h"
#include "relu.h"
#include "support/testkit.h"

#ifndef NN_REAL_DOUBLE
#error "the gradient checks need double: build with -DNN_REAL_DOUBLE (REAL=double)"
#endif

typedef enum {
    COL2IM_OVERWRITES, /* dX[i] = the last patch entry copied from i, not the sum of them */
    KERNEL_FLIPPED, /* dcols = flip(W)ᵀ · dZ, as if the forward pass were a true convolution */
    POOL_TO_EVERY_INPUT, /* each pooled gradient sent to the whole window, not to its maximum */
    SUMS_NOT_MEANS,      /* dW and db summed over the batch, the 1/m of the mean left out */
    STRIDE_IGNORED, /* col2im puts patch (oy, ox) back at (oy + ky, ox + kx), not (oy·S + ky, …) */
} Mistake;

/* col2im as im2col.h says, unless the mistake changes it: dX = 0, then each
 * entry of dcols added (or, wrongly, written) back where im2col took it. */
static void col2im_with(Matrix *dX, const Matrix *dcols, const ConvGeometry *g, Mistake mistake)
{
    size_t K = g->kernel, oh = conv_out_height(g), ow = conv_out_width(g), m = dX->cols;
    size_t S = mistake == STRIDE_IGNORED ? 1 : g->stride;
    mat_fill(dX, 0);
    for (size_t c = 0; c < g->channels; c++)
        for (size_t ky = 0; ky < K; ky++)
            for (size_t kx = 0; kx < K; kx++)
                for (size_t oy = 0; oy < oh; oy++)
                    for (size_t ox = 0; ox < ow; ox++) {
                        long iy = (long)(oy * S + ky) - (long)g->pad;
                        long ix = (long)(ox * S + kx) - (long)g->pad;
                        if (iy < 0 || ix < 0 || iy >= (long)g->height || ix >= (long)g->width)
                            continue;
                        for (size_t j = 0; j < m; j++) {
                            real d = MAT_AT(dcols, (c * K + ky) * K + kx, (oy * ow + ox) * m + j);
                            real *x = &MAT_AT(
                                dX, (c * g->height + (size_t)iy) * g->width + (size_t)ix, j);
                            *x = mistake == COL2IM_OVERWRITES ? d : *x + d;
                        }
                    }
}

/* dZ (F·OH·OW × m) from dP (F·PH·PW × m): to each window's maximum, or
 * (the mistake) to every entry of the window. */
static void unpool_with(Layer *l, const PoolIndex *where, Mistake mistake)
{
    const ConvShape *s = l->conv;
    PoolGeometry g = conv_shape_pooling(s);
    if (mistake != POOL_TO_EVERY_INPUT) {
        max_pool_backward(l->dZ, l->dA, where, &g);
        return;
    }
    size_t ph = pool_out_height(&g), pw = pool_out_width(&g), m = l->dA->cols, p = s->pool;
    mat_fill(l->dZ, 0);
    for (size_t f = 0; f < s->filters; f++)
        for (size_t y = 0; y < ph * p; y++)
            for (size_t x = 0; x < pw * p; x++)
                for (size_t j = 0; j < m; j++)
                    MAT_AT(l->dZ, (f * g.height + y) * g.width + x, j) =
                        MAT_AT(l->dA, (f * ph + y / p) * pw + x / p, j);
}

/* W with each filter's K×K kernels turned by 180°, per channel. */
static Matrix *flipped(const Matrix *W, size_t K)
{
    Matrix *F = mat_new(W->rows, W->cols);
    for (size_t r = 0; r < W->rows; r++)
        for (size_t c = 0; c < W->cols; c += K * K)
            for (size_t i = 0; i < K * K; i++)
                MAT_AT(F, r, c + i) = MAT_AT(W, r, c + K * K - 1 - i);
    return F;
}

typedef struct {
    ModelOps ops; /* first */
    ConvOps right;
    Mistake mistake;
} WrongOps;

/* conv_layer.h's backward pass, step for step, with the mistake in one step. */
static void wrong_conv_backward(const WrongOps *w, Layer *l, size_t index, const Matrix *X,
                                Matrix *dX)
{
    const ConvShape *s = l->conv;
    ConvWork *work = w->right.work;
    GemmWork *gw = &w->right.fast->work[0];
    size_t m = X->cols;
    mat_set_cols(l->dZ, m);
    if (s->pool == 1)
        relu_backward(l->dZ, l->dA, l->Z);
    else {
        relu_backward(l->dA, l->dA, l->A);
        unpool_with(l, work->where[index], w->mistake);
    }
    Matrix dZ = {s->filters, l->dZ->rows / s->filters * m, l->dZ->data, l->dZ->capacity};
    const Matrix *cols = work->cols[index];
    mat_sum_cols(l->db, &dZ);
    gemm(gw, l->dW, &dZ, GEMM_PLAIN, cols, GEMM_TRANSPOSED);
    if (w->mistake == SUMS_NOT_MEANS) /* dA held the 1/m: undo it, as a layer that sums would */
        mat_scale(l->dW, (real)m), mat_scale(l->db, (real)m);
    if (dX == NULL) return;
    Matrix *W = w->mistake == KERNEL_FLIPPED ? flipped(l->W, s->in.kernel) : NULL;
    Matrix *dcols = mat_new(cols->rows, cols->cols);
    gemm(gw, dcols, W != NULL ? W : l->W, GEMM_TRANSPOSED, &dZ, GEMM_PLAIN);
    mat_set_cols(dX, m);
    col2im_with(dX, dcols, &s->in, w->mistake);
    mat_free(dcols), mat_free(W);
}

static void wrong_gather(const ModelOps *ops, Matrix *X, Matrix *Y, const MnistSet *set,
                         const Batch *b)
{
    const WrongOps *w = (const WrongOps *)ops;
    w->right.ops.gather(&w->right.ops, X, Y, set, b);
}

static void wrong_forward(const ModelOps *ops, Model *model, size_t l, const Matrix *input)
{
    const WrongOps *w = (const WrongOps *)ops;
    w->right.ops.forward(&w->right.ops, model, l, input);
}

static void wrong_backward(const ModelOps *ops, Model *model, size_t l, const Matrix *input,
                           Matrix *dX, const Update *update)
{
    const WrongOps *w = (const WrongOps *)ops;
    if (model->layers[l].conv == NULL)
        w->right.ops.backward(&w->right.ops, model, l, input, dX, update);
    else
        wrong_conv_backward(w, &model->layers[l], l, input, dX);
}

typedef struct {
    const char *mistake;
    Mistake kind;
    const char *layers; /* a network on which the mistake shows */
    size_t m;
    const char *fails[5]; /* tensors the check must reject (the others must pass), NULL-ended */
} Case;

static const Case cases[] = {
    {"col2im writes overlapping patches instead of adding them",
     COL2IM_OVERWRITES,
     "1x6x6,conv2k3,3",
     2,
     {"dX"}},
    {"the kernel flipped in dX", KERNEL_FLIPPED, "2x5x5,conv2k3p1,3", 2, {"dX"}},
    {"pooling's gradient sent to every input of the window",
     POOL_TO_EVERY_INPUT,
     "1x6x6,conv2k3p1,pool2,3",
     2,
     {"dW1", "db1", "dX"}},
    {"dW and db summed, not averaged, over the batch",
     SUMS_NOT_MEANS,
     "1x5x5,conv2k3,conv2k2,3",
     3,
     {"dW1", "db1", "dW2", "db2"}},
    {"stride ignored in col2im", STRIDE_IGNORED, "1x7x7,conv2k3s2,3", 2, {"dX"}},
    {"stride ignored in the layer below's dX",
     STRIDE_IGNORED,
     "1x8x8,conv2k2,conv2k3s2,3",
     2,
     {"dW1", "db1", "dX"}},
};

static int named(const Case *c, const char *tensor)
{
    for (size_t i = 0; c->fails[i] != NULL; i++)
        if (strcmp(c->fails[i], tensor) == 0) return 1;
    return 0;
}

START_TEST(check_rejects_each_mistake)
{
    const Case *c = &cases[_i];
    ConvEngine engine;
    conv_engine_init(&engine);
    WrongOps wrong = {{wrong_gather, wrong_forward, wrong_backward}, engine.evaluate, c->kind};
    ConvProblem *p = conv_problem_new(c->layers, 11, c->m, &wrong.right.ops);
    GradCheck right[CONV_CHECK_MAX], bad[CONV_CHECK_MAX];
    size_t n = conv_check_all(p, right);
    p->ops = &wrong.ops;
    ck_assert_uint_eq(conv_check_all(p, bad), n);
    char verdict[320];
    for (size_t i = 0; i < n; i++) {
        gradcheck_describe(&right[i], verdict, sizeof verdict);
        ck_assert_msg(right[i].passed, "the library's own layer fails on %s: %s", c->layers,
                      verdict);
        gradcheck_describe(&bad[i], verdict, sizeof verdict);
        if (named(c, bad[i].name))
            ck_assert_msg(!bad[i].passed, "\"%s\" (%s): the check let it through: %s", c->mistake,
                          c->layers, verdict);
        else
            ck_assert_msg(bad[i].passed,
                          "\"%s\" (%s) should leave %s right, yet the check failed it: %s",
                          c->mistake, c->layers, bad[i].name, verdict);
    }
    conv_problem_free(p);
    conv_engine_release(&engine);
}
END_TEST

Suite *suite_10_checker(void);
Suite *suite_10_checker(void)
{
    Suite *s = suite_create("10 checker");
    TCase *teeth = tcase_create("convolution mistakes caught");
    tcase_add_loop_test(teeth, check_rejects_each_mistake, 0, sizeof cases / sizeof cases[0]);
    suite_add_tcase(s, teeth);
    return s;
}
