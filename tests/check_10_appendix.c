/* check_10_appendix.c: chapters/APPENDIX.md, the lessons' tooling detail, tells the truth as
 * the lessons do: its quoted code is in the sources it names, its shown output is what the
 * programs print, and its links lead somewhere. */
#include "support/lesson.h"

Suite *suite_10_appendix(void);
Suite *suite_10_appendix(void)
{
    return appendix_suite("10 appendix", "chapters/APPENDIX.md",
                          "ch01-matrices ch02-forward-pass ch03-softmax ch04-backprop ch05-sgd "
                          "ch06-deeper ch07-better-training ch08-using-the-network ch09-speed "
                          "ch10-convolution predict train");
}
