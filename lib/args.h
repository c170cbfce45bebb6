/* args.h: command-line flags, checked, with their defaults shown in --help.
 *
 * A program describes its flags in a table of ArgSpec; each points at the
 * variable that receives the value, whose value beforehand is the default.
 * Flags are written `--name value` or `--name=value`. Every bad input (an
 * unknown flag, a missing value, a non-number, a number out of its range, a
 * word that is not one of a flag's choices) is an error that names the flag
 * and says what is allowed.
 *
 * A program that takes arguments besides its flags (predict's pictures) adds
 * one ARG_OPERANDS spec: the arguments that do not start with -, and every
 * argument after a lone --, go there in order. Without one, such an argument
 * is an error. */
#ifndef NN_ARGS_H
#define NN_ARGS_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

typedef enum {
    ARG_SIZE,     /* size_t, a whole number in [min, max] */
    ARG_DOUBLE,   /* double, a finite number in [min, max] */
    ARG_STRING,   /* const char *, any text; a NULL default: optional, none shown */
    ARG_CHOICE,   /* ArgChoice, one of a few names */
    ARG_OPERANDS, /* ArgOperands, from min to max arguments that are not flags */
} ArgType;

typedef struct {
    const char *name; /* "hidden" for --hidden; for ARG_OPERANDS, "PICTURE.pgm" as usage shows it */
    ArgType type;
    void *value;      /* a size_t *, double *, const char **, ArgChoice * or ArgOperands * */
    double min, max;  /* the allowed range of a number, or of the count of operands */
    const char *help; /* one line for --help */
} ArgSpec;

/* The value of an ARG_CHOICE flag: `names` lists the words allowed, ending
 * with NULL; `index` is the default's place among them before parsing, and
 * the place of the word given after it: {optimizer_names, OPTIMIZER_ADAM}. */
typedef struct {
    const char *const *names;
    int index;
} ArgChoice;

/* The value of an ARG_OPERANDS spec: args_parse puts the operands, in the
 * order given, into items[0..count-1]. items has room for the spec's max. */
typedef struct {
    const char **items;
    size_t count;
} ArgOperands;

enum { ARGS_OK = 0, ARGS_HELP = 1, ARGS_ERROR = -1 };

/* Parses argv[1..argc-1] against the n specs (at most one of them
 * ARG_OPERANDS). Returns ARGS_OK, ARGS_HELP after printing the help to stdout
 * when --help or -h is given before any --, or ARGS_ERROR with the reason in
 * err. `about` is the program's one-line description. */
int args_parse(int argc, char **argv, const ArgSpec *specs, size_t n, const char *about,
               NnError *err);

/* The place of `text` among the NULL-terminated `names`, or -1 if it is none of them. */
int args_choice(const char *text, const char *const *names);

/* Prints the usage line (with the program's name, not its path, and the
 * operands if any), `about`, the operands, and each flag with its help and
 * default. */
void args_print_help(FILE *out, const char *program, const ArgSpec *specs, size_t n,
                     const char *about);

#endif
