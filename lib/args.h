/* args.h: command-line flags, checked, with their defaults shown in --help.
 *
 * A program describes its flags in a table of ArgSpec; each points at the
 * variable that receives the value, whose value beforehand is the default.
 * Flags are written `--name value` or `--name=value`. Every bad input (an
 * unknown flag, a missing value, a non-number, a number out of its range)
 * is an error that names the flag and says what is allowed. */
#ifndef NN_ARGS_H
#define NN_ARGS_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

typedef enum {
    ARG_SIZE,   /* size_t, a whole number in [min, max] */
    ARG_DOUBLE, /* double, a finite number in [min, max] */
    ARG_STRING, /* const char *, any text */
} ArgType;

typedef struct {
    const char *name; /* "hidden" for --hidden */
    ArgType type;
    void *value;      /* a size_t *, double * or const char ** */
    double min, max;  /* the allowed range of a number */
    const char *help; /* one line for --help */
} ArgSpec;

enum { ARGS_OK = 0, ARGS_HELP = 1, ARGS_ERROR = -1 };

/* Parses argv[1..argc-1] against the n specs. Returns ARGS_OK, ARGS_HELP after
 * printing the help to stdout when --help or -h is given, or ARGS_ERROR with
 * the reason in err. `about` is the program's one-line description. */
int args_parse(int argc, char **argv, const ArgSpec *specs, size_t n, const char *about,
               NnError *err);

/* `path` as a user types it from the top of the source tree, when it lies
 * inside it ("build/logs/ch05.tsv"); otherwise `path` itself. Default paths
 * are absolute, so programs work from any folder, but are shown short. */
const char *args_shown_path(const char *path);

/* Prints the usage line (with the program's name, not its path), `about`, and each flag with its
 * help and default. */
void args_print_help(FILE *out, const char *program, const ArgSpec *specs, size_t n,
                     const char *about);

#endif
