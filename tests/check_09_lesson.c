/* check_09_lesson.c: chapter 09's lesson tells the truth: the code it quotes
 * is in the sources it names, and the output it shows is what its programs,
 * ch09-speed (every number masked: most are timings) and train, print. */
#include "support/lesson.h"

Suite *suite_09_lesson(void);
Suite *suite_09_lesson(void)
{
    return lesson_suite("09 lesson", "chapters/09-speed/README.md", "ch09-speed train");
}
