/* check_problems.h: the tiny problems chapter 04's gradient checks run on, shared by the
 * suite that grades backprop (check_04_gradients.c) and the one that checks the checker
 * (check_04_checker.c). */
#ifndef NN_TESTS_CHECK_PROBLEMS_H
#define NN_TESTS_CHECK_PROBLEMS_H

#include <stdio.h>

#include "backprop_check.h"

enum { VERDICT = 320 }; /* room for gradcheck_describe's verdict */

/* A tiny network and batch to check on. */
typedef struct {
    unsigned seed;
    size_t inputs, hidden, classes, m;
} Shape;

static inline CheckProblem *problem_of(const Shape *s)
{
    return check_problem_new(s->seed, s->inputs, s->hidden, s->classes, s->m);
}

static inline const char *shape_text(const Shape *s, char *buf, size_t size)
{
    snprintf(buf, size, "seed %u, %zu inputs, %zu hidden, %zu classes, m = %zu", s->seed, s->inputs,
             s->hidden, s->classes, s->m);
    return buf;
}

#endif
