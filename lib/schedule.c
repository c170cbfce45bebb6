/* schedule.c: the learning rate at each step (schedule.h). */
#include "schedule.h"

#include <math.h>
#include <stddef.h>

static const double PI = 3.14159265358979323846;

double schedule_rate(const Schedule *s, size_t t)
{
    if (s->kind == SCHEDULE_CONSTANT || s->total_steps == 0) return s->base;
    double progress = t < s->total_steps ? (double)t / (double)s->total_steps : 1;
    return s->base * (1 + cos(PI * progress)) / 2; /* α0 (1 + cos(π t/T)) / 2 */
}

const char *const SCHEDULE_NAMES[] = {"constant", "cosine", NULL};
