/* dropout_checks.h: the checks of chapter 07's dropout masks, each written as a function of the
 * dropout_new and dropout_draw under test, so that the suite grading lib/dropout.c
 * (check_07_training.c) and the one proving the checks catch real mistakes
 * (check_07_checker.c) run the same checks. Header-only, like sample.h. */
#ifndef NN_TESTS_DROPOUT_CHECKS_H
#define NN_TESTS_DROPOUT_CHECKS_H

#include <math.h>

#include "dropout.h"
#include "testkit.h"

/* The functions of dropout.c a check calls: the library's, a student's, or deliberately
 * wrong ones. */
typedef struct {
    Dropout *(*make)(const Model *model, double keep, const ModelOps *inner, Rng *rng);
    void (*draw)(const Dropout *d, Rng *rng, size_t m);
} DropoutFns;

/* Masks for the two hidden layers of a 3-500-400-2 model, keep 0.8, 50 examples: each entry
 * 0 or 1/keep (inverted dropout: what a unit sends keeps its mean), about 80% of them kept. */
static inline int dropout_scales_by_inverse_keep(DropoutFns f, Outcome *o)
{
    size_t sizes[] = {3, 500, 400, 2};
    Model *model = model_new(sizes, 4, 50);
    Dropout *d = f.make(model, 0.8, &MODEL_LOOPS, NULL);
    outcome_expect(o, d->count == 2, "dropout masks %zu layers, not the 2 hidden ones", d->count);
    Rng rng;
    rng_seed(&rng, 4);
    f.draw(d, &rng, 50);
    for (size_t l = 0; l < 2 && !o->failed; l++) {
        const Matrix *M = d->masks[l];
        size_t kept = 0, n = M->rows * M->cols;
        for (size_t i = 0; i < n; i++) {
            outcome_expect(o, M->data[i] == 0 || M->data[i] == (real)(1 / 0.8),
                           "mask M%zu[%zu] is %g, not 0 or 1/keep = 1.25", l + 1, i,
                           (double)M->data[i]);
            kept += M->data[i] != 0;
        }
        outcome_expect(o, fabs((double)kept / (double)n - 0.8) <= 0.01,
                       "mask M%zu keeps %zu of %zu units, not about 80%%", l + 1, kept, n);
    }
    dropout_free(d), model_free(model);
    return !o->failed;
}

/* Finds it wrong, in o, unless after a forward pass with dropout's ops each hidden layer's A is
 * exactly ReLU(Z) ⊙ M, its mask (of the layers d has masks for). */
static inline void hidden_layers_masked(const Model *model, const Dropout *d, Outcome *o)
{
    for (size_t l = 0; l + 1 < model->count && l < d->count; l++) {
        const Layer *x = &model->layers[l];
        for (size_t i = 0; i < x->units * x->Z->cols; i++) {
            real relu = x->Z->data[i] > 0 ? x->Z->data[i] : 0;
            outcome_expect(o, x->A->data[i] == relu * d->masks[l]->data[i],
                           "A%zu[%zu] is %g, not ReLU(Z) ⊙ M = %g", l + 1, i, (double)x->A->data[i],
                           (double)(relu * d->masks[l]->data[i]));
        }
    }
}

/* Through dropout's ops, each hidden layer's A is exactly ReLU(Z) ⊙ M, its
 * mask, and the output layer is untouched: its logits are W·A + b of the
 * masked layer below, as they are without dropout. */
static inline int dropout_spares_the_output(DropoutFns f, Outcome *o)
{
    size_t sizes[] = {6, 8, 7, 3};
    Model *model = model_new(sizes, 4, 5);
    Rng rng;
    rng_seed(&rng, 9);
    model_init_he(model, &rng);
    Matrix *X = mat_new(6, 5), *Z = mat_new(3, 5);
    rng_fill_uniform(&rng, X, 0, 1);
    Dropout *d = f.make(model, 0.5, &MODEL_LOOPS, NULL);
    f.draw(d, &rng, 5);
    const Matrix *logits = model_forward_with(model, X, &d->ops);
    hidden_layers_masked(model, d, o);
    const Layer *out = &model->layers[2];
    mat_mul(Z, out->W, model->layers[1].A);
    mat_add_col(Z, out->b); /* the logits from the masked A2, unmasked themselves */
    for (size_t i = 0; i < 15; i++)
        outcome_expect(o, logits->data[i] == Z->data[i], "logit %zu is %g, not W·A + b = %g", i,
                       (double)logits->data[i], (double)Z->data[i]);
    dropout_free(d), mat_free(X), mat_free(Z), model_free(model);
    return !o->failed;
}

#endif
