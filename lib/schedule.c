/* schedule.c: the learning rate at each step (schedule.h). */
#include "schedule.h"

#include <math.h>
#include <stddef.h>

static const double PI = 3.14159265358979323846;

double schedule_rate(const Schedule *s, size_t t)
{
    if (t < s->warmup_steps) /* chapter 11's warm-up (W = 0 before it): α0 (t + 1) / W */
        return s->base * (double)(t + 1) / (double)s->warmup_steps;
    t -= s->warmup_steps;
    size_t T = s->total_steps > s->warmup_steps ? s->total_steps - s->warmup_steps : 0;
    if (s->kind == SCHEDULE_CONSTANT || T == 0) return s->base;
    double progress = t < T ? (double)t / (double)T : 1;
    return s->base * (1 + cos(PI * progress)) / 2; /* α0 (1 + cos(π t/T)) / 2 */
}

const char *const SCHEDULE_NAMES[] = {"constant", "cosine", NULL};
