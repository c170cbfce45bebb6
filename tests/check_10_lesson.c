/* check_10_lesson.c: chapter 10's lesson tells the truth: the code it quotes
 * is in the sources it names, and the output it shows is what its program,
 * ch10-convolution, prints (the times masked; the full run, minutes long, only
 * with NN_SLOW_LESSONS=1). */
#include "support/lesson.h"

Suite *suite_10_lesson(void);
Suite *suite_10_lesson(void)
{
    return lesson_suite("10 lesson", "chapters/10-convolution/README.md", "ch10-convolution");
}
