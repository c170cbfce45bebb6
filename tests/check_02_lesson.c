/* check_02_lesson.c: chapter 02's lesson tells the truth: the code it quotes
 * is in the sources it names, and the output it shows is what ch02-forward-pass prints. */
#include "support/lesson.h"

Suite *suite_02_lesson(void);
Suite *suite_02_lesson(void)
{
    return lesson_suite("02 lesson", "chapters/02-forward-pass/README.md", "ch02-forward-pass");
}
