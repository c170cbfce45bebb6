/* schedule.h: the learning rate over the course of training.
 *
 * Large steps early cover ground; small steps late settle into the valley
 * instead of rattling around it. The cosine schedule goes from α0 at the first
 * step to nearly 0 at the last, slowly at both ends:
 *     α_t = α0 · (1 + cos(π t / T)) / 2,     t = 0 .. T-1 over T steps in all
 * The constant schedule keeps α0 throughout (chapters 05 and 06).
 *
 * A warm-up (chapter 11) goes in front of either: over the first W steps the
 * rate rises linearly to α0, and the schedule runs over the T - W steps left:
 *     α_t = α0 · (t + 1) / W              for t < W
 *     α_t = the schedule's α at t - W      of T - W steps, for t ≥ W
 * Large batches need it (Goyal et al., 2017): their first steps, taken at the
 * full rate while the gradients still change fast, can throw training off. */
#ifndef NN_SCHEDULE_H
#define NN_SCHEDULE_H

#include <stddef.h>

typedef enum { SCHEDULE_CONSTANT, SCHEDULE_COSINE } ScheduleKind;

typedef struct {
    ScheduleKind kind;
    double base;         /* α0 */
    size_t total_steps;  /* T */
    size_t warmup_steps; /* W, 0 for none; fewer than T */
} Schedule;

/* The learning rate at step t (from 0). */
double schedule_rate(const Schedule *s, size_t t);

/* Their names, in ScheduleKind's order, NULL after the last: "constant",
 * "cosine" (a --schedule flag's choices, args.h). */
extern const char *const SCHEDULE_NAMES[];

#endif
