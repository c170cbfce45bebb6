/* check_05_sgd.c: chapter 05's training: the update rule, sanity tests that
 * teach (a few steps lower the loss; 20 examples can be learnt by heart; a
 * short run on the bundled sample generalises), the flags and the logs. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "epoch.h"
#include "evaluate.h"
#include "sgd.h"
#include "support/epoch_check.h"
#include "support/sample.h"
#include "support/testkit.h"
#include "trainlog.h"

/* A 784-h-10 network with He initialisation from `seed`. */
static Net *fresh_net(size_t hidden, uint64_t seed, Rng *rng)
{
    rng_seed(rng, seed);
    Net *net = net_new(784, hidden, 10);
    net_init_he(net, rng);
    return net;
}

START_TEST(update_rule_moves_against_the_gradient)
{
    Rng rng;
    Net *net = fresh_net(3, 1, &rng);
    Grads *g = grads_new(net, 1);
    mat_fill(g->dW1, 1), mat_fill(g->db1, 2), mat_fill(g->dW2, -1), mat_fill(g->db2, 4);
    real w1 = net->W1->data[5], b1 = net->b1->data[0], w2 = net->W2->data[7];
    sgd_update(net, g, 0.5);
    ck_assert_double_eq_tol(net->W1->data[5], w1 - 0.5, 1e-6);
    ck_assert_double_eq_tol(net->b1->data[0], b1 - 1, 1e-6);
    ck_assert_double_eq_tol(net->W2->data[7], w2 + 0.5, 1e-6);
    ck_assert_double_eq_tol(net->b2->data[9], -2, 1e-6);
    grads_free(g), net_free(net);
}
END_TEST

START_TEST(an_epoch_visits_every_example_once_in_batches)
{
    size_t order[23];
    for (size_t i = 0; i < 23; i++) order[i] = i;
    Rng rng;
    rng_seed(&rng, 7);
    StepReport report = {0};
    EpochPlan plan = {order, 23, 5, &rng, 2, &report};
    Recorder r = {.next_ok = 1};
    for (size_t s = 0; s < 16; s++) r.loss_at[s] = (double)s; /* mean of 0,1,2,3,4 by size */
    size_t correct = 0, bad_step = 0;
    double loss = epoch_run(&plan, 1, record_step, &r, &correct, &bad_step);
    ck_assert_uint_eq(r.steps, 5);
    for (size_t s = 0; s < 4; s++) ck_assert_uint_eq(r.sizes[s], 5);
    ck_assert_uint_eq(r.sizes[4], 3); /* the last batch is what is left, not dropped */
    ck_assert_msg(r.next_ok, "a batch's `next` was not the batch that followed");
    ck_assert_uint_eq(r.expected_next_m, 0); /* nothing after the last */
    int count[23] = {0}, moved = 0;
    for (size_t i = 0; i < 23; i++) count[r.seen[i]]++, moved |= r.seen[i] != i;
    for (size_t i = 0; i < 23; i++) ck_assert_int_eq(count[i], 1);
    ck_assert_msg(moved, "the order was not shuffled");
    ck_assert_uint_eq(correct, 23);
    ck_assert_uint_eq(bad_step, 0);
    ck_assert_double_eq_tol(loss, (0 * 5 + 1 * 5 + 2 * 5 + 3 * 5 + 4 * 3) / 23.0, 1e-12);
    ck_assert_uint_eq(report.steps_before, 5); /* the step log numbers across epochs */
    ck_assert_uint_eq(report.epoch, 1);
}
END_TEST

/* Three epochs of 23 examples in batches of 5: each visits every example
 * once, the last partial batch of 3 included, in an order of its own. */
START_TEST(each_epoch_has_a_new_order)
{
    Outcome o = {0};
    ck_assert_msg(epochs_visit_every_example_in_new_orders(epoch_run, &o), "%s", o.why);
}
END_TEST

START_TEST(an_epoch_stops_at_the_first_diverged_step)
{
    const double bad[] = {NAN, INFINITY, SGD_DIVERGED_LOSS * 2};
    for (size_t k = 0; k < 3; k++) {
        size_t order[30];
        for (size_t i = 0; i < 30; i++) order[i] = i;
        Rng rng;
        rng_seed(&rng, 1);
        EpochPlan plan = {order, 30, 10, &rng, 1, NULL};
        Recorder r = {.next_ok = 1};
        r.loss_at[1] = bad[k];
        size_t correct = 0, bad_step = 0;
        double loss = epoch_run(&plan, 1, record_step, &r, &correct, &bad_step);
        ck_assert_uint_eq(bad_step, 2);
        ck_assert_uint_eq(r.steps, 2); /* no step after it */
        ck_assert(!isfinite(loss) || loss > SGD_DIVERGED_LOSS);
    }
}
END_TEST

START_TEST(a_few_steps_lower_the_loss)
{
    Rng rng;
    Net *net = fresh_net(32, 2, &rng);
    Trainer *t = trainer_new(net, &sample, 100, (real)0.1);
    size_t index[100], correct = 0;
    for (size_t j = 0; j < 100; j++) index[j] = j;
    Batch b = {index, 100, NULL, 0};
    double first = sgd_step(t, &b, &correct), last = first;
    for (int step = 0; step < 10; step++) last = sgd_step(t, &b, &correct);
    ck_assert_msg(last < first - 0.3, "loss went from %.4f to %.4f in 10 steps", first, last);
    trainer_free(t), net_free(net);
}
END_TEST

START_TEST(twenty_examples_can_be_learnt_by_heart)
{
    Rng rng;
    Net *net = fresh_net(64, 3, &rng);
    Trainer *t = trainer_new(net, &sample, 20, (real)0.5);
    size_t index[20], correct = 0;
    for (size_t j = 0; j < 20; j++) index[j] = j;
    Batch b = {index, 20, NULL, 0};
    for (int step = 0; step < 300; step++) sgd_step(t, &b, &correct);
    Score s = evaluate(net, &sample, 0, 20, t->X, t->Y, t->f);
    ck_assert_msg(s.loss < 0.01, "after 300 steps on 20 examples the loss is %.4f", s.loss);
    ck_assert_double_eq(s.accuracy, 1);
    trainer_free(t), net_free(net);
}
END_TEST

START_TEST(short_run_on_the_sample_beats_80_percent)
{
    /* Train on the sample's first 600 images, test on its last 200. */
    Rng rng;
    Net *net = fresh_net(64, 4, &rng);
    Trainer *t = trainer_new(net, &sample, 32, (real)0.1);
    size_t order[600], correct = 0, bad_step = 0;
    for (size_t j = 0; j < 600; j++) order[j] = j;
    EpochPlan plan = {order, 600, 32, &rng, 15, NULL};
    for (size_t epoch = 1; epoch <= 15; epoch++) {
        double loss = epoch_run(&plan, epoch, sgd_step, t, &correct, &bad_step);
        ck_assert_msg(isfinite(loss), "the loss diverged at step %zu", bad_step);
    }
    Score held_out = evaluate(net, &sample, 600, 200, t->X, t->Y, t->f);
    ck_assert_msg(held_out.accuracy > 0.80, "held-out accuracy %.1f%%", 100 * held_out.accuracy);
    trainer_free(t), net_free(net);
}
END_TEST

START_TEST(divergence_is_reported_with_its_step)
{
    Rng rng;
    Net *net = fresh_net(32, 5, &rng);
    Trainer *t = trainer_new(net, &sample, 50, 50);
    size_t order[600], correct = 0, bad_step = 0;
    for (size_t j = 0; j < 600; j++) order[j] = j;
    EpochPlan plan = {order, 600, 50, &rng, 5, NULL};
    double loss = 0;
    for (size_t epoch = 1; epoch <= 5 && bad_step == 0; epoch++)
        loss = epoch_run(&plan, epoch, sgd_step, t, &correct, &bad_step);
    ck_assert_msg(!isfinite(loss) || loss > SGD_DIVERGED_LOSS,
                  "a learning rate of 50 did not diverge (loss %g)", loss);
    ck_assert_uint_ge(bad_step, 1);
    trainer_free(t), net_free(net);
}
END_TEST

/* Parses the flags in `line` (split at spaces) into a small spec table. */
static int parse_line(const char *line, size_t *hidden, double *lr, NnError *err)
{
    char copy[256], *argv[16] = {"prog"};
    int argc = 1;
    snprintf(copy, sizeof copy, "%s", line);
    for (char *save, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
        argv[argc++] = w;
    const ArgSpec specs[] = {{"hidden", ARG_SIZE, hidden, 1, 4096, "hidden units"},
                             {"lr", ARG_DOUBLE, lr, 1e-6, 100, "learning rate"}};
    FILE *devnull = freopen("/dev/null", "w", stdout); /* --help prints */
    (void)devnull;
    return args_parse(argc, argv, specs, 2, "test", err);
}

static const struct {
    const char *line, *message;
} bad_flags[] = {
    {"--hidden", "--hidden needs a value"},
    {"--hidden ten", "--hidden: \"ten\" is not a whole number"},
    {"--hidden -3", "--hidden: \"-3\" is not a whole number"},
    {"--hidden 0", "--hidden: 0 is out of range"},
    {"--hidden 5000", "--hidden: 5000 is out of range"},
    {"--lr nan", "--lr: \"nan\" is not a finite number"},
    {"--lr inf", "--lr: \"inf\" is not a finite number"},
    {"--lr 0", "--lr: 0 is out of range"},
    {"--lr 1e999", "--lr: \"1e999\" is not a finite number"},
    {"--lr 0.1x", "--lr: \"0.1x\" is not a finite number"},
    {"--speed 3", "unknown flag --speed"},
    {"fast", "unexpected argument \"fast\""},
};

START_TEST(bad_flags_are_named_with_what_is_allowed)
{
    size_t hidden = 10;
    double lr = 0.1;
    NnError err;
    ck_assert_int_eq(parse_line(bad_flags[_i].line, &hidden, &lr, &err), ARGS_ERROR);
    ck_assert_msg(strstr(err.message, bad_flags[_i].message) != NULL,
                  "`%s` gave \"%s\", expected it to say \"%s\"", bad_flags[_i].line, err.message,
                  bad_flags[_i].message);
}
END_TEST

START_TEST(good_flags_are_parsed)
{
    size_t hidden = 10;
    double lr = 0.1;
    NnError err;
    ck_assert_int_eq(parse_line("--hidden 256 --lr=0.05", &hidden, &lr, &err), ARGS_OK);
    ck_assert_uint_eq(hidden, 256);
    ck_assert_double_eq(lr, 0.05);
    ck_assert_int_eq(parse_line("--help", &hidden, &lr, &err), ARGS_HELP);
}
END_TEST

/* --preset original gives the notebook's settings, but a flag given beside it wins,
 * whichever comes first. */
START_TEST(flags_given_win_over_the_preset)
{
    static const char *const orders[] = {"--preset original --epochs 2 --lr 0.3",
                                         "--epochs 2 --lr 0.3 --preset original"};
    char command[512];
    snprintf(command, sizeof command,
             "'%s'/ch05-sgd %s --data '%s'/data/sample --log /tmp/nn-preset-%d.tsv --curve never",
             NN_BUILD_DIR, orders[_i], NN_SOURCE_DIR, (int)getpid());
    int status;
    char *out = run_command(command, &status);
    ck_assert_msg(status == 0 && strstr(out, "settings: hidden 10, learning rate 0.3, batch 600, "
                                             "epochs 2, init uniform, seed 1\n"),
                  "%s exited with %d:\n%s", command, status, out);
    free(out);
    snprintf(command, sizeof command, "rm -f /tmp/nn-preset-%d.*", (int)getpid());
    ck_assert_int_eq(system(command), 0);
}
END_TEST

START_TEST(logs_have_headers_and_one_line_per_record)
{
    char dir[] = "/tmp/nn-trainlog-XXXXXX", path[256], steps[256];
    ck_assert(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/sub/run.tsv", dir);
    snprintf(steps, sizeof steps, "%s/sub/run.steps.tsv", dir);
    TrainLog log;
    NnError err;
    ck_assert_msg(trainlog_open(&log, path, "784-4-10, a test", &err) == 0, "%s", err.message);
    trainlog_step(&log, 1, 1, 2.5);
    trainlog_step(&log, 2, 1, 2.25);
    trainlog_epoch(&log, &(EpochRecord){1, 2.3, 0.5, 2.2, 0.55, 2.1, 0.6, 1.5});
    ck_assert_int_eq(trainlog_close(&log, &err), 0);
    char *text = read_text_file(path), *step_text = read_text_file(steps);
    ck_assert_str_eq(text,
                     "# run: 784-4-10, a test\n"
                     "epoch\ttrain_loss\ttrain_accuracy\tval_loss\tval_accuracy\t"
                     "test_loss\ttest_accuracy\tseconds\n"
                     "1\t2.300000\t0.500000\t2.200000\t0.550000\t2.100000\t0.600000\t1.500\n");
    ck_assert_str_eq(step_text, "step\tepoch\tloss\n1\t1\t2.500000\n2\t1\t2.250000\n");
    free(text), free(step_text);
    unlink(steps), unlink(path);
}
END_TEST

START_TEST(an_unwritable_log_is_an_error_naming_it)
{
    TrainLog log;
    NnError err;
    ck_assert_int_eq(trainlog_open(&log, "/proc/nn-no-such/run.tsv", "a run", &err), -1);
    ck_assert_msg(strstr(err.message, "/proc/nn-no-such/run.tsv") != NULL, "%s", err.message);
}
END_TEST

Suite *suite_05_sgd(void);
Suite *suite_05_sgd(void)
{
    Suite *s = suite_create("05 sgd");
    TCase *training = tcase_create("training");
    tcase_add_unchecked_fixture(training, sample_load, sample_free);
    tcase_set_timeout(training, 120);
    tcase_add_test(training, update_rule_moves_against_the_gradient);
    tcase_add_test(training, an_epoch_visits_every_example_once_in_batches);
    tcase_add_test(training, each_epoch_has_a_new_order);
    tcase_add_test(training, an_epoch_stops_at_the_first_diverged_step);
    tcase_add_test(training, a_few_steps_lower_the_loss);
    tcase_add_test(training, twenty_examples_can_be_learnt_by_heart);
    tcase_add_test(training, short_run_on_the_sample_beats_80_percent);
    tcase_add_test(training, divergence_is_reported_with_its_step);
    suite_add_tcase(s, training);
    TCase *flags = tcase_create("flags and logs");
    tcase_add_loop_test(flags, bad_flags_are_named_with_what_is_allowed, 0,
                        sizeof bad_flags / sizeof bad_flags[0]);
    tcase_add_test(flags, good_flags_are_parsed);
    tcase_add_loop_test(flags, flags_given_win_over_the_preset, 0, 2);
    tcase_add_test(flags, logs_have_headers_and_one_line_per_record);
    tcase_add_test(flags, an_unwritable_log_is_an_error_naming_it);
    suite_add_tcase(s, flags);
    return s;
}
