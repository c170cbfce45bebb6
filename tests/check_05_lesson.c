/* check_05_lesson.c: chapter 05's lesson tells the truth: the code it quotes
 * is in the sources it names, and the output it shows is what ch05-sgd prints. */
#include "support/lesson.h"

Suite *suite_05_lesson(void);
Suite *suite_05_lesson(void)
{
    return lesson_suite("05 lesson", "chapters/05-sgd/README.md", "ch05-sgd");
}
