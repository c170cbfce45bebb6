/* check_05_plots.c: the pictures. What the programs write for them (the
 * confusion counts, the worst digits, the weights), every gnuplot script drawn
 * from the fixture runs in tests/fixtures/plots/ into a valid PNG of its size,
 * the ASCII curve, and a clear message, not a gnuplot error, for a missing or
 * malformed file. Paths reach gnuplot as data: one holding quotes, spaces and
 * commands (for the shell, for gnuplot's `backquotes` and its system()), or
 * starting with "<" (gnuplot's "read from this command"), is drawn from like
 * any other, and nothing in it runs. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "curve.h"
#include "inspect.h"
#include "support/testkit.h"

#define FIXTURE "tests/fixtures/plots/lr-0.1"

/* ---- what the programs write ----------------------------------------------------------------- */

/* A set of m labelled blank 2×2 images: inspect_batch reads only the labels. */
static MnistSet labelled(unsigned char *labels, size_t m)
{
    static unsigned char blank[64 * 4];
    return (MnistSet){.count = m, .rows = 2, .cols = 2, .pixels = blank, .labels = labels};
}

START_TEST(confusion_counts_each_label_against_the_largest_logit)
{
    unsigned char labels[3] = {3, 3, 7};
    MnistSet set = labelled(labels, 3);
    Matrix *Z2 = mat_new(10, 3);
    MAT_AT(Z2, 3, 0) = 5; /* right */
    MAT_AT(Z2, 8, 1) = 5; /* a 3 taken for an 8 */
    MAT_AT(Z2, 7, 2) = 5; /* right */
    Inspection in = {0};
    inspect_batch(&in, Z2, &set, 0);
    ck_assert_uint_eq(in.confusion[3][3], 1);
    ck_assert_uint_eq(in.confusion[3][8], 1);
    ck_assert_uint_eq(in.confusion[7][7], 1);
    size_t total = 0;
    for (int i = 0; i < 10; i++)
        for (int j = 0; j < 10; j++) total += in.confusion[i][j];
    ck_assert_uint_eq(total, 3);
    mat_free(Z2);
}
END_TEST

START_TEST(the_worst_are_the_lowest_probabilities_of_the_label_in_order)
{
    enum { M = 40 };
    unsigned char labels[M] = {0};
    MnistSet set = labelled(labels, M);
    Matrix *Z2 = mat_new(10, M);
    /* Example j puts logit j/4 on digit 1, 0 on the label 0: the larger j, the worse. */
    for (size_t j = 0; j < M; j++) MAT_AT(Z2, 1, j) = (real)j / 4;
    Inspection in = {0};
    inspect_batch(&in, Z2, &set, 0);
    ck_assert_uint_eq(in.worst_count, INSPECT_WORST);
    for (size_t r = 0; r < INSPECT_WORST; r++) {
        const Verdict *v = &in.worst[r];
        ck_assert_uint_eq(v->index, M - 1 - r);
        ck_assert_int_eq(v->label, 0);
        ck_assert_int_eq(v->guess, v->index == 0 ? 0 : 1);
        double z = (double)v->index / 4, sum = 8 + 1 + exp(z); /* eight other zeros, the label */
        ck_assert_double_eq_tol(v->p_label, 1 / sum, 1e-6);
        ck_assert_double_eq_tol(v->p_guess, exp(z) / sum, 1e-6);
    }
    mat_free(Z2);
}
END_TEST

START_TEST(batches_add_up_and_keep_their_place_in_the_set)
{
    unsigned char labels[4] = {2, 2, 2, 2};
    MnistSet set = labelled(labels, 4);
    Matrix *Z2 = mat_new(10, 2);
    MAT_AT(Z2, 2, 0) = 9; /* the first of each batch is right, */
    MAT_AT(Z2, 5, 1) = 9; /* the second wrong */
    Inspection in = {0};
    inspect_batch(&in, Z2, &set, 0);
    inspect_batch(&in, Z2, &set, 2);
    ck_assert_uint_eq(in.confusion[2][2], 2);
    ck_assert_uint_eq(in.confusion[2][5], 2);
    ck_assert_uint_eq(in.worst[0].index, 1);
    ck_assert_uint_eq(in.worst[1].index, 3);
    mat_free(Z2);
}
END_TEST

/* The number of lines of `text`. */
static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p != '\0'; p++) n += *p == '\n';
    return n;
}

START_TEST(the_files_hold_what_the_scripts_read)
{
    char dir[] = "/tmp/nn-inspect-XXXXXX", log[256], path[300];
    ck_assert(mkdtemp(dir) != NULL);
    snprintf(log, sizeof log, "%s/run.tsv", dir);
    unsigned char labels[2] = {4, 9}, pixels[2 * 4] = {0, 255, 7, 8, 1, 2, 3, 4};
    MnistSet set = {.count = 2, .rows = 2, .cols = 2, .pixels = pixels, .labels = labels};
    Matrix *Z2 = mat_new(10, 2), *W1 = mat_new(2, 4);
    MAT_AT(Z2, 4, 1) = 3; /* the 9 taken for a 4 */
    MAT_AT(W1, 1, 3) = -0.5f;
    Inspection in = {0};
    inspect_batch(&in, Z2, &set, 0);
    NnError err;
    ck_assert_msg(inspect_write(&in, W1, &set, log, &err) == 0, "%s", err.message);

    snprintf(path, sizeof path, "%s/run.weights.tsv", dir);
    char *text = read_text_file(path);
    ck_assert_str_eq(text, "# first-layer weights W1 (2×4): one 2×2 block per hidden unit\n"
                           "0\t0\n0\t0\n\n\n0\t0\n0\t-0.5\n");
    free(text);
    snprintf(path, sizeof path, "%s/run.confusion.tsv", dir);
    text = read_text_file(path);
    ck_assert_uint_eq(count_lines(text), 1 + 10 * 11);
    ck_assert_ptr_nonnull(strstr(text, "\n9\t4\t1\n"));
    ck_assert_ptr_nonnull(strstr(text, "\n4\t0\t1\n")); /* all-zero logits: guess 0 */
    free(text);
    snprintf(path, sizeof path, "%s/run.worst.tsv", dir);
    text = read_text_file(path);
    ck_assert_ptr_eq(strstr(text, "rank\tindex\tlabel\tguess\tp_guess\tp_label\n1\t1\t9\t4\t"),
                     text);
    free(text);
    snprintf(path, sizeof path, "%s/run.worst-images.tsv", dir);
    text = read_text_file(path);
    ck_assert_str_eq(text, "1\t2\n3\t4\n\n\n0\t255\n7\t8\n");
    free(text);
    mat_free(Z2), mat_free(W1);
    char rm[300];
    snprintf(rm, sizeof rm, "rm -r '%s'", dir);
    ck_assert_int_eq(system(rm), 0);
}
END_TEST

START_TEST(an_unwritable_folder_is_an_error_naming_the_file)
{
    Inspection in = {0};
    Matrix *W1 = mat_new(1, 4);
    MnistSet set = labelled((unsigned char[1]){0}, 1);
    NnError err;
    ck_assert_int_eq(inspect_write(&in, W1, &set, "/proc/nn-no-such/run.tsv", &err), -1);
    ck_assert_msg(strstr(err.message, "/proc/nn-no-such/run.weights.tsv") != NULL, "%s",
                  err.message);
    mat_free(W1);
}
END_TEST

START_TEST(curve_flag_values)
{
    /* The names, in CurveWhen's order, as --curve takes them. */
    ck_assert_int_eq(args_choice("auto", CURVE_NAMES), CURVE_AUTO);
    ck_assert_int_eq(args_choice("always", CURVE_NAMES), CURVE_ALWAYS);
    ck_assert_int_eq(args_choice("never", CURVE_NAMES), CURVE_NEVER);
    ck_assert_int_eq(args_choice("yes", CURVE_NAMES), -1);
    ck_assert_int_eq(args_choice("", CURVE_NAMES), -1);
}
END_TEST

/* ---- the scripts ----------------------------------------------------------------------------- */

START_TEST(every_picture_of_a_run_is_a_png_of_its_size)
{
    char dir[TESTKIT_DIR];
    testkit_make_dir(dir, "plots");
    int status;
    char *out = run_joined(&status, "sh plots/draw.sh %s %s.tsv", dir, FIXTURE);
    ck_assert_msg(status == 0, "draw.sh failed:\n%s", out);
    /* Nothing but the list of pictures: a gnuplot warning or error would show here. */
    const char *names[] = {"loss", "accuracy", "weights", "confusion", "worst"};
    char expected[1024] = "", path[300];
    for (size_t i = 0; i < 5; i++)
        snprintf(expected + strlen(expected), sizeof expected - strlen(expected),
                 "drew %s/%s.png\n", dir, names[i]);
    ck_assert_str_eq(out, expected);
    const uint32_t size[5][2] = {{900, 560}, {900, 560}, {1000, 540}, {720, 640}, {1020, 690}};
    for (size_t i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s.png", dir, names[i]);
        assert_png(path, size[i][0], size[i][1]);
    }
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

/* A link planted where a picture goes is replaced by the picture, its
 * target never created; nothing of the drawing is left in the folder. */
START_TEST(a_link_at_a_picture_is_replaced_not_followed)
{
    char dir[TESTKIT_DIR], link[64], target[64];
    testkit_make_dir(dir, "plots");
    snprintf(link, sizeof link, "%s/loss.png", dir);
    snprintf(target, sizeof target, "%s/victim", dir);
    ck_assert_int_eq(symlink("victim", link), 0);
    int status;
    char *out = run_joined(&status, "sh plots/draw.sh %s %s.tsv", dir, FIXTURE);
    ck_assert_msg(status == 0, "draw.sh failed:\n%s", out);
    struct stat st;
    ck_assert_msg(lstat(link, &st) == 0 && S_ISREG(st.st_mode), "%s is not the picture", link);
    ck_assert_msg(access(target, F_OK) != 0, "the picture was written through the link");
    assert_png(link, 900, 560);
    free(out);
    out = run_joined(&status, "ls -A %s | grep -c draw", dir); /* no stage left */
    ck_assert_str_eq(out, "0\n");
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(runs_compared_on_one_chart)
{
    char dir[TESTKIT_DIR], path[300];
    testkit_make_dir(dir, "plots");
    int status;
    char *out = run_joined(&status, "sh plots/draw.sh --compare %s %s", dir,
                           FIXTURE ".tsv tests/fixtures/plots/lr-0.5.tsv");
    ck_assert_msg(status == 0, "draw.sh --compare failed:\n%s", out);
    snprintf(path, sizeof path, "drew %s/compare.png\n", dir);
    ck_assert_str_eq(out, path);
    snprintf(path, sizeof path, "%s/compare.png", dir);
    assert_png(path, 1000, 900);
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(the_ascii_curve_fits_a_terminal)
{
    int status;
    char *out = run_joined(&status, "gnuplot -e \"log='%s.tsv'\" plots/loss-dumb.gp", FIXTURE);
    ck_assert_msg(status == 0, "%s", out);
    ck_assert_uint_eq(count_lines(out), 22);
    for (char *line = out; *line != '\0'; line = strchr(line, '\n') + 1)
        ck_assert_int_le(strchr(line, '\n') - line, 79);
    ck_assert_ptr_nonnull(strstr(out, "training"));
    ck_assert_ptr_nonnull(strstr(out, "validation"));
    ck_assert_ptr_nonnull(strstr(out, "epoch"));
    free(out);
}
END_TEST

START_TEST(training_ends_with_the_curve_when_asked)
{
    int status;
    char *out = run_joined(&status,
                           "'%s'/ch05-sgd --data data/sample --hidden 4 --epochs 2 "
                           "--log /tmp/nn-curve-run.tsv --curve always",
                           NN_BUILD_DIR);
    ck_assert_msg(status == 0, "%s", out);
    ck_assert_msg(strstr(out, "loss per epoch") != NULL, "no curve in:\n%s", out);
    free(out);
    out = run_joined(&status,
                     "'%s'/ch05-sgd --data data/sample --hidden 4 --epochs 2 "
                     "--log /tmp/nn-curve-run.tsv --curve auto",
                     NN_BUILD_DIR); /* stdout is a pipe here, not a terminal */
    ck_assert_int_eq(status, 0);
    ck_assert_msg(strstr(out, "loss per epoch") == NULL, "a curve in:\n%s", out);
    free(out);
    ck_assert_int_eq(system("rm -f /tmp/nn-curve-run.*"), 0);
}
END_TEST

/* A path that would run commands if pasted into a shell command line, or into
 * gnuplot's code: quotes of both kinds, spaces, $(…), `…` (gnuplot runs that
 * on its command lines) and '.system("…").' (which closes a '…' string around
 * it). Each command would create `<dir>/pwned-<how>`. */
static void hostile_name(char *out, size_t size, const char *dir, const char *what)
{
    snprintf(out, size,
             "%s/%s it's \"a\" run $(touch %s/pwned-shell) `touch %s/pwned-backquote` "
             "'.system(\"touch %s/pwned-system\").' end",
             dir, what, dir, dir, dir);
}

/* Fails if any of hostile_name's commands ran. */
static void assert_nothing_ran(const char *dir)
{
    const char *hows[] = {"shell", "backquote", "system"};
    for (size_t i = 0; i < 3; i++) {
        char path[300];
        snprintf(path, sizeof path, "%s/pwned-%s", dir, hows[i]);
        ck_assert_msg(access(path, F_OK) != 0, "a command in a path ran: %s exists", path);
    }
}

START_TEST(paths_with_quotes_and_commands_are_drawn_and_never_run)
{
    char dir[TESTKIT_DIR], run[1024], out[1024], path[1200];
    testkit_make_dir(dir, "plots");
    hostile_name(run, sizeof run, dir, "logs");
    hostile_name(out, sizeof out, dir, "pictures");
    /* The paths go through the environment, so no shell ever parses them. */
    ck_assert_int_eq(setenv("NN_RUN_DIR", run, 1), 0);
    ck_assert_int_eq(setenv("NN_OUT", out, 1), 0);
    int status;
    char *got = run_joined(&status, "mkdir -p \"$NN_RUN_DIR\" && for f in " FIXTURE ".*; do "
                                    "cp \"$f\" \"$NN_RUN_DIR/run.${f#" FIXTURE ".}\"; done");
    ck_assert_msg(status == 0, "%s", got);
    free(got);

    got = run_joined(&status, "timeout 60 sh plots/draw.sh \"$NN_OUT\" \"$NN_RUN_DIR/run.tsv\"");
    assert_nothing_ran(dir);
    ck_assert_msg(status == 0, "draw.sh failed:\n%s", got);
    const char *names[] = {"loss", "accuracy", "weights", "confusion", "worst"};
    const uint32_t size[5][2] = {{900, 560}, {900, 560}, {1000, 540}, {720, 640}, {1020, 690}};
    char expected[8192] = "";
    for (size_t i = 0; i < 5; i++)
        snprintf(expected + strlen(expected), sizeof expected - strlen(expected),
                 "drew %s/%s.png\n", out, names[i]);
    ck_assert_str_eq(got, expected);
    free(got);
    for (size_t i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s.png", out, names[i]);
        assert_png(path, size[i][0], size[i][1]);
    }

    got = run_joined(&status, "timeout 60 sh plots/draw.sh --compare \"$NN_OUT\" "
                              "\"$NN_RUN_DIR/run.tsv\" tests/fixtures/plots/lr-0.5.tsv");
    assert_nothing_ran(dir);
    ck_assert_msg(status == 0, "draw.sh --compare failed:\n%s", got);
    snprintf(expected, sizeof expected, "drew %s/compare.png\n", out);
    ck_assert_str_eq(got, expected);
    free(got);
    snprintf(path, sizeof path, "%s/compare.png", out);
    assert_png(path, 1000, 900);
    unsetenv("NN_RUN_DIR");
    unsetenv("NN_OUT");
    testkit_remove_dir(dir);
}
END_TEST

/* gnuplot reads a file name starting with "<" as a command to run, and writes to
 * one starting with "|" through one. Relative paths like these, from a folder
 * laid out like the top one, must name files: the pictures drawn, nothing run. */
START_TEST(a_path_gnuplot_would_take_for_a_command_names_a_file)
{
    char dir[TESTKIT_DIR], pwned[64];
    testkit_make_dir(dir, "plots");
    snprintf(pwned, sizeof pwned, "%s/top/pwned", dir);
    int status;
    char *got = run_joined(&status,
                           "cd %s && mkdir top '|touch pwned; : ' && ln -s '%s/plots' top/plots && "
                           "cd top && mkdir '<touch pwned; : ' && for f in '%s/'" FIXTURE ".*; do "
                           "cp \"$f\" \"<touch pwned; : /run.${f##*/lr-0.1.}\"; done",
                           dir, NN_SOURCE_DIR, NN_SOURCE_DIR);
    ck_assert_msg(status == 0, "%s", got);
    free(got);

    got = run_joined(&status,
                     "cd %s/top && timeout 60 sh plots/draw.sh "
                     "'|touch pwned; : ' '<touch pwned; : /run.tsv'",
                     dir);
    ck_assert_msg(access(pwned, F_OK) != 0, "gnuplot ran a command named in a path:\n%s", got);
    ck_assert_msg(status == 0, "draw.sh failed:\n%s", got);
    ck_assert_msg(strstr(got, "drew |touch pwned; : /worst.png\n") != NULL, "%s", got);
    free(got);
    char path[300];
    snprintf(path, sizeof path, "%s/top/|touch pwned; : /loss.png", dir);
    assert_png(path, 900, 560);

    got = run_joined(&status,
                     "cd %s/top && timeout 60 sh plots/draw.sh --compare "
                     "'|touch pwned; : ' '<touch pwned; : /run.tsv'",
                     dir);
    ck_assert_msg(access(pwned, F_OK) != 0, "gnuplot ran a command named in a path:\n%s", got);
    ck_assert_msg(status == 0, "draw.sh --compare failed:\n%s", got);
    free(got);
    snprintf(path, sizeof path, "%s/top/|touch pwned; : /compare.png", dir);
    assert_png(path, 1000, 900);

    /* The ASCII curve, the way lib/curve.c runs it and with -c. */
    got = run_joined(&status,
                     "cd %s/top && gnuplot -e \"log='<touch pwned; : /run.tsv'\" "
                     "plots/loss-dumb.gp && gnuplot -c plots/loss-dumb.gp "
                     "'<touch pwned; : /run.tsv'",
                     dir);
    ck_assert_msg(access(pwned, F_OK) != 0, "gnuplot ran a command named in a path:\n%s", got);
    ck_assert_msg(status == 0, "%s", got);
    ck_assert_uint_eq(count_lines(got), 2 * 22);
    free(got);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(more_runs_than_gnuplot_takes_arguments_are_compared)
{
    char dir[TESTKIT_DIR], path[300];
    testkit_make_dir(dir, "plots");
    int status;
    /* Twelve runs: gnuplot -c passes nine arguments at most. */
    char *got = run_joined(&status,
                           "timeout 60 sh plots/draw.sh --compare %s"
                           " $(for i in 1 2 3 4 5 6; do printf ' %%s' " FIXTURE ".tsv"
                           " tests/fixtures/plots/lr-0.5.tsv; done)",
                           dir);
    ck_assert_msg(status == 0, "draw.sh --compare failed:\n%s", got);
    snprintf(path, sizeof path, "drew %s/compare.png\n", dir);
    ck_assert_str_eq(got, path);
    free(got);
    snprintf(path, sizeof path, "%s/compare.png", dir);
    assert_png(path, 1000, 900);
    testkit_remove_dir(dir);
}
END_TEST

/* Draws from a log made by `make_log` (a shell command writing $d/run.tsv and
 * what goes with it); returns draw.sh's output, which must be a failure. */
static char *draw_broken(const char *make_log, char *dir)
{
    testkit_make_dir(dir, "plots");
    int status;
    char *out = run_joined(&status, "d=%s; %s; sh plots/draw.sh $d/out $d/run.tsv", dir, make_log);
    ck_assert_msg(status != 0, "draw.sh succeeded on a broken run:\n%s", out);
    ck_assert_msg(strstr(out, "gnuplot") == NULL && strstr(out, "line 0") == NULL,
                  "gnuplot's errors reached the user:\n%s", out);
    return out;
}

#define COPY_RUN "for f in " FIXTURE ".*; do cp $f $d/run.${f#" FIXTURE ".}; done"

START_TEST(a_missing_log_is_named)
{
    char dir[TESTKIT_DIR];
    char *out = draw_broken("true", dir);
    ck_assert_msg(strstr(out, "/run.tsv: missing") != NULL && strstr(out, "make run") != NULL, "%s",
                  out);
    ck_assert_uint_eq(count_lines(out), 1);
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_log_cut_short_is_named_with_its_line)
{
    char dir[TESTKIT_DIR];
    char *out = draw_broken(COPY_RUN "; head -c 200 " FIXTURE ".tsv >$d/run.tsv", dir);
    ck_assert_msg(strstr(out, "/run.tsv: line 3: expected 8 tab-separated numbers, found") != NULL,
                  "%s", out);
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_foreign_file_is_named)
{
    char dir[TESTKIT_DIR];
    char *out = draw_broken("cp data/SHA256SUMS $d/run.tsv", dir);
    ck_assert_msg(strstr(out, "/run.tsv: line 1: expected a header line \"# run: *\"") != NULL,
                  "%s", out);
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_field_that_is_not_a_number_is_named)
{
    char dir[TESTKIT_DIR];
    char *out = draw_broken(COPY_RUN "; sed -i '5s/^[0-9]*/two/' $d/run.steps.tsv", dir);
    ck_assert_msg(strstr(out, "/run.steps.tsv: line 5: field 1, \"two\", is not a number") != NULL,
                  "%s", out);
    /* The pictures that do not read the broken file are still drawn. */
    ck_assert_msg(strstr(out, "/out/accuracy.png") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "/out/loss.png") == NULL, "%s", out);
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_run_without_its_weights_draws_the_rest_and_fails)
{
    char dir[TESTKIT_DIR];
    char *out = draw_broken(COPY_RUN "; rm $d/run.weights.tsv", dir);
    ck_assert_msg(strstr(out, "/run.weights.tsv: missing") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "/out/confusion.png") != NULL, "%s", out);
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_run_stopped_before_its_first_epoch_is_explained)
{
    char dir[TESTKIT_DIR];
    char *out = draw_broken("head -n 2 " FIXTURE ".tsv >$d/run.tsv", dir);
    ck_assert_msg(strstr(out, "/run.tsv: no data yet") != NULL, "%s", out);
    free(out);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_pipe_in_place_of_a_file_is_named_not_read)
{
    char dir[TESTKIT_DIR];
    testkit_make_dir(dir, "plots");
    int status;
    /* A FIFO nobody writes to: reading it would wait for ever. */
    char *got = run_joined(&status,
                           "d=%s; " COPY_RUN "; rm $d/run.steps.tsv && "
                           "mkfifo $d/run.steps.tsv && "
                           "timeout 20 sh plots/draw.sh $d/out $d/run.tsv",
                           dir);
    ck_assert_msg(status != 124, "draw.sh hung reading a FIFO:\n%s", got);
    ck_assert_msg(status == 1, "draw.sh exited with %d:\n%s", status, got);
    ck_assert_msg(strstr(got, "/run.steps.tsv: not a regular file") != NULL, "%s", got);
    ck_assert_msg(strstr(got, "/out/accuracy.png") != NULL, "%s", got);
    free(got);
    testkit_remove_dir(dir);
}
END_TEST

Suite *suite_05_plots(void);
Suite *suite_05_plots(void)
{
    Suite *s = suite_create("05 plots");
    TCase *inspect = tcase_create("inspect");
    tcase_add_test(inspect, confusion_counts_each_label_against_the_largest_logit);
    tcase_add_test(inspect, the_worst_are_the_lowest_probabilities_of_the_label_in_order);
    tcase_add_test(inspect, batches_add_up_and_keep_their_place_in_the_set);
    tcase_add_test(inspect, the_files_hold_what_the_scripts_read);
    tcase_add_test(inspect, an_unwritable_folder_is_an_error_naming_the_file);
    tcase_add_test(inspect, curve_flag_values);
    suite_add_tcase(s, inspect);
    TCase *scripts = tcase_create("scripts");
    tcase_set_timeout(scripts, 60);
    tcase_add_test(scripts, every_picture_of_a_run_is_a_png_of_its_size);
    tcase_add_test(scripts, runs_compared_on_one_chart);
    tcase_add_test(scripts, a_link_at_a_picture_is_replaced_not_followed);
    tcase_add_test(scripts, the_ascii_curve_fits_a_terminal);
    tcase_add_test(scripts, training_ends_with_the_curve_when_asked);
    tcase_add_test(scripts, a_missing_log_is_named);
    tcase_add_test(scripts, a_log_cut_short_is_named_with_its_line);
    tcase_add_test(scripts, a_foreign_file_is_named);
    tcase_add_test(scripts, a_field_that_is_not_a_number_is_named);
    tcase_add_test(scripts, a_run_without_its_weights_draws_the_rest_and_fails);
    tcase_add_test(scripts, a_run_stopped_before_its_first_epoch_is_explained);
    tcase_add_test(scripts, a_pipe_in_place_of_a_file_is_named_not_read);
    tcase_add_test(scripts, paths_with_quotes_and_commands_are_drawn_and_never_run);
    tcase_add_test(scripts, a_path_gnuplot_would_take_for_a_command_names_a_file);
    tcase_add_test(scripts, more_runs_than_gnuplot_takes_arguments_are_compared);
    suite_add_tcase(s, scripts);
    return s;
}
