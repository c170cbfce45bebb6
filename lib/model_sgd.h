/* model_sgd.h: training and measuring a model of any depth (model.h) with
 * mini-batch SGD: chapter 05's step, epoch and evaluation, for a list of layers.
 *
 * The rule that changes the parameters once the gradients are in the layers
 * is a parameter: plain SGD here (θ = θ - α dθ for every layer's W and b),
 * chapter 07's momentum and Adam later. */
#ifndef NN_MODEL_SGD_H
#define NN_MODEL_SGD_H

#include <stddef.h>

#include "evaluate.h"
#include "mnist.h"
#include "model.h"
#include "rng.h"
#include "sgd.h"

/* Changes the parameters of every layer using their gradients dW, db. */
typedef void (*UpdateFn)(void *rule, Model *model);

typedef struct {
    Model *model;
    Matrix *X, *Y;   /* the mini-batch, (inputs×m) and (outputs×m), m ≤ model->batch */
    UpdateFn update; /* what a step does with the gradients */
    void *rule;      /* what update reads: the learning rate, an optimizer's state */
} ModelTrainer;

ModelTrainer *model_trainer_new(Model *model, UpdateFn update, void *rule);
void model_trainer_free(ModelTrainer *t);

/* Plain SGD, an UpdateFn whose rule points to the learning rate α (a real):
 * W = W - α dW and b = b - α db, layer by layer. */
void model_sgd_update(void *learning_rate, Model *model);

/* One step on examples index[0..m-1] of set: gather, forward, loss, backward,
 * update. Returns the batch's loss before the update; adds its right guesses. */
double model_step(ModelTrainer *t, const MnistSet *set, const size_t *index, size_t m,
                  size_t *correct);

/* One epoch over order[0..n-1], shuffled first, as sgd_epoch (sgd.h): the mean
 * loss, or the first loss that is not finite or above SGD_DIVERGED_LOSS, with
 * its step in *bad_step. on_step (may be NULL) hears of every step. */
double model_epoch(ModelTrainer *t, const MnistSet *set, size_t *order, size_t n, Rng *rng,
                   size_t *correct, size_t *bad_step, StepFn on_step, void *ctx);

/* Loss and accuracy on examples first..first+count-1, in batches of the
 * model's size, through X and Y (workspace); observe (may be NULL) sees each
 * batch's logits, as in evaluate_observed. */
Score model_evaluate(Model *model, const MnistSet *set, size_t first, size_t count, Matrix *X,
                     Matrix *Y, BatchObserver observe, void *ctx);

/* Shows the model the whole of `test` and writes, next to the log at
 * log_path, the files the pictures of it need (inspect.h). */
int model_inspect(Model *model, const MnistSet *test, const char *log_path, NnError *err);

#endif
