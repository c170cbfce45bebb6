/* progress.c: drawing the progress bar (progress.h). */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#include "timer.h"

enum { BAR_WIDTH = 20 };

void progress_start(Progress *p, size_t epoch, size_t epochs, size_t total)
{
    p->enabled = isatty(STDERR_FILENO);
    p->epoch = epoch, p->epochs = epochs, p->total = total;
    p->start = timer_seconds();
    p->last_draw = 0;
}

void progress_update(Progress *p, size_t done, double loss, size_t images)
{
    double now = timer_seconds();
    if (!p->enabled || (now - p->last_draw < 0.1 && done < p->total)) return;
    p->last_draw = now;
    size_t filled = p->total > 0 ? BAR_WIDTH * done / p->total : BAR_WIDTH;
    char bar[BAR_WIDTH + 1];
    for (size_t i = 0; i < BAR_WIDTH; i++) bar[i] = i < filled ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    double rate = images / (now - p->start + 1e-9);
    fprintf(stderr, "\repoch %2zu/%zu [%s] %3zu%%  loss %.4f  %7.0f img/s", p->epoch, p->epochs,
            bar, p->total > 0 ? 100 * done / p->total : 100, loss, rate);
    fflush(stderr);
}

void progress_finish(Progress *p)
{
    if (p->enabled) fprintf(stderr, "\r%70s\r", "");
}
