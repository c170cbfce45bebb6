/* Chapter 07: better training.
 *
 * Trains a network of any depth with the techniques that lift it past 98%,
 * each behind one flag, so that each can be measured alone: He initialisation
 * (--init), momentum and Adam (--optimizer), L2 weight decay (--weight-decay),
 * dropout (--dropout), a cosine learning-rate schedule (--schedule), and early
 * stopping on the validation split, keeping the best model (--patience).
 * The defaults are the chapter's recipe (lib/recipe.c).
 * Build and run: make ch07 && ./build/ch07-better-training    (--help lists the flags) */
#include <stdio.h>

#include "recipe_flags.h"
#include "recipe_run.h"

int main(int argc, char **argv)
{
    RecipeFlags f;
    recipe_defaults(&f, "build/logs/ch07.tsv");
    NnError err;
    int status = recipe_parse(argc, argv, &f, NULL, 0,
                              "Trains a network on MNIST with chapter 07's techniques.", &err);
    if (status == ARGS_ERROR) fprintf(stderr, "ch07-better-training: %s\n", err.message);
    if (status != ARGS_OK) return status == ARGS_HELP ? 0 : 2;
    MnistSet train, test;
    if (mnist_load_both(f.data_dir, &train, &test, NULL, &err) != 0) {
        fprintf(stderr, "ch07-better-training: %s\n", err.message);
        return 1;
    }
    RunOptions options = {"ch07-better-training", "07", &ENGINE_LOOPS, f.log_path, f.curve_when};
    RecipeResult result;
    Model *model = recipe_run(&f.recipe, &train, &test, &options, &result);
    status = model != NULL && !result.unwritten ? 0 : 1;
    model_free(model);
    mnist_free(&train), mnist_free(&test);
    return status;
}
