/* check_08_lesson.c: chapter 08's lesson tells the truth: the code it quotes
 * is in the sources it names, and the output it shows is what its two
 * programs, ch08-using-the-network and predict, print. */
#include "support/lesson.h"

Suite *suite_08_lesson(void);
Suite *suite_08_lesson(void)
{
    return lesson_suite("08 lesson", "chapters/08-using-the-network/README.md",
                        "ch08-using-the-network predict");
}
