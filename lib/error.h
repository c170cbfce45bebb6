/* error.h: errors in data and user input, returned to the caller.
 *
 * A function that can fail because of something outside the program (a
 * missing or corrupt file, a bad flag) returns -1 and fills an NnError with a
 * message that says what was wrong, where, and how to fix it. The caller
 * decides what to do: a program prints it and exits non-zero.
 *
 * A message too long for the buffer (a path of thousands of characters) loses
 * its middle, not its end: it keeps its first quarter and its last three,
 * joined by "…", so that the start of the path and the reason after it stay.
 * The cut never splits a UTF-8 character. */
#ifndef NN_ERROR_H
#define NN_ERROR_H

#include "fail.h"

typedef struct {
    char message[1024];
} NnError;

/* Writes the formatted message into err (when err is not NULL); returns -1,
 * so that `return nn_error(err, ...);` reports and fails in one line. */
int nn_error(NnError *err, const char *fmt, ...) NN_PRINTF(2, 3);

#endif
