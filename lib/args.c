/* args.c: parsing and checking command-line flags (args.h). */
#include "args.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const ArgSpec *find_spec(const ArgSpec *specs, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(specs[i].name) == len && strncmp(specs[i].name, name, len) == 0)
            return &specs[i];
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

/* What a flag takes, in words: "a whole number from 1 to 60000", or its help for text. */
static void describe_value(const ArgSpec *s, char *out, size_t size)
{
    switch (s->type) {
    case ARG_SIZE:
        snprintf(out, size, "a whole number from %.0f to %.0f", s->min, s->max);
        return;
    case ARG_DOUBLE:
        snprintf(out, size, "a number from %g to %g", s->min, s->max);
        return;
    case ARG_STRING:
        snprintf(out, size, "%s", s->help);
        return;
    }
}

/* The error for a flag that is not in specs: it names the flags there are. */
static int unknown_flag(const ArgSpec *specs, size_t n, const char *name, size_t len, NnError *err)
{
    char names[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < n && used < sizeof names; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "--%s, ", specs[i].name);
    return nn_error(err, "unknown flag --%.*s; the flags are %s--help (see --help for each)",
                    (int)len, name, names);
}

static int parse_value(const ArgSpec *s, const char *text, NnError *err)
{
    switch (s->type) {
    case ARG_SIZE:
        return parse_size(s, text, err);
    case ARG_DOUBLE:
        return parse_double(s, text, err);
    case ARG_STRING:
        *(const char **)s->value = text;
        return 0;
    }
    return nn_error(err, "--%s: unknown flag type", s->name);
}

int args_parse(int argc, char **argv, const ArgSpec *specs, size_t n, const char *about,
               NnError *err)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            args_print_help(stdout, argv[0], specs, n, about);
            return ARGS_HELP;
        }
        if (strncmp(arg, "--", 2) != 0)
            return nn_error(err, "unexpected argument \"%s\": flags start with -- (see --help)",
                            arg);
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
        const ArgSpec *s = find_spec(specs, n, name, len);
        if (s == NULL) return unknown_flag(specs, n, name, len, err);
        const char *value = eq != NULL ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (value == NULL) {
            char allowed[256];
            describe_value(s, allowed, sizeof allowed);
            return nn_error(err, "--%s needs a value: %s", s->name, allowed);
        }
        if (parse_value(s, value, err) != 0) return ARGS_ERROR;
    }
    return ARGS_OK;
}

static void print_default(FILE *out, const ArgSpec *s)
{
    switch (s->type) {
    case ARG_SIZE:
        fprintf(out, " (default %zu)", *(const size_t *)s->value);
        break;
    case ARG_DOUBLE:
        fprintf(out, " (default %g)", *(const double *)s->value);
        break;
    case ARG_STRING:
        fprintf(out, " (default %s)", args_shown_path(*(const char *const *)s->value));
        break;
    }
}

const char *args_shown_path(const char *path)
{
    size_t n = strlen(NN_SOURCE_DIR);
    return strncmp(path, NN_SOURCE_DIR "/", n + 1) == 0 ? path + n + 1 : path;
}

void args_print_help(FILE *out, const char *program, const ArgSpec *specs, size_t n,
                     const char *about)
{
    const char *slash = strrchr(program, '/');
    fprintf(out, "usage: %s [flags]\n%s\n\nflags:\n", slash != NULL ? slash + 1 : program, about);
    for (size_t i = 0; i < n; i++) {
        const ArgSpec *s = &specs[i];
        const char *kind = s->type == ARG_STRING ? "TEXT" : "N";
        char left[64];
        snprintf(left, sizeof left, "--%s %s", s->name, kind);
        fprintf(out, "  %-20s %s", left, s->help);
        print_default(out, s);
        fputc('\n', out);
    }
    fprintf(out, "  %-20s %s\n", "--help", "print this and exit");
}
