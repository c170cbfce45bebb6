/* recipe.h: chapter 07's training, every technique of it behind one switch
 * each: the initialisation, the optimizer, weight decay, dropout, the
 * learning-rate schedule and early stopping. Chapter 07's program and chapter
 * 08's trainer both run it.
 *
 * A run holds out the last 10,000 training images (a quarter of a smaller
 * set) to validate on, trains on the rest a mini-batch at a time, prints one
 * line per epoch and logs it (trainlog.h), and stops early when the
 * validation loss has not improved for `patience` epochs. The model it hands
 * back is the best one by validation loss when early stopping is on, and the
 * last one otherwise. */
#ifndef NN_RECIPE_H
#define NN_RECIPE_H

#include <stddef.h>

#include "args.h"
#include "curve.h"
#include "evaluate.h"
#include "mnist.h"
#include "model.h"
#include "optimizer.h"
#include "trainlog.h"

typedef struct {
    size_t sizes[MODEL_MAX_SIZES], size_count; /* the layers: 784, ..., 10 */
    int he_init;                                /* He, or uniform in (-0.5, 0.5) */
    OptimizerKind optimizer;
    ScheduleKind schedule;
    double learning_rate; /* α0 */
    double weight_decay;  /* λ, 0 for none */
    double dropout;       /* the probability of dropping a hidden unit, 0 for none */
    size_t batch, epochs, seed;
    size_t patience;    /* early stopping: epochs without a better validation loss; 0: never */
    size_t print_every; /* evaluate, log and print every Nth epoch (early stopping: every one) */
} Recipe;

/* What a run measured, for the model it hands back. */
typedef struct {
    size_t epochs_run, best_epoch; /* best_epoch: the epoch of the model handed back */
    Score val, test;
    double seconds;
    size_t bad_step, bad_epoch; /* where the loss diverged, 0 if it did not */
    double bad_loss;
} RecipeResult;

/* The recipe as command-line flags, with where a run reads and writes: what
 * the programs that train by it parse. */
typedef struct {
    Recipe recipe;
    const char *layers, *init, *optimizer, *schedule; /* the choices, as typed */
    const char *log_path, *data_dir, *curve;
    CurveWhen curve_when;
} RecipeFlags;

enum { RECIPE_SPECS = 15 };

/* The chapter's recipe: 784-256-128-10, Adam at 0.001 falling by the cosine
 * schedule, dropout 0.2, batch 64, 15 epochs, He initialisation, seed 1;
 * the log at log_path, the data in data/. */
void recipe_defaults(RecipeFlags *flags, const char *log_path);

/* Parses the recipe's flags and the n `extra` ones of the program (args.h)
 * into *flags, checking every choice. Returns ARGS_OK, ARGS_HELP (the help is
 * printed) or ARGS_ERROR with the reason in err; it prints no error itself. */
int recipe_parse(int argc, char **argv, RecipeFlags *flags, const ArgSpec *extra, size_t n,
                 const char *about, NnError *err);

/* "784-256-128-10, adam, lr 0.001 cosine, dropout 0.2, ..." for titles. */
void recipe_describe(const Recipe *recipe, char *out, size_t size);

/* Trains a new model on train by the recipe, measuring on its validation
 * split and on test, printing the epoch table on stdout and logging to log.
 * Returns the model (the caller frees it) and fills *result. When the loss
 * diverges (NaN, infinite, or above SGD_DIVERGED_LOSS), training stops at
 * once, result->bad_step and bad_epoch say where, and the model returned is
 * the best one of the epochs before, or NULL if the first epoch diverged. */
Model *recipe_train(const Recipe *recipe, const MnistSet *train, const MnistSet *test,
                    TrainLog *log, RecipeResult *result);

/* How a program runs the recipe: recipe_run. */
typedef struct {
    const char *program;  /* names it in messages: "ch07-better-training" */
    const char *title;    /* starts the first line: "Chapter 07" (and so "ch07" the log's) */
    const char *log_path; /* the epoch log (trainlog.h) */
    CurveWhen curve;      /* the ASCII loss curve at the end (curve.h) */
} RunOptions;

/* recipe_train with everything around it: the first line, the log, the
 * pictures' files of the trained model (inspect.h), the loss curve, the
 * final line. Returns the model, or NULL when training diverged or a file
 * could not be written, having said why on stderr. */
Model *recipe_run(const Recipe *recipe, const MnistSet *train, const MnistSet *test,
                  const RunOptions *options, RecipeResult *result);

#endif
