/* timer.c: the monotonic clock behind timer_seconds (POSIX clock_gettime), and
 * timer_rate's median of timings. */
#include "timer.h"

#include <time.h>

double timer_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double timer_rate(void (*run)(void *ctx), void *ctx)
{
    double rate[5];
    for (int t = 0; t < 5; t++) {
        long reps = 0;
        double start = timer_seconds(), elapsed;
        do {
            run(ctx);
            reps++;
            elapsed = timer_seconds() - start;
        } while (elapsed < 0.1);
        rate[t] = (double)reps / elapsed;
    }
    for (int i = 1; i < 5; i++) /* insertion sort of five */
        for (int j = i; j > 0 && rate[j] < rate[j - 1]; j--) {
            double x = rate[j];
            rate[j] = rate[j - 1], rate[j - 1] = x;
        }
    return rate[2];
}
