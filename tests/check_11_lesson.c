/* check_11_lesson.c: chapter 11's lesson tells the truth: the code it quotes
 * is in the sources it names, and the output it shows is what its programs
 * print: ch11-many-machines run by mpirun on 1 and 2 processes on the sample
 * (the times masked), and ch11-scaling, the α-β model. Built, like every
 * chapter 11 suite, only where mpicc is found. */
#include "support/lesson.h"

Suite *suite_11_lesson(void);
Suite *suite_11_lesson(void)
{
    return lesson_suite("11 lesson", "chapters/11-many-machines/README.md",
                        "ch11-many-machines ch11-scaling");
}
