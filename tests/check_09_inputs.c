/* check_09_inputs.c: build/train, the program `make run` uses, given data it cannot use, run for
 * real: the checks check_08_inputs.c makes of chapters 05 to 08. Images that are not 28×28 are
 * refused naming the file and both shapes; 1 training image is refused, 2 and 65 train; a FIFO
 * for the images is refused at once. Never "bug in ...". */
#include <check.h>

#include "support/idx_files.h"

static const IdxTrainer train = {"train", 1};

START_TEST(images_of_another_shape_are_refused)
{
    idx_assert_shapes_refused(&train);
}
END_TEST

START_TEST(tiny_training_sets_train_or_are_refused)
{
    idx_assert_tiny_sets_handled(&train);
}
END_TEST

START_TEST(a_fifo_for_the_images_is_refused)
{
    idx_assert_fifo_refused(&train);
}
END_TEST

Suite *suite_09_inputs(void);
Suite *suite_09_inputs(void)
{
    Suite *s = suite_create("09 inputs");
    TCase *tc = tcase_create("train");
    tcase_set_timeout(tc, 240); /* each run stops itself after a minute */
    tcase_add_test(tc, images_of_another_shape_are_refused);
    tcase_add_test(tc, tiny_training_sets_train_or_are_refused);
    tcase_add_test(tc, a_fifo_for_the_images_is_refused);
    suite_add_tcase(s, tc);
    return s;
}
