/* error.c: filling an NnError (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ELLIPSIS[] = "…";

/* True for the second to fourth bytes of a UTF-8 character. */
static int continues_a_character(char byte)
{
    return ((unsigned char)byte & 0xC0) == 0x80;
}

/* Copies the n bytes of whole into message (of `size` bytes) as its first
 * quarter, "…" and its last bytes, cut between characters. */
static void keep_ends(char *message, size_t size, const char *whole, size_t n)
{
    size_t room = size - 1 - (sizeof ELLIPSIS - 1), head = room / 4, tail = room - head;
    while (head > 0 && continues_a_character(whole[head])) head--;
    while (tail > 0 && continues_a_character(whole[n - tail])) tail--;
    memcpy(message, whole, head);
    memcpy(message + head, ELLIPSIS, sizeof ELLIPSIS - 1);
    memcpy(message + head + sizeof ELLIPSIS - 1, whole + n - tail, tail);
    message[head + sizeof ELLIPSIS - 1 + tail] = '\0';
}

int nn_error(NnError *err, const char *fmt, ...)
{
    if (err == NULL) return -1;
    va_list args, again;
    va_start(args, fmt);
    va_copy(again, args);
    int n = vsnprintf(err->message, sizeof err->message, fmt, args);
    char *whole = n >= (int)sizeof err->message ? malloc((size_t)n + 1) : NULL;
    if (whole != NULL) { /* too long: format it whole, keep its ends (if no memory, its start) */
        vsnprintf(whole, (size_t)n + 1, fmt, again);
        keep_ends(err->message, sizeof err->message, whole, (size_t)n);
        free(whole);
    }
    va_end(again);
    va_end(args);
    return -1;
}
