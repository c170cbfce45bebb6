/* check_08_flags.c: every program of chapters 01 to 08, and predict, run with
 * each kind of bad command line: a non-number, a negative or zero size, a
 * learning rate that is not a finite positive number, a choice that is not
 * one, an unknown flag, a missing value, a stray argument. Each must exit
 * with status 2 before doing anything, with one line on stderr that names
 * the program and the flag and says what is allowed. Then lib/args itself,
 * on what the programs share: a flag that is a choice among names (parsed
 * to its place, refused naming the names, shown in --help by name) and the
 * operands (predict's pictures) with -- before those that start with -. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "model_file.h"
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
    {"ch05-sgd", "--init xavier", "ch05-sgd: --init: \"xavier\" is not one of he, uniform"},
    {"ch05-sgd", "--preset best", "ch05-sgd: --preset: \"best\" is not one of none, original"},
    {"ch05-sgd", "--curve sometimes",
     "ch05-sgd: --curve: \"sometimes\" is not one of auto, always, never"},
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
     "ch07-better-training: --optimizer: \"adamw\" is not one of sgd, momentum, adam"},
    {"ch07-better-training", "--schedule step",
     "ch07-better-training: --schedule: \"step\" is not one of constant, cosine"},
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
    {"predict", "", "predict: no PICTURE given: give at least 1, or --images FILE (see --help)"},
    {"predict", "--model m.nn --",
     "predict: no PICTURE given: give at least 1, or --images FILE (see --help)"},
    {"predict", "digit.pgm --model", "predict: --model needs a value: the path of a model file"},
    {"predict", "--save m.nn digit.pgm",
     "predict: unknown flag --save; the flags are --model, --images, --labels, --help (see --help "
     "for each)"},
    {"predict", "-x.pgm",
     "predict: unexpected argument \"-x.pgm\": flags start with --; a PICTURE that starts with "
     "- goes after a lone -- (see --help)"},
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

/* ---- lib/args: choices and operands --------------------------------------------------------- */

static const char *const optimizers[] = {"sgd", "momentum", "adam", NULL};

enum { MOST_OPERANDS = 2 };

/* What a test command line is parsed into, with the defaults beforehand. */
typedef struct {
    ArgChoice optimizer;
    const char *model;
    const char *items[MOST_OPERANDS];
    ArgOperands pictures;
    NnError err;
} Parsed;

/* The table: --optimizer (default adam), --model and, unless `least` is
 * negative, from `least` to MOST_OPERANDS operands PICTURE.pgm. */
static size_t make_specs(Parsed *p, double least, ArgSpec specs[3])
{
    *p = (Parsed){.optimizer = {optimizers, 2}, .model = "default.nn"};
    p->pictures = (ArgOperands){p->items, 99};
    const ArgSpec table[] = {
        {"optimizer", ARG_CHOICE, &p->optimizer, 0, 0, "the update rule"},
        {"model", ARG_STRING, &p->model, 0, 0, "a model file"},
        {"PICTURE.pgm", ARG_OPERANDS, &p->pictures, least, MOST_OPERANDS, "the pictures"},
    };
    memcpy(specs, table, sizeof table);
    return least < 0 ? 2 : 3;
}

/* Parses `line`, split at spaces, as the command line of "prog". */
static int parse(const char *line, double least, Parsed *p)
{
    static char copy[256];
    char *argv[16] = {"prog"};
    int argc = 1;
    snprintf(copy, sizeof copy, "%s", line);
    for (char *save, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
        argv[argc++] = w;
    ArgSpec specs[3];
    size_t n = make_specs(p, least, specs);
    return args_parse(argc, argv, specs, n, "A test.", &p->err);
}

/* What args_print_help writes for the table, malloc'd. */
static char *help_text(double least, int default_optimizer)
{
    Parsed p;
    ArgSpec specs[3];
    size_t n = make_specs(&p, least, specs);
    p.optimizer.index = default_optimizer;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    ck_assert(out != NULL);
    args_print_help(out, "/some/where/prog", specs, n, "A test.");
    fclose(out);
    return text;
}

START_TEST(each_name_of_a_choice_gives_its_place)
{
    const char *forms[] = {"--optimizer %s", "--optimizer=%s"};
    for (size_t f = 0; f < 2; f++) {
        char line[64];
        snprintf(line, sizeof line, forms[f], optimizers[_i]);
        Parsed p;
        ck_assert_msg(parse(line, -1, &p) == ARGS_OK, "%s: %s", line, p.err.message);
        ck_assert_int_eq(p.optimizer.index, _i);
    }
    Parsed p;
    ck_assert_int_eq(parse("--model m.nn", -1, &p), ARGS_OK);
    ck_assert_int_eq(p.optimizer.index, 2); /* the default, untouched */
}
END_TEST

static const char *const not_names[] = {"adm", "Adam", "ada", "adamw", "sgd,adam", ""};

START_TEST(a_word_that_is_not_a_choice_is_refused_naming_the_choices)
{
    char line[64], expected[128];
    snprintf(line, sizeof line, "--optimizer=%s", not_names[_i]);
    snprintf(expected, sizeof expected, "--optimizer: \"%s\" is not one of sgd, momentum, adam",
             not_names[_i]);
    Parsed p;
    ck_assert_int_eq(parse(line, -1, &p), ARGS_ERROR);
    ck_assert_str_eq(p.err.message, expected);
    ck_assert_int_eq(p.optimizer.index, 2);
}
END_TEST

START_TEST(a_choice_without_its_word_names_the_choices)
{
    Parsed p;
    ck_assert_int_eq(parse("--model m.nn --optimizer", -1, &p), ARGS_ERROR);
    ck_assert_str_eq(p.err.message, "--optimizer needs a value: one of sgd, momentum, adam");
}
END_TEST

START_TEST(args_choice_gives_the_place_of_a_name_or_minus_one)
{
    const char *const none[] = {NULL};
    ck_assert_int_eq(args_choice("sgd", optimizers), 0);
    ck_assert_int_eq(args_choice("adam", optimizers), 2);
    ck_assert_int_eq(args_choice("ADAM", optimizers), -1);
    ck_assert_int_eq(args_choice("", optimizers), -1);
    ck_assert_int_eq(args_choice("sgd", none), -1);
}
END_TEST

START_TEST(help_shows_a_choice_with_its_names_and_default)
{
    char *text = help_text(-1, 1);
    ck_assert_msg(strstr(text, "\n  --optimizer NAME     the update rule (one of sgd, momentum, "
                               "adam; default momentum)\n") != NULL,
                  "%s", text);
    free(text);
}
END_TEST

START_TEST(operands_are_kept_in_order_among_the_flags)
{
    Parsed p;
    ck_assert_msg(parse("a.pgm --model m.nn b.pgm", 1, &p) == ARGS_OK, "%s", p.err.message);
    ck_assert_uint_eq(p.pictures.count, 2);
    ck_assert_str_eq(p.items[0], "a.pgm");
    ck_assert_str_eq(p.items[1], "b.pgm");
    ck_assert_str_eq(p.model, "m.nn");
    ck_assert_msg(parse("--model m.nn", 0, &p) == ARGS_OK, "%s", p.err.message);
    ck_assert_uint_eq(p.pictures.count, 0);
}
END_TEST

START_TEST(after_a_lone_dashdash_every_argument_is_an_operand)
{
    Parsed p;
    ck_assert_msg(parse("--model m.nn -- --x.pgm -y", 1, &p) == ARGS_OK, "%s", p.err.message);
    ck_assert_uint_eq(p.pictures.count, 2);
    ck_assert_str_eq(p.items[0], "--x.pgm");
    ck_assert_str_eq(p.items[1], "-y");
    ck_assert_msg(parse("-- --help --model", 1, &p) == ARGS_OK, "%s", p.err.message);
    ck_assert_str_eq(p.items[0], "--help");
    ck_assert_str_eq(p.items[1], "--model");
    ck_assert_str_eq(p.model, "default.nn");
    ck_assert_msg(parse("-- --", 1, &p) == ARGS_OK, "%s", p.err.message);
    ck_assert_uint_eq(p.pictures.count, 1);
    ck_assert_str_eq(p.items[0], "--");
}
END_TEST

static const struct {
    const char *line;
    double least; /* -1: the program takes no operands */
    const char *message;
} bad_operands[] = {
    {"", 1, "no PICTURE.pgm given: give at least 1 (see --help)"},
    {"--model m.nn --", 1, "no PICTURE.pgm given: give at least 1 (see --help)"},
    {"a.pgm", 2, "only 1 PICTURE.pgm given: give at least 2 (see --help)"},
    {"a.pgm b.pgm c.pgm", 1, "c.pgm: at most 2 PICTURE.pgm at a time; give fewer"},
    {"-- a.pgm b.pgm -c", 1, "-c: at most 2 PICTURE.pgm at a time; give fewer"},
    {"-x.pgm", 1,
     "unexpected argument \"-x.pgm\": flags start with --; a PICTURE.pgm that starts with - goes "
     "after a lone -- (see --help)"},
    {"--x.pgm", 1,
     "unknown flag --x.pgm; the flags are --optimizer, --model, --help (see --help for each)"},
    {"--PICTURE.pgm a.pgm", 1,
     "unknown flag --PICTURE.pgm; the flags are --optimizer, --model, --help (see --help for "
     "each)"},
    {"a.pgm", -1, "unexpected argument \"a.pgm\": flags start with -- (see --help)"},
    {"-- a.pgm", -1, "unexpected argument \"a.pgm\": flags start with -- (see --help)"},
    {"-x", -1, "unexpected argument \"-x\": flags start with -- (see --help)"},
};

START_TEST(bad_operands_are_refused_saying_what_is_allowed)
{
    Parsed p;
    ck_assert_int_eq(parse(bad_operands[_i].line, bad_operands[_i].least, &p), ARGS_ERROR);
    ck_assert_str_eq(p.err.message, bad_operands[_i].message);
}
END_TEST

/* Fails unless text starts with prefix. */
static void assert_starts(const char *text, const char *prefix)
{
    ck_assert_msg(strncmp(text, prefix, strlen(prefix)) == 0, "\"%s\" does not start with \"%s\"",
                  text, prefix);
}

START_TEST(help_shows_the_operands_and_dashdash)
{
    char *text = help_text(1, 2);
    assert_starts(text, "usage: prog [flags] PICTURE.pgm...\nA test.\n\narguments:\n"
                        "  PICTURE.pgm...       the pictures (from 1 to 2)\n\nflags:\n");
    ck_assert_msg(strstr(text, "\n  --                   ends the flags: a PICTURE.pgm after it "
                               "may start with -\n  --help ") != NULL,
                  "%s", text);
    free(text);
    text = help_text(0, 2);
    assert_starts(text, "usage: prog [flags] [PICTURE.pgm...]\n");
    free(text);
    text = help_text(-1, 2);
    assert_starts(text, "usage: prog [flags]\nA test.\n\nflags:\n");
    ck_assert_msg(strstr(text, "\n  -- ") == NULL && strstr(text, "PICTURE") == NULL, "%s", text);
    free(text);
}
END_TEST

/* predict reads a picture named "--3.pgm" given after --, with a small random model. */
START_TEST(predict_reads_a_picture_whose_name_starts_with_dashes_after_dashdash)
{
    char dir[] = "/tmp/nn-flags-XXXXXX", model_path[64], command[512];
    ck_assert(mkdtemp(dir) != NULL);
    snprintf(model_path, sizeof model_path, "%s/m.nn", dir);
    size_t sizes[] = {784, 12, 10};
    Model *model = model_new(sizes, 3, 1);
    NnError err;
    ck_assert_msg(model_save(model, model_path, NULL, &err) == 0, "%s", err.message);
    model_free(model);
    snprintf(command, sizeof command,
             "cp chapters/08-using-the-network/digits/3.pgm '%s/--3.pgm' && cd '%s' && "
             "'%s'/predict --model m.nn -- --3.pgm 2>&1",
             dir, dir, NN_BUILD_DIR);
    int status;
    char *out = run_command(command, &status);
    ck_assert_msg(status == 0, "predict exited with status %d:\n%s", status, out);
    assert_starts(out, "--3.pgm (300×240 pixels), as the network sees it:\n");
    free(out);
    snprintf(command, sizeof command, "rm -r '%s'", dir);
    ck_assert_int_eq(system(command), 0);
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
    TCase *args = tcase_create("choices and operands");
    tcase_add_loop_test(args, each_name_of_a_choice_gives_its_place, 0, 3);
    tcase_add_loop_test(args, a_word_that_is_not_a_choice_is_refused_naming_the_choices, 0,
                        sizeof not_names / sizeof not_names[0]);
    tcase_add_test(args, a_choice_without_its_word_names_the_choices);
    tcase_add_test(args, args_choice_gives_the_place_of_a_name_or_minus_one);
    tcase_add_test(args, help_shows_a_choice_with_its_names_and_default);
    tcase_add_test(args, operands_are_kept_in_order_among_the_flags);
    tcase_add_test(args, after_a_lone_dashdash_every_argument_is_an_operand);
    tcase_add_loop_test(args, bad_operands_are_refused_saying_what_is_allowed, 0,
                        sizeof bad_operands / sizeof bad_operands[0]);
    tcase_add_test(args, help_shows_the_operands_and_dashdash);
    tcase_add_test(args, predict_reads_a_picture_whose_name_starts_with_dashes_after_dashdash);
    suite_add_tcase(s, args);
    return s;
}
