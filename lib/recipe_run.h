/* recipe_run.h: a program's run of the recipe (recipe.h), with everything
 * around the training: the first line, the epoch log, the files the
 * pictures of the trained model read (inspect.h), the loss curve in the
 * terminal, and the closing lines or, when training diverged, what to do. */
#ifndef NN_RECIPE_RUN_H
#define NN_RECIPE_RUN_H

#include "curve.h"
#include "recipe.h"

/* How a program runs the recipe. */
typedef struct {
    const char *program;  /* names it in messages: "ch07-better-training" */
    const char *chapter;  /* "07": the first line says "Chapter 07", the log's title "ch07" */
    const Engine *engine; /* ENGINE_LOOPS, or chapter 09's products */
    const char *log_path; /* the epoch log (trainlog.h) */
    CurveWhen curve;      /* the ASCII loss curve at the end (curve.h) */
} RunOptions;

/* recipe_train with everything around it. Returns the model, or NULL when
 * the log could not be created or training diverged, having said why on
 * stderr. A log or picture file that fails at the end (a full disk) costs
 * the model nothing: it is said on stderr and result->unwritten is set. */
Model *recipe_run(const Recipe *recipe, const MnistSet *train, const MnistSet *test,
                  const RunOptions *options, RecipeResult *result);

#endif
