/* check_03_lesson.c: chapter 03's lesson tells the truth: the code it quotes
 * is in the sources it names, and the output it shows is what ch03-softmax prints. */
#include "support/lesson.h"

Suite *suite_03_lesson(void);
Suite *suite_03_lesson(void)
{
    return lesson_suite("03 lesson", "chapters/03-softmax/README.md", "ch03-softmax");
}
