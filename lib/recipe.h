/* recipe.h: chapter 07's training, every technique of it behind one switch
 * each: the initialisation, the optimizer, weight decay, dropout, the
 * learning-rate schedule and early stopping. Chapters 07 and 08 run it on
 * chapter 06's loops, chapter 09's trainer on its fast products.
 *
 * A run holds out the last 10,000 training images (a quarter of a smaller
 * set) to validate on, trains on the rest a mini-batch at a time (the epoch
 * loop of epoch.h, with model_step of model_sgd.h), prints one line per
 * epoch and logs it (trainlog.h), and stops early when the validation loss
 * has not improved for `patience` epochs. The model it hands back is the
 * best one by validation loss when early stopping is on, and the last one
 * otherwise. */
#ifndef NN_RECIPE_H
#define NN_RECIPE_H

#include <stddef.h>

#include "evaluate.h"
#include "mnist.h"
#include "model.h"
#include "model_sgd.h"
#include "optimizer.h"
#include "trainlog.h"

/* What --layers may say, and how a run makes the model it names: chapter
 * 06's sizes when a Recipe has none of these ("784,256,128,10"); chapter 10
 * adds convolutions (convnet.h). */
typedef struct {
    /* Checks text; fills sizes[0..*count-1] with every layer's outputs, the
     * input first. Returns 0, or -1 with err saying what is wrong. */
    int (*parse)(const char *text, size_t *sizes, size_t *count, NnError *err);
    /* The model text names, parameters zero, for batches of up to `batch`. */
    Model *(*make)(const char *text, size_t batch);
    /* How many weights and biases make would give it, without making it
     * (the model file checks its length first). text must parse. */
    size_t (*parameters)(const char *text);
    /* Writes a model it made as the text parse reads back, in one canonical
     * form (what the model file holds, model_file.h); returns the whole
     * text's length, as snprintf: out holds it all when below size. */
    size_t (*describe)(const Model *model, char *out, size_t size);
} ModelMaker;

typedef struct Recipe Recipe;

/* Chapter 11: a recipe trained by several processes at once, each on its
 * share of every batch (data_parallel.h). A Recipe's `parallel` is NULL
 * when one process trains. */
typedef struct Parallel Parallel;
struct Parallel {
    /* One step in model_step's place, with the trainer model_step would get. */
    double (*step)(const Parallel *p, void *trainer, const Batch *batch, size_t *correct);
    /* 0, or -1 with err naming the flag the processes cannot share. */
    int (*refuses)(const Parallel *p, const Recipe *recipe, NnError *err);
    /* On every process, with the trained model: 0 when its parameters are
     * the first process's, else -1 having said so. */
    int (*agree)(const Parallel *p, const Model *model);
    int helper; /* not the first process: trains silently and writes nothing */
    /* Which columns of each batch this process computes, for dropout's
     * masks (dropout.h): the run's dropout draws through it. */
    struct DropoutShare *share;
};

/* Chapter 11: the model kept every `every` epochs while training (its
 * --save-every), so that a run killed can go on from it (--resume). */
typedef struct {
    /* Keeps model after epoch `epoch`: 0, or -1 having said why (training
     * goes on; the run's result says a file failed). */
    int (*keep)(void *ctx, const Model *model, size_t epoch);
    void *ctx;
    size_t every;
} Checkpoint;

struct Recipe {
    size_t sizes[MODEL_MAX_SIZES], size_count; /* the layers: 784, ..., 10 */
    const ModelMaker *maker; /* NULL: the sizes are the model; else it makes it from `layers` */
    const char *layers;      /* the text of the layers, for maker */
    InitKind init;           /* He's, or uniform in (-0.5, 0.5) */
    OptimizerKind optimizer;
    ScheduleKind schedule;
    double learning_rate; /* α0 */
    size_t warmup;        /* epochs over which α rises to α0 (chapter 11's --warmup); 0: none */
    double weight_decay;  /* λ, 0 for none */
    double dropout;       /* the probability of dropping a hidden unit, 0 for none */
    size_t batch, epochs, seed;
    size_t patience;    /* early stopping: epochs without a better validation loss; 0: never */
    size_t print_every; /* evaluate, log and print every Nth epoch (early stopping: every one) */
    const Parallel *parallel; /* NULL: one process trains (chapter 11: several) */
    /* Chapter 11's --resume: NULL, or the parameters to start from, of the
     * recipe's layers, in place of init's (which still draws its random
     * numbers: the shuffles and masks are a new run's). */
    const Model *start;
    const Checkpoint *checkpoint; /* NULL: nothing kept while training */
};

/* The recipe with its batch no larger than the images it trains on (the
 * training set less the validation images): what a run trains. */
Recipe recipe_fitted(const Recipe *recipe, const MnistSet *train);

/* What a run measured, for the model it hands back. */
typedef struct {
    size_t epochs_run, best_epoch; /* best_epoch: the epoch of the model handed back */
    Score val, test;
    double seconds;
    size_t bad_step, bad_epoch; /* where the loss diverged, 0 if it did not */
    double bad_loss;
    int unwritten; /* recipe_run: a log or picture file could not be written */
} RecipeResult;

/* Trains a new model on train by the recipe, computing with engine
 * (ENGINE_LOOPS, or chapter 09's), measuring on its validation split and on
 * test, printing the epoch table on stdout and logging to log (may be NULL).
 * Returns the model (the caller frees it) and fills *result. When the loss
 * diverges (NaN, infinite, or above SGD_DIVERGED_LOSS), training stops at
 * once, result->bad_step and bad_epoch say where, and the model returned is
 * the best one of the epochs before, or NULL if the first epoch diverged. */
Model *recipe_train(const Recipe *recipe, const Engine *engine, const MnistSet *train,
                    const MnistSet *test, TrainLog *log, RecipeResult *result);

#endif
