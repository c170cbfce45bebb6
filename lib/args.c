/* args.c: parsing and checking command-line flags and operands (args.h). */
#include "args.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The start of the error for an argument that is neither a flag nor an operand. */
#define UNEXPECTED "unexpected argument \"%s\": flags start with --"

/* The spec of the flag --name (its first len characters), or NULL. Operands are no flag. */
static const ArgSpec *find_flag(const ArgSpec *specs, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (specs[i].type != ARG_OPERANDS && strlen(specs[i].name) == len &&
            strncmp(specs[i].name, name, len) == 0)
            return &specs[i];
    return NULL;
}

/* The ARG_OPERANDS spec, or NULL when the program takes no operands. */
static const ArgSpec *find_operands(const ArgSpec *specs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (specs[i].type == ARG_OPERANDS) return &specs[i];
    return NULL;
}

static int parse_size(const ArgSpec *s, const char *text, NnError *err)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (text[0] == '\0' || text[0] == '-' || *end != '\0' || errno == ERANGE)
        return nn_error(err, "--%s: \"%s\" is not a whole number; give one from %.0f to %.0f",
                        s->name, text, s->min, s->max);
    if ((double)v < s->min || (double)v > s->max)
        return nn_error(err, "--%s: %s is out of range; give a whole number from %.0f to %.0f",
                        s->name, text, s->min, s->max);
    *(size_t *)s->value = (size_t)v;
    return 0;
}

static int parse_double(const ArgSpec *s, const char *text, NnError *err)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (text[0] == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v))
        return nn_error(err, "--%s: \"%s\" is not a finite number; give one from %g to %g", s->name,
                        text, s->min, s->max);
    if (v < s->min || v > s->max)
        return nn_error(err, "--%s: %s is out of range; give a number from %g to %g", s->name, text,
                        s->min, s->max);
    *(double *)s->value = v;
    return 0;
}

int args_choice(const char *text, const char *const *names)
{
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(text, names[i]) == 0) return i;
    return -1;
}

/* The names of a choice, into out: "sgd, momentum, adam". */
static void list_names(const char *const *names, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; names[i] != NULL && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i == 0 ? "" : ", ", names[i]);
}

static int parse_choice(const ArgSpec *s, const char *text, NnError *err)
{
    ArgChoice *choice = s->value;
    int index = args_choice(text, choice->names);
    if (index < 0) {
        char names[256];
        list_names(choice->names, names, sizeof names);
        return nn_error(err, "--%s: \"%s\" is not one of %s", s->name, text, names);
    }
    choice->index = index;
    return 0;
}

/* What a flag takes, in words: "a whole number from 1 to 60000", "one of
 * sgd, momentum, adam", or its help for text. */
static void describe_value(const ArgSpec *s, char *out, size_t size)
{
    char names[192];
    switch (s->type) {
    case ARG_SIZE: snprintf(out, size, "a whole number from %.0f to %.0f", s->min, s->max); return;
    case ARG_DOUBLE: snprintf(out, size, "a number from %g to %g", s->min, s->max); return;
    case ARG_CHOICE:
        list_names(((const ArgChoice *)s->value)->names, names, sizeof names);
        snprintf(out, size, "one of %s", names);
        return;
    case ARG_STRING:
    case ARG_OPERANDS: snprintf(out, size, "%s", s->help); return;
    }
}

/* The error for a flag that is not in specs: it names the flags there are. */
static int unknown_flag(const ArgSpec *specs, size_t n, const char *name, size_t len, NnError *err)
{
    char names[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < n && used < sizeof names; i++)
        if (specs[i].type != ARG_OPERANDS)
            used += (size_t)snprintf(names + used, sizeof names - used, "--%s, ", specs[i].name);
    return nn_error(err, "unknown flag --%.*s; the flags are %s--help (see --help for each)",
                    (int)len, name, names);
}

static int parse_value(const ArgSpec *s, const char *text, NnError *err)
{
    switch (s->type) {
    case ARG_SIZE: return parse_size(s, text, err);
    case ARG_DOUBLE: return parse_double(s, text, err);
    case ARG_STRING: *(const char **)s->value = text; return 0;
    case ARG_CHOICE: return parse_choice(s, text, err);
    case ARG_OPERANDS: /* not a flag: find_flag never returns one */ break;
    }
    return nn_error(err, "--%s: unknown flag type", s->name);
}

/* Parses the flag argv[*i], --name or --name=value, taking the value from the
 * next argument when there is no =; *i moves past what it used. */
static int parse_flag(int argc, char **argv, int *i, const ArgSpec *specs, size_t n, NnError *err)
{
    const char *name = argv[*i] + 2, *eq = strchr(name, '=');
    size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
    const ArgSpec *s = find_flag(specs, n, name, len);
    if (s == NULL) return unknown_flag(specs, n, name, len, err);
    const char *value = eq != NULL ? eq + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
    if (value == NULL) {
        char allowed[256];
        describe_value(s, allowed, sizeof allowed);
        return nn_error(err, "--%s needs a value: %s", s->name, allowed);
    }
    return parse_value(s, value, err);
}

/* The error for an argument that starts with a single - ("-lr", "-x.pgm"). */
static int single_dash(const ArgSpec *operands, const char *arg, NnError *err)
{
    if (operands == NULL) return nn_error(err, UNEXPECTED " (see --help)", arg);
    return nn_error(err, UNEXPECTED "; a %s that starts with - goes after a lone -- (see --help)",
                    arg, operands->name);
}

/* Adds arg to the operands, or says why it cannot be one. */
static int add_operand(const ArgSpec *s, const char *arg, NnError *err)
{
    if (s == NULL) return nn_error(err, UNEXPECTED " (see --help)", arg);
    ArgOperands *operands = s->value;
    if ((double)operands->count >= s->max)
        return nn_error(err, "%s: at most %.0f %s at a time; give fewer", arg, s->max, s->name);
    operands->items[operands->count++] = arg;
    return 0;
}

/* Fails when fewer operands were given than the spec's min. */
static int check_operand_count(const ArgSpec *s, NnError *err)
{
    size_t count = ((const ArgOperands *)s->value)->count;
    if ((double)count >= s->min) return 0;
    if (count == 0)
        return nn_error(err, "no %s given: give at least %.0f (see --help)", s->name, s->min);
    return nn_error(err, "only %zu %s given: give at least %.0f (see --help)", count, s->name,
                    s->min);
}

int args_parse(int argc, char **argv, const ArgSpec *specs, size_t n, const char *about,
               NnError *err)
{
    const ArgSpec *operands = find_operands(specs, n);
    if (operands != NULL) ((ArgOperands *)operands->value)->count = 0;
    int status = 0, flags_ended = 0;
    for (int i = 1; i < argc && status == 0; i++) {
        const char *arg = argv[i];
        if (flags_ended || arg[0] != '-') {
            status = add_operand(operands, arg, err);
        } else if (strcmp(arg, "--") == 0) {
            flags_ended = 1;
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            args_print_help(stdout, argv[0], specs, n, about);
            return ARGS_HELP;
        } else {
            status = arg[1] == '-' ? parse_flag(argc, argv, &i, specs, n, err)
                                   : single_dash(operands, arg, err);
        }
    }
    if (status == 0 && operands != NULL) status = check_operand_count(operands, err);
    return status == 0 ? ARGS_OK : ARGS_ERROR;
}

/* The name of a choice's default; a default that is none of its names is a bug. */
static const char *default_name(const ArgChoice *choice)
{
    int count = 0;
    while (choice->names[count] != NULL) count++;
    NN_REQUIRE(choice->index >= 0 && choice->index < count, "default %d of %d names", choice->index,
               count);
    return choice->names[choice->index];
}

static void print_default(FILE *out, const ArgSpec *s)
{
    char names[192];
    switch (s->type) {
    case ARG_SIZE: fprintf(out, " (default %zu)", *(const size_t *)s->value); break;
    case ARG_DOUBLE: fprintf(out, " (default %g)", *(const double *)s->value); break;
    case ARG_STRING: /* NULL: no default, the flag is optional */
        if (*(const char *const *)s->value != NULL)
            fprintf(out, " (default %s)", *(const char *const *)s->value);
        break;
    case ARG_CHOICE:
        list_names(((const ArgChoice *)s->value)->names, names, sizeof names);
        fprintf(out, " (one of %s; default %s)", names, default_name(s->value));
        break;
    case ARG_OPERANDS: fprintf(out, " (from %.0f to %.0f)", s->min, s->max); break;
    }
}

/* One line of the help: the flag or operand, what it is, and its default or count. */
static void print_spec(FILE *out, const ArgSpec *s)
{
    static const char *const kinds[] = {
        [ARG_SIZE] = "N", [ARG_DOUBLE] = "N", [ARG_STRING] = "TEXT", [ARG_CHOICE] = "NAME"};
    char left[64];
    if (s->type == ARG_OPERANDS)
        snprintf(left, sizeof left, "%s...", s->name);
    else
        snprintf(left, sizeof left, "--%s %s", s->name, kinds[s->type]);
    fprintf(out, "  %-20s %s", left, s->help);
    print_default(out, s);
    fputc('\n', out);
}

void args_print_help(FILE *out, const char *program, const ArgSpec *specs, size_t n,
                     const char *about)
{
    const char *slash = strrchr(program, '/');
    const ArgSpec *operands = find_operands(specs, n);
    fprintf(out, "usage: %s [flags]", slash != NULL ? slash + 1 : program);
    if (operands != NULL) fprintf(out, operands->min > 0 ? " %s..." : " [%s...]", operands->name);
    fprintf(out, "\n%s\n\n", about);
    if (operands != NULL) {
        fprintf(out, "arguments:\n");
        print_spec(out, operands);
        fputc('\n', out);
    }
    fprintf(out, "flags:\n");
    for (size_t i = 0; i < n; i++)
        if (specs[i].type != ARG_OPERANDS) print_spec(out, &specs[i]);
    if (operands != NULL)
        fprintf(out, "  %-20s ends the flags: a %s after it may start with -\n", "--",
                operands->name);
    fprintf(out, "  %-20s %s\n", "--help", "print this and exit");
}
