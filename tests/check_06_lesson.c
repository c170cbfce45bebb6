/* check_06_lesson.c: chapter 06's lesson tells the truth: the code it quotes
 * is in the sources it names, and the output it shows is what ch06-deeper prints. */
#include "support/lesson.h"

Suite *suite_06_lesson(void);
Suite *suite_06_lesson(void)
{
    return lesson_suite("06 lesson", "chapters/06-deeper/README.md", "ch06-deeper");
}
