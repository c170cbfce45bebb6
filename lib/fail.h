/* fail.h: what happens when something goes wrong.
 *
 * Two kinds of failure, handled two ways:
 *  - a programmer error (shapes that do not match, a NULL where none may be)
 *    is a bug: NN_REQUIRE stops the program at once, naming the function;
 *  - running out of memory is reported and ends the program: nn_alloc never
 *    returns NULL, so no caller dereferences one.
 * Data and user errors (a bad file, a bad flag) are not handled here: they go
 * back to the caller as an NnError (error.h), who says what to do. */
#ifndef NN_FAIL_H
#define NN_FAIL_H

#include <stddef.h>

#if defined(__GNUC__)
#define NN_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define NN_PRINTF(fmt_index, first_arg)
#endif

/* Prints "bug in <func>: <message>" to stderr and aborts; or, while a bug
 * handler is set, passes that message to it instead. */
_Noreturn void nn_bug(const char *func, const char *fmt, ...) NN_PRINTF(2, 3);

/* Sets the handler nn_bug calls with its message (NULL: none, the default).
 * It must not return (a test's failure, ck_abort_msg, does not): a test that
 * runs a student's code turns a bug there, shapes that do not fit, into a
 * failed check saying which formula it was computing. */
typedef void (*NnBugHandler)(const char *message);
void nn_on_bug(NnBugHandler handler);

/* Stops the program with a message naming the calling function unless cond holds. */
#define NN_REQUIRE(cond, ...) ((cond) ? (void)0 : nn_bug(__func__, __VA_ARGS__))

/* malloc that never returns NULL: on failure it says how much was asked for
 * and what for, and exits with status 1. Sizes are multiplied with an
 * overflow check. Free the result with free(). */
void *nn_alloc(size_t count, size_t size, const char *what);

/* nn_alloc for numbers the fast products read: the memory starts at a line
 * of the cache (64 bytes). A vector of 16 floats loaded from a row whose
 * start is 16 bytes past a line (where malloc puts a large block) spans two
 * lines, and costs two loads; two threads writing neighbouring columns of
 * such rows share the line between them, and wait for each other. */
void *nn_alloc_lines(size_t count, size_t size, const char *what);

/* For a program that takes no flags or arguments (chapters 01 to 04, and
 * 09): if it was given any, says so, naming the first, and exits with status
 * 2, so that a typo (--lr 3) never passes for a setting. */
void nn_no_arguments(int argc, char **argv, const char *program);

#endif
