/* check_04_lesson.c: chapter 04's lesson tells the truth: the code it quotes
 * is in the sources it names, and the output it shows is what ch04-backprop prints. */
#include "support/lesson.h"

Suite *suite_04_lesson(void);
Suite *suite_04_lesson(void)
{
    return lesson_suite("04 lesson", "chapters/04-backprop/README.md", "ch04-backprop");
}
