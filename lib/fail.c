/* fail.c: stopping on bugs and on exhausted memory (see fail.h). */
#include "fail.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

void nn_bug(const char *func, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "bug in %s: ", func);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    abort();
}

void *nn_alloc(size_t count, size_t size, const char *what)
{
    if (size != 0 && count > SIZE_MAX / size) {
        fprintf(stderr, "error: %s needs %zu × %zu bytes, more than this machine can address\n",
                what, count, size);
        exit(EXIT_FAILURE);
    }
    size_t bytes = count * size;
    void *p = malloc(bytes ? bytes : 1);
    if (p == NULL) {
        fprintf(stderr, "error: out of memory allocating %zu bytes for %s\n", bytes, what);
        exit(EXIT_FAILURE);
    }
    return p;
}

void nn_no_arguments(int argc, char **argv, const char *program)
{
    if (argc <= 1) return;
    fprintf(stderr, "%s: %s: this program takes no flags or arguments; run it alone\n", program,
            argv[1]);
    exit(2);
}
