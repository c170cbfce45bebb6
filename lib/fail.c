/* fail.c: stopping on bugs and on exhausted memory (see fail.h). */
#include "fail.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static NnBugHandler bug_handler;

void nn_on_bug(NnBugHandler handler)
{
    bug_handler = handler;
}

void nn_bug(const char *func, const char *fmt, ...)
{
    char message[1024];
    int n = snprintf(message, sizeof message, "bug in %s: ", func);
    if (n < 0 || (size_t)n >= sizeof message) n = 0;
    va_list args;
    va_start(args, fmt);
    vsnprintf(message + n, sizeof message - (size_t)n, fmt, args);
    va_end(args);
    NnBugHandler handler = bug_handler;
    bug_handler = NULL; /* once: a bug in the handler itself aborts */
    if (handler != NULL) handler(message);
    fprintf(stderr, "%s\n", message);
    abort();
}

/* count · size, or, when that overflows, the message and exit nn_alloc promises. */
static size_t bytes_for(size_t count, size_t size, const char *what)
{
    if (size != 0 && count > SIZE_MAX / size) {
        fprintf(stderr, "error: %s needs %zu × %zu bytes, more than this machine can address\n",
                what, count, size);
        exit(EXIT_FAILURE);
    }
    return count * size;
}

/* p, or, when it is NULL, the message and exit nn_alloc promises. */
static void *allocated(void *p, size_t bytes, const char *what)
{
    if (p == NULL) {
        fprintf(stderr, "error: out of memory allocating %zu bytes for %s\n", bytes, what);
        exit(EXIT_FAILURE);
    }
    return p;
}

void *nn_alloc(size_t count, size_t size, const char *what)
{
    size_t bytes = bytes_for(count, size, what);
    return allocated(malloc(bytes ? bytes : 1), bytes, what);
}

void *nn_alloc_lines(size_t count, size_t size, const char *what)
{
    enum { LINE = 64 };
    size_t bytes = bytes_for(count, size, what);
    if (bytes > SIZE_MAX - LINE) return allocated(NULL, bytes, what);    /* no room to round up */
    size_t whole = bytes == 0 ? LINE : (bytes + LINE - 1) / LINE * LINE; /* as aligned_alloc asks */
    return allocated(aligned_alloc(LINE, whole), bytes, what);
}

void nn_no_arguments(int argc, char **argv, const char *program)
{
    if (argc <= 1) return;
    fprintf(stderr, "%s: %s: this program takes no flags or arguments; run it alone\n", program,
            argv[1]);
    exit(2);
}
