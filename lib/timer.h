/* timer.h: wall-clock time for measuring speed (GFLOP/s, images per second). */
#ifndef NN_TIMER_H
#define NN_TIMER_H

/* Seconds since an arbitrary fixed point, from a clock that never jumps. */
double timer_seconds(void);

/* How many times a second run(ctx) goes: the median of five timings, each
 * repeating run for at least 0.1 s. The median, so that one timing disturbed
 * by something else on the machine does not move the result. */
double timer_rate(void (*run)(void *ctx), void *ctx);

#endif
