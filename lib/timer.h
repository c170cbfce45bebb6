/* timer.h: wall-clock time for measuring speed (GFLOP/s, images per second). */
#ifndef NN_TIMER_H
#define NN_TIMER_H

/* Seconds since an arbitrary fixed point, from a clock that never jumps. */
double timer_seconds(void);

#endif
