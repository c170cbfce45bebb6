/* real.h: the one scalar type of the whole library, chosen at build time.
 *
 * `real` is float by default (fast) or double when built with REAL=double
 * (`make REAL=double`), which defines NN_REAL_DOUBLE. Gradient checks always
 * build in double: centred differences need the extra digits. */
#ifndef NN_REAL_H
#define NN_REAL_H

#include <math.h>

#ifdef NN_REAL_DOUBLE
typedef double real;
#define REAL_NAME    "double"
#define REAL_EPSILON 2.220446049250313e-16
#else
typedef float real;
#define REAL_NAME    "float"
#define REAL_EPSILON 1.1920929e-07f
#endif

/* √x in real's precision. For float, sqrtf: the same correctly rounded
 * result as sqrt in double rounded to float, in one vector instruction. */
static inline real real_sqrt(real x)
{
#ifdef NN_REAL_DOUBLE
    return sqrt(x);
#else
    return sqrtf(x);
#endif
}

#endif
