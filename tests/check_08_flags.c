/* check_08_flags.c: every program of chapters 01 to 08, and predict, run with
 * each kind of bad command line: a non-number, a negative or zero size, a
 * learning rate that is not a finite positive number, a choice that is not
 * one, an unknown flag, a missing value, a stray argument. Each must exit
 * with status 2 before doing anything, with one line on stderr that names
 * the program and the flag and says what is allowed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testkit.h"

static const struct {
    const char *program, *flags, *message;
} bad[] = {
    /* chapters 01 to 04 take no flags at all */
    {"ch01-matrices", "--lr 3", "ch01-matrices: --lr: this program takes no flags"},
    {"ch02-forward-pass", "--help", "ch02-forward-pass: --help: this program takes no flags"},
    {"ch03-softmax", "data/sample", "ch03-softmax: data/sample: this program takes no flags"},
    {"ch04-backprop", "--float", "ch04-backprop: --float: this program takes no flags"},
    /* chapter 05 */
    {"ch05-sgd", "--hidden ten",
     "ch05-sgd: --hidden: \"ten\" is not a whole number; give one from 1 to 4096"},
    {"ch05-sgd", "--batch -5",
     "ch05-sgd: --batch: \"-5\" is not a whole number; give one from 1 to 60000"},
    {"ch05-sgd", "--batch 0",
     "ch05-sgd: --batch: 0 is out of range; give a whole number from 1 to 60000"},
    {"ch05-sgd", "--epochs=0",
     "ch05-sgd: --epochs: 0 is out of range; give a whole number from 1 to 100000"},
    {"ch05-sgd", "--hidden 99999999999999999999999",
     "ch05-sgd: --hidden: \"99999999999999999999999\" is not a whole number"},
    {"ch05-sgd", "--lr nan",
     "ch05-sgd: --lr: \"nan\" is not a finite number; give one from 1e-06 to 100"},
    {"ch05-sgd", "--lr inf",
     "ch05-sgd: --lr: \"inf\" is not a finite number; give one from 1e-06 to 100"},
    {"ch05-sgd", "--lr 1e999", "ch05-sgd: --lr: \"1e999\" is not a finite number"},
    {"ch05-sgd", "--lr 0", "ch05-sgd: --lr: 0 is out of range; give a number from 1e-06 to 100"},
    {"ch05-sgd", "--lr -0.1",
     "ch05-sgd: --lr: -0.1 is out of range; give a number from 1e-06 to 100"},
    {"ch05-sgd", "--lr 0.1.2", "ch05-sgd: --lr: \"0.1.2\" is not a finite number"},
    {"ch05-sgd", "--lr=", "ch05-sgd: --lr: \"\" is not a finite number"},
    {"ch05-sgd", "--lr", "ch05-sgd: --lr needs a value: a number from 1e-06 to 100"},
    {"ch05-sgd", "--epochs", "ch05-sgd: --epochs needs a value: a whole number from 1 to 100000"},
    {"ch05-sgd", "--speed 3", "ch05-sgd: unknown flag --speed; the flags are --hidden, --lr,"},
    {"ch05-sgd", "-lr 3", "ch05-sgd: unexpected argument \"-lr\": flags start with --"},
    {"ch05-sgd", "--init xavier",
     "ch05-sgd: --init: \"xavier\" is not an initialisation; use he or uniform"},
    {"ch05-sgd", "--preset best",
     "ch05-sgd: --preset: \"best\" is not a preset; use none or original"},
    {"ch05-sgd", "--curve sometimes",
     "ch05-sgd: --curve: \"sometimes\" is not a choice; use auto, always or never"},
    /* chapter 06 */
    {"ch06-deeper", "--layers 784,,10",
     "ch06-deeper: --layers: \"784,,10\": layer sizes are whole numbers from 1 to 65536"},
    {"ch06-deeper", "--layers 784,65536,65536,10",
     "ch06-deeper: --layers: \"784,65536,65536,10\": 4347133962 weights and biases, more than the "
     "100000000"},
    {"ch06-deeper", "--layers",
     "ch06-deeper: --layers needs a value: layer sizes, input first, output last"},
    {"ch06-deeper", "--lr nan",
     "ch06-deeper: --lr: \"nan\" is not a finite number; give one from 1e-06 to 100"},
    {"ch06-deeper", "--batch 0",
     "ch06-deeper: --batch: 0 is out of range; give a whole number from 1 to 60000"},
    {"ch06-deeper", "--hidden 3",
     "ch06-deeper: unknown flag --hidden; the flags are --layers, --lr,"},
    /* chapter 07 */
    {"ch07-better-training", "--lr -1",
     "ch07-better-training: --lr: -1 is out of range; give a number from 1e-06 to 100"},
    {"ch07-better-training", "--lr",
     "ch07-better-training: --lr needs a value: a number from 1e-06 to 100"},
    {"ch07-better-training", "--dropout 1",
     "ch07-better-training: --dropout: 1 is out of range; give a number from 0 to 0.95"},
    {"ch07-better-training", "--epochs -2",
     "ch07-better-training: --epochs: \"-2\" is not a whole number; give one from 1 to 100000"},
    {"ch07-better-training", "--optimizer adamw",
     "ch07-better-training: --optimizer: \"adamw\" is not one; use sgd, momentum or adam"},
    {"ch07-better-training", "--schedule step",
     "ch07-better-training: --schedule: \"step\" is not one; use constant or cosine"},
    {"ch07-better-training", "--layers 100,10",
     "ch07-better-training: --layers 100,10: the first size must be 784"},
    {"ch07-better-training", "--save m.nn",
     "ch07-better-training: unknown flag --save; the flags are --layers,"},
    /* chapter 08 */
    {"ch08-using-the-network", "--save",
     "ch08-using-the-network: --save needs a value: where to save the model"},
    {"ch08-using-the-network", "--weight-decay inf",
     "ch08-using-the-network: --weight-decay: \"inf\" is not a finite number; give one from 0 to "
     "1"},
    {"ch08-using-the-network", "--batch 1.5",
     "ch08-using-the-network: --batch: \"1.5\" is not a whole number; give one from 1 to 60000"},
    {"ch08-using-the-network", "--model m.nn",
     "ch08-using-the-network: unknown flag --model; the flags are --layers,"},
    {"predict", "", "predict: no picture to read: give at least one PGM file"},
    {"predict", "digit.pgm --model", "predict: --model needs a value: the path of a model file"},
    {"predict", "--save m.nn digit.pgm",
     "predict: unknown flag --save; the flags are --model FILE and --help"},
};

START_TEST(a_bad_command_line_is_refused_naming_the_flag)
{
    char command[512];
    snprintf(command, sizeof command, "'%s'/%s %s 2>&1 >/dev/null", NN_BUILD_DIR, bad[_i].program,
             bad[_i].flags);
    int status;
    char *err = run_command(command, &status);
    ck_assert_msg(status == 2, "`%s %s` exited with status %d, not 2; it printed:\n%s",
                  bad[_i].program, bad[_i].flags, status, err);
    ck_assert_msg(strncmp(err, bad[_i].message, strlen(bad[_i].message)) == 0,
                  "`%s %s` said:\n%swhere its first line should start:\n%s", bad[_i].program,
                  bad[_i].flags, err, bad[_i].message);
    free(err);
}
END_TEST

Suite *suite_08_flags(void);
Suite *suite_08_flags(void)
{
    Suite *s = suite_create("08 flags");
    TCase *tc = tcase_create("every program");
    tcase_add_loop_test(tc, a_bad_command_line_is_refused_naming_the_flag, 0,
                        sizeof bad / sizeof bad[0]);
    suite_add_tcase(s, tc);
    return s;
}
