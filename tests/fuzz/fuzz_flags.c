/* fuzz_flags.c: feeds bytes to the command-line parser of chapters 07 and
 * 08, recipe_parse (lib/recipe_flags.c), with chapter 08's extra --save flag: the
 * bytes, split at each NUL, are the arguments after the program's name.
 * recipe_parse runs args_parse (lib/args.c), which chapters 05 and 06 use
 * with their own tables, then model_parse_sizes (lib/model.c) on --layers
 * and the choices' parsers. What it accepts must be a recipe within every
 * flag's range; what it refuses must say which flag or argument is wrong. */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "recipe_flags.h"

enum { MOST_ARGS = 64 };

/* Splits the n bytes of text (NUL-terminated at text[n]) at each NUL into argv[1..]. */
static int split(char *text, size_t n, char *argv[MOST_ARGS])
{
    int argc = 1;
    for (char *p = text; p <= text + n && argc < MOST_ARGS; p += strlen(p) + 1) argv[argc++] = p;
    return argc;
}

static void check_recipe(const RecipeFlags *f)
{
    const Recipe *r = &f->recipe;
    FUZZ_CHECK(isfinite(r->learning_rate) && r->learning_rate >= 1e-6 && r->learning_rate <= 100,
               "learning rate %g", r->learning_rate);
    FUZZ_CHECK(r->batch >= 1 && r->batch <= 60000 && r->epochs >= 1, "batch %zu, epochs %zu",
               r->batch, r->epochs);
    FUZZ_CHECK(r->dropout >= 0 && r->dropout <= 0.95, "dropout %g", r->dropout);
    FUZZ_CHECK(r->weight_decay >= 0 && r->weight_decay <= 1, "weight decay %g", r->weight_decay);
    FUZZ_CHECK(r->size_count >= 2 && r->size_count <= MODEL_MAX_SIZES && r->sizes[0] == 784 &&
                   r->sizes[r->size_count - 1] == 10,
               "%zu layer sizes", r->size_count);
}

int fuzz_flags(const uint8_t *data, size_t n)
{
    char *text = malloc(n + 1), *argv[MOST_ARGS] = {"fuzz"};
    FUZZ_CHECK(text != NULL, "out of memory");
    if (n > 0) memcpy(text, data, n);
    text[n] = '\0';
    int argc = n == 0 ? 1 : split(text, n, argv);
    RecipeFlags f;
    recipe_defaults(&f, "fuzz.tsv");
    const char *save = "fuzz.nn";
    const ArgSpec save_flag = {"save", ARG_STRING, &save, 0, 0, "where to save the model"};
    NnError err = {""};
    int status = recipe_parse(argc, argv, &f, &save_flag, 1, "fuzz", &err);
    if (status == ARGS_OK) check_recipe(&f);
    if (status == ARGS_ERROR)
        FUZZ_CHECK(strncmp(err.message, "--", 2) == 0 ||
                       strncmp(err.message, "unknown flag", 12) == 0 ||
                       strncmp(err.message, "unexpected argument", 19) == 0,
                   "a refusal that names no flag: %s", err.message);
    free(text);
    return 0;
}
