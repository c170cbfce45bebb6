/* recipe_flags.h: chapter 07's recipe as command-line flags, for every
 * program that trains by it (chapters 07, 08 and 09's trainer).
 *
 * Each technique is one flag (--optimizer, --lr, --schedule, --weight-decay,
 * --dropout, --patience, --init), with the layers, the batch, the epochs and
 * the seed, and where a run reads and writes (--data, --log, --curve). A
 * program may add flags of its own (chapter 08's --save). */
#ifndef NN_RECIPE_FLAGS_H
#define NN_RECIPE_FLAGS_H

#include <stddef.h>

#include "args.h"
#include "curve.h"
#include "error.h"
#include "recipe.h"

/* The recipe as flags, with where a run reads and writes. */
typedef struct {
    Recipe recipe;
    const char *layers;      /* as typed: "784,256,128,10" */
    const ModelMaker *maker; /* NULL: layer sizes; chapter 10: convnet.h's */
    /* InitKind, OptimizerKind, ScheduleKind, CurveWhen */
    ArgChoice init, optimizer, schedule, curve;
    const char *log_path, *data_dir;
    CurveWhen curve_when;
    /* Chapter 11, set by its defaults (saved_run.h): flags of the program's
     * own (--overlap), at most RECIPE_MOST_PROGRAM_FLAGS, and whether it
     * takes --resume and --save-every (saved_run.c). */
    const ArgSpec *program_flags;
    size_t program_flag_count;
    int resumable;
} RecipeFlags;

enum { RECIPE_MOST_PROGRAM_FLAGS = 4 };

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

#endif
