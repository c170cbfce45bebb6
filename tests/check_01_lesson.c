/* check_01_lesson.c: chapter 01's lesson tells the truth: the code it quotes
 * is in the sources it names, and the output it shows is what ch01-matrices prints. */
#include "support/lesson.h"

Suite *suite_01_lesson(void);
Suite *suite_01_lesson(void)
{
    return lesson_suite("01 lesson", "chapters/01-matrices/README.md", "ch01-matrices");
}
