/* saved_run.h: a program that trains chapter 07's recipe and keeps the
 * result: chapter 08's, on chapter 06's loops, chapter 09's trainer, on its
 * fast products, and chapter 10's convolutional network are this one
 * program with another engine (and, for chapter 10, other defaults).
 *
 * It parses the recipe's flags and --save, trains (recipe_run.h), saves the
 * model in the format of model_file.h (written to a temporary name and
 * renamed, so that a crash never leaves half a file), loads the file back
 * and checks that the loaded model scores exactly what the trained one did:
 * every parameter came back, bit for bit. */
#ifndef NN_SAVED_RUN_H
#define NN_SAVED_RUN_H

#include "model_sgd.h"
#include "recipe_flags.h"

typedef struct {
    const char *program;   /* "ch08-using-the-network": its name in messages */
    const char *chapter;   /* "08": the first line, and the log's title */
    const char *log_path;  /* the default epoch log */
    const char *about;     /* the line --help starts with */
    const Engine *engine;  /* ENGINE_LOOPS, or chapter 09's, or chapter 10's */
    const char *save_path; /* the default --save */
    /* Sets the program's own defaults over chapter 07's (recipe_defaults),
     * before the flags are read: chapter 10's maker and layers. NULL: none. */
    void (*defaults)(RecipeFlags *flags);
} SavedRun;

/* --resume's help: what resuming means, the model file holding parameters only. */
#define SAVED_RUN_RESUME_HELP                                                                      \
    "start from a model --save saved, of the same --layers (the file keeps no epoch and no "       \
    "optimizer state: the optimizer, the schedule and the shuffles start anew, for --epochs more)"

/* The model saved at path, to start flags' recipe from (--resume): NULL with
 * err saying why when it cannot be loaded or its layers are not the
 * recipe's. The caller frees it. */
Model *saved_run_start(const RecipeFlags *flags, const char *path, NnError *err);

/* The whole program: returns its exit status (0; 1 when training diverged
 * or a file failed, having said why; 2 for a bad command line). */
int saved_run_main(int argc, char **argv, const SavedRun *program);

#endif
