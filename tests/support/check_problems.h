/* check_problems.h: the tiny problems chapter 04's gradient checks run on, shared by the
 * suite that grades backprop (check_04_gradients.c) and the one that checks the checker
 * (check_04_checker.c). */
#ifndef NN_TESTS_CHECK_PROBLEMS_H
#define NN_TESTS_CHECK_PROBLEMS_H

#include <check.h>
#include <stdio.h>

#include "backprop_check.h"
#include "fail.h"

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

/* What is being checked, for a bug that stops the backward pass under test. */
static inline char *bug_context(void)
{
    static char text[256];
    return text;
}

static inline void fail_on_bug(const char *message)
{
    ck_abort_msg("%s: the backward pass stopped: %s", bug_context(), message);
}

/* While a (student's) backward pass runs: a bug in it, shapes that do not fit, fails the test
 * naming what was being checked and both shapes, instead of aborting it without a word. */
static inline void guard_bugs(const char *what)
{
    snprintf(bug_context(), 256, "%s", what);
    nn_on_bug(fail_on_bug);
}

static inline void unguard_bugs(void)
{
    nn_on_bug(NULL);
}

#endif
