/* progress.h: a one-line progress bar for training, on the terminal only.
 *
 *   epoch  3/10 [##########..........]  50%  loss 0.2413    41250 img/s
 * It is redrawn in place (a carriage return) on stderr, and only when stderr is
 * a terminal, so logs and captured output stay clean. */
#ifndef NN_PROGRESS_H
#define NN_PROGRESS_H

#include <stddef.h>

typedef struct {
    int enabled; /* stderr is a terminal */
    size_t epoch, epochs;
    size_t total;     /* steps in this epoch */
    double start;     /* when the epoch started (timer_seconds) */
    double last_draw; /* when the bar was last drawn */
} Progress;

/* Starts the bar for one epoch of `total` steps. */
void progress_start(Progress *p, size_t epoch, size_t epochs, size_t total);
/* Shows that `done` steps are done, the last loss, and the speed in images per
 * second; redraws at most ten times a second. */
void progress_update(Progress *p, size_t done, double loss, size_t images);
/* Clears the bar, leaving the line free for the epoch's summary. */
void progress_finish(Progress *p);

#endif
