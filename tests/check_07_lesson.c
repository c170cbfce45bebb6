/* check_07_lesson.c: chapter 07's lesson tells the truth: the code it quotes
 * is in the sources it names, and the output it shows is what ch07-better-training prints. */
#include "support/lesson.h"

Suite *suite_07_lesson(void);
Suite *suite_07_lesson(void)
{
    return lesson_suite("07 lesson", "chapters/07-better-training/README.md",
                        "ch07-better-training");
}
