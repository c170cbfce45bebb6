/* check_11_parallel.c: chapter 11's data-parallel training (lib/data_parallel.h), run with
 * mpirun. N processes, each on its share of every batch of m, end with the parameters one
 * process gets with batches of m on the engine alone, within rounding (double, ≤ 1e-12
 * relative, after whole epochs of steps: N = 1, 2, 3, 4, shares equal and unequal, a last batch
 * smaller than N, dense and convolutional layers, with and without dropout and warm-up); every
 * process ends with rank 0's parameters, bit for bit; overlapping the sums with the backward pass
 * changes no bit. Then the program: rank 0 alone prints and saves, and a bad flag,
 * a flag the processes cannot share, or missing data takes the job down, naming the rank,
 * with a non-zero exit; so does a process killed mid-training, and the run resumes from the
 * model it saved (--save-every, --resume). And the α-β model's arithmetic, by hand. The
 * trainings run tests/mpi/parallel_steps.c, built in double. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_parallel.h"
#include "model_file.h"
#include "support/testkit.h"

#define MPI_ENV     TESTKIT_MPI_ENV
#define MPIRUN_ONLY TESTKIT_MPIRUN_ONLY
#define MPIRUN      TESTKIT_MPIRUN
#define STEPS       "'" NN_BUILD_DIR "/tests/parallel-steps' --data data/sample --curve never "
#define PROGRAM     "'" NN_BUILD_DIR "/ch11-many-machines' --data data/sample --curve never "

START_TEST(shares_start_at_r_m_over_n)
{
    ck_assert_uint_eq(data_parallel_start(70, 0, 3), 0);
    ck_assert_uint_eq(data_parallel_start(70, 1, 3), 23);
    ck_assert_uint_eq(data_parallel_start(70, 2, 3), 46);
    ck_assert_uint_eq(data_parallel_start(70, 3, 3), 70);
    ck_assert_uint_eq(data_parallel_start(1, 1, 2), 0); /* rank 0's share of one example: none */
}
END_TEST

/* The α-β model's arithmetic (data_parallel.h), by hand. */
START_TEST(the_ring_model_by_hand)
{
    ck_assert(ring_allreduce_seconds(1, 1e6, 1e-6, 1e9) == 0); /* one process: nothing to send */
    /* N = 4, 1 MB, α 1 us, β 1 GB/s: 2·3·1e-6 + 2·3/4 · 1e6/1e9 = 6e-6 + 1.5e-3 = 1.506e-3 s */
    ck_assert_double_eq_tol(ring_allreduce_seconds(4, 1e6, 1e-6, 1e9), 1.506e-3, 1e-15);
    /* 10 steps of 0.01 s on one process, on 4: 10 · (0.01/4 + 1.506e-3) = 0.04006 s */
    ck_assert_double_eq_tol(predicted_epoch_seconds(4, 10, 0.01, 1e6, 1e-6, 1e9), 0.04006, 1e-15);
    ck_assert_double_eq_tol(predicted_epoch_seconds(1, 10, 0.01, 1e6, 1e-6, 1e9), 0.1, 1e-15);
}
END_TEST

/* The numbers of a file of one number a line, malloc'd, their count in *n. */
static double *numbers_of(const char *path, size_t *n)
{
    char *text = read_text_file(path);
    ck_assert_msg(text != NULL, "%s was not written", path);
    size_t lines = 0;
    for (const char *c = text; *c != '\0'; c++) lines += *c == '\n';
    double *x = malloc((lines + 1) * sizeof *x);
    ck_assert_ptr_nonnull(x);
    char *at = text;
    for (*n = 0; *n < lines; (*n)++) x[*n] = strtod(at, &at);
    free(text);
    return x;
}

/* One comparison: N processes, the recipe's flags (its dropout 0.2 unless they say). */
typedef struct {
    int N;
    const char *flags;
} Case;

static const Case cases[] = {
    {1, "--layers 784,16,10 --batch 70 --epochs 2 --dropout 0"},
    {2, "--layers 784,16,10 --batch 70 --epochs 2 --dropout 0"},
    /* shares of 23, 23 and 24; of the last batch, 13, 13 and 14 */
    {3, "--layers 784,16,10 --batch 70 --epochs 2 --dropout 0"},
    {3, "--layers 784,16,10 --batch 64 --epochs 2 --optimizer momentum --weight-decay 0.001 "
        "--dropout 0"},
    {2, "--layers 784,16,10 --batch 599 --epochs 2 --optimizer sgd --lr 0.1 --dropout 0"},
    {2, "--layers 784,conv4k5,pool2,10 --batch 100 --epochs 1 --dropout 0"},
    /* dropout: every process draws the whole batch's masks and keeps its columns */
    {2, "--layers 784,16,12,10 --batch 70 --epochs 2 --dropout 0.3"},
    {3, "--layers 784,16,12,10 --batch 70 --epochs 2 --dropout 0.3"},
    /* a last batch of 1: rank 0 has no example of it, and still draws its masks */
    {2, "--layers 784,16,10 --batch 599 --epochs 2 --optimizer sgd --lr 0.1"},
    {2, "--layers 784,conv4k5,pool2,16,10 --batch 100 --epochs 1"},
    /* the sums blocking, each made as its layer's backward pass ends */
    {3, "--layers 784,16,12,10 --batch 70 --epochs 2 --overlap off"},
    /* four processes on two cores: shares of 17, 18, 17 and 18 */
    {4, "--layers 784,16,12,10 --batch 70 --epochs 2 --dropout 0.3"},
    /* the rate warmed up over the first epoch (lib/schedule.h), the same on every process */
    {4, "--layers 784,16,10 --batch 64 --epochs 2 --optimizer sgd --lr 0.5 --warmup 1 "
        "--dropout 0"},
};

/* Runs parallel-steps by `by` ("alone", or N processes) with the flags, its parameters into
 * `out`; returns what it said. */
static char *train(int N, const char *by, const char *flags, const char *out, int *status)
{
    return run_joined(status, MPIRUN "-np %d " STEPS "--by %s --out '%s' %s", N, by, out, flags);
}

/* --warmup reaches the steps: a run warmed up over its first epoch ends elsewhere. */
START_TEST(the_warmup_changes_the_steps)
{
    char dir[TESTKIT_DIR], cold[TESTKIT_DIR + 16], warm[TESTKIT_DIR + 16];
    testkit_make_dir(dir, "warmup");
    snprintf(cold, sizeof cold, "%s/cold.txt", dir);
    snprintf(warm, sizeof warm, "%s/warm.txt", dir);
    const char *flags = "--layers 784,16,10 --batch 64 --epochs 2 --optimizer sgd --lr 0.5 "
                        "--dropout 0 --warmup ";
    char cold_flags[160], warm_flags[160];
    snprintf(cold_flags, sizeof cold_flags, "%s0", flags);
    snprintf(warm_flags, sizeof warm_flags, "%s1", flags);
    int status[2];
    char *said[2] = {train(1, "alone", cold_flags, cold, &status[0]),
                     train(1, "alone", warm_flags, warm, &status[1])};
    for (int i = 0; i < 2; i++)
        ck_assert_msg(status[i] == 0, "parallel-steps exited with %d:\n%s", status[i], said[i]);
    char *a = read_text_file(cold), *b = read_text_file(warm);
    ck_assert_msg(a != NULL && b != NULL && strcmp(a, b) != 0,
                  "the parameters after --warmup 1 are those after --warmup 0");
    free(a), free(b), free(said[0]), free(said[1]);
    testkit_remove_dir(dir);
}
END_TEST

/* OpenMPI picks its MPI_Allreduce and MPI_Iallreduce algorithms apart, and on 3 processes
 * they add the 3 terms in different orders (equal within rounding, not bit for bit): this
 * pins both to recursive doubling, the same additions in the same order. */
#define SAME_ALGORITHM                                                                             \
    "--mca coll_tuned_use_dynamic_rules 1 --mca coll_tuned_allreduce_algorithm 3 "                 \
    "--mca coll_libnbc_iallreduce_algorithm 4 "

/* Trains on N processes with mpirun's options, the parameters into out; fails unless every
 * rank agreed. */
static void train_shared(int N, const char *options, const char *flags, const char *out)
{
    int status;
    char *said = run_joined(&status, MPIRUN "%s -np %d " STEPS "--by processes --out '%s' %s",
                            options, N, out, flags);
    ck_assert_msg(status == 0, "parallel-steps on %d processes (%s) exited with %d:\n%s", N, flags,
                  status, said);
    char agreed[64];
    snprintf(agreed, sizeof agreed, "parameters: the same on all %d processes, bit for bit", N);
    ck_assert_msg(strstr(said, agreed) != NULL, "%d processes (%s) said:\n%s", N, flags, said);
    free(said);
}

START_TEST(n_processes_compute_what_one_does)
{
    char dir[TESTKIT_DIR], alone[TESTKIT_DIR + 16], shared[TESTKIT_DIR + 16];
    testkit_make_dir(dir, "parallel");
    snprintf(alone, sizeof alone, "%s/alone.txt", dir);
    snprintf(shared, sizeof shared, "%s/shared.txt", dir);
    int status;
    char *said = train(1, "alone", cases[_i].flags, alone, &status);
    ck_assert_msg(status == 0, "parallel-steps alone exited with %d:\n%s", status, said);
    free(said);
    train_shared(cases[_i].N, "", cases[_i].flags, shared);
    size_t n, n_shared;
    double *a = numbers_of(alone, &n), *b = numbers_of(shared, &n_shared);
    ck_assert_msg(n == n_shared && n > 0, "%zu parameters alone, %zu shared", n, n_shared);
    double largest = 0, worst = 0;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        largest = fmax(largest, fabs(a[i]));
        if (fabs(a[i] - b[i]) > worst) worst = fabs(a[i] - b[i]), at = i;
    }
    ck_assert_msg(worst <= 1e-12 * largest,
                  "%d processes (%s): parameter %zu is %.17g, alone %.17g: %.3g relative to the "
                  "largest, %g",
                  cases[_i].N, cases[_i].flags, at, b[at], a[at], worst / largest, largest);
    free(a), free(b);
    testkit_remove_dir(dir);
}
END_TEST

/* The sums started as each layer's backward pass ends and waited for before its update
 * (--overlap on, the default, which the cases above compare with one process) are the sums
 * made there (off), bit for bit when MPI adds in the same order: the same parameters. */
static const Case overlapped[] = {
    {2, "--layers 784,16,12,10 --batch 70 --epochs 1"},
    {3, "--layers 784,16,12,10 --batch 70 --epochs 1 --optimizer sgd --lr 0.1"},
    {3, "--layers 784,conv4k5,pool2,16,10 --batch 100 --epochs 1"},
};

START_TEST(overlap_sums_what_blocking_does)
{
    char dir[TESTKIT_DIR], on[TESTKIT_DIR + 16], off[TESTKIT_DIR + 16];
    char flags[256];
    testkit_make_dir(dir, "overlap");
    snprintf(on, sizeof on, "%s/on.txt", dir);
    snprintf(off, sizeof off, "%s/off.txt", dir);
    snprintf(flags, sizeof flags, "%s --overlap on", overlapped[_i].flags);
    train_shared(overlapped[_i].N, SAME_ALGORITHM, flags, on);
    snprintf(flags, sizeof flags, "%s --overlap off", overlapped[_i].flags);
    train_shared(overlapped[_i].N, SAME_ALGORITHM, flags, off);
    char *a = read_text_file(on), *b = read_text_file(off);
    ck_assert_msg(a != NULL && b != NULL && a[0] != '\0', "%s or %s not written", on, off);
    ck_assert_msg(strcmp(a, b) == 0,
                  "%d processes (%s): overlapped parameters differ from blocking", overlapped[_i].N,
                  overlapped[_i].flags);
    free(a), free(b);
    testkit_remove_dir(dir);
}
END_TEST

/* The program on 2 processes: rank 0 alone prints the run, once; every rank agrees; the model
 * saved loads back. */
START_TEST(the_program_trains_on_two_processes)
{
    char dir[TESTKIT_DIR];
    testkit_make_dir(dir, "ch11");
    int status;
    char *said =
        run_joined(&status,
                   MPIRUN "-np 2 " PROGRAM "--layers 784,16,10 --epochs 1 --log '%s/ch11.tsv' "
                          "--save '%s/model.nn'",
                   dir, dir);
    ck_assert_msg(status == 0, "ch11-many-machines exited with %d:\n%s", status, said);
    const char *first = strstr(said, "Chapter 11: training");
    ck_assert_msg(first != NULL && strstr(first + 1, "Chapter 11: training") == NULL,
                  "not one first line:\n%s", said);
    ck_assert_msg(strstr(said, "parameters: the same on all 2 processes, bit for bit") != NULL &&
                      strstr(said, "loaded it back: test accuracy") != NULL &&
                      strstr(said, ": the same\n") != NULL,
                  "ch11-many-machines said:\n%s", said);
    free(said);
    testkit_remove_dir(dir);
}
END_TEST

/* What each wrong run must say, besides naming each rank. */
static const struct {
    const char *flags, *says;
} wrong[] = {
    {"--bogus 1", "--bogus"},
    {"--batch 1", "--batch 1: fewer examples than the 2 processes"},
    {"--data /nonexistent/mnist", "/nonexistent/mnist"},
    {"--resume /nonexistent/model.nn", "--resume: "},
    {"--epochs 3 --warmup 3", "--warmup 3: the warm-up must end before the last epoch"},
};

START_TEST(a_failing_process_takes_the_job_down)
{
    int status;
    char *said = run_joined(&status, MPIRUN "-np 2 " PROGRAM "%s", wrong[_i].flags);
    ck_assert_msg(status != 0, "ch11-many-machines %s exited with 0:\n%s", wrong[_i].flags, said);
    ck_assert_msg(strstr(said, wrong[_i].says) != NULL, "%s: not \"%s\" in:\n%s", wrong[_i].flags,
                  wrong[_i].says, said);
    ck_assert_msg(strstr(said, "ch11-many-machines rank 0: ") != NULL &&
                      strstr(said, "ch11-many-machines rank 1: ") != NULL &&
                      strstr(said, "taking the job down") != NULL,
                  "%s: not each rank named, or the job not taken down, in:\n%s", wrong[_i].flags,
                  said);
    free(said);
}
END_TEST

/* A process killed mid-training (SIGKILL to rank 1 once the model has been saved after an
 * epoch): the job ends, non-zero, mpirun naming the rank, never hanging (kill_rank.sh waits
 * at most 120 s); the model saved every epoch is whole, and the run resumes from it. */
START_TEST(a_killed_process_ends_the_job_and_the_run_resumes)
{
    char dir[TESTKIT_DIR], model[TESTKIT_DIR + 16];
    testkit_make_dir(dir, "killed");
    snprintf(model, sizeof model, "%s/run.nn", dir);
    int status;
    char *said = run_joined(&status,
                            MPI_ENV "tests/mpi/kill_rank.sh 1 '%s' " MPIRUN_ONLY "-np 2 " PROGRAM
                                    "--layers 784,16,10 --epochs 100000 --save-every 1 --save '%s' "
                                    "--log '%s/run.tsv'",
                            model, model, dir);
    ck_assert_msg(status != 0, "the job went on with rank 1 killed:\n%s", said);
    ck_assert_msg(strstr(said, "killing rank 1, process") != NULL &&
                      strstr(said, "process rank 1 with PID") != NULL,
                  "rank 1 not killed, or not named:\n%s", said);
    free(said);
    NnError err;
    Model *saved = model_load(model, 1, NULL, &err);
    ck_assert_msg(saved != NULL, "the model saved every epoch: %s", err.message);
    model_free(saved);
    said = run_joined(&status,
                      MPIRUN "-np 2 " PROGRAM "--layers 784,16,10 --epochs 1 --resume '%s' "
                             "--save '%s/resumed.nn' --log '%s/resumed.tsv'",
                      model, dir, dir);
    ck_assert_msg(status == 0 && strstr(said, "resuming from") != NULL &&
                      strstr(said, "parameters: the same on all 2 processes") != NULL,
                  "resuming exited with %d:\n%s", status, said);
    free(said);
    testkit_remove_dir(dir);
}
END_TEST

/* Resuming goes on from the saved parameters: with plain SGD at a constant rate, no dropout
 * and the whole training split as one batch (the shuffles, which start anew, then change only
 * the order of a sum), a run resumed from the model saved after epoch 1 computes what the
 * uninterrupted run's epoch 2 does, within rounding (double). */
START_TEST(a_resumed_run_goes_on_from_the_saved_parameters)
{
    char dir[TESTKIT_DIR], first[TESTKIT_DIR + 16], two[TESTKIT_DIR + 16];
    char resumed[TESTKIT_DIR + 16], flags[3 * TESTKIT_DIR + 256];
    testkit_make_dir(dir, "resumed");
    snprintf(first, sizeof first, "%s/first.nn", dir);
    snprintf(two, sizeof two, "%s/two.txt", dir);
    snprintf(resumed, sizeof resumed, "%s/resumed.txt", dir);
    const char *recipe = "--layers 784,16,10 --batch 600 --optimizer sgd --lr 0.1 --schedule "
                         "constant --dropout 0";
    snprintf(flags, sizeof flags, "%s --epochs 2 --keep-first '%s'", recipe, first);
    train_shared(2, "", flags, two);
    snprintf(flags, sizeof flags, "%s --epochs 1 --resume '%s'", recipe, first);
    train_shared(2, "", flags, resumed);
    size_t n, n_resumed;
    double *a = numbers_of(two, &n), *b = numbers_of(resumed, &n_resumed);
    ck_assert_msg(n == n_resumed && n > 0, "%zu parameters, %zu resumed", n, n_resumed);
    double largest = 0, worst = 0;
    for (size_t i = 0; i < n; i++)
        largest = fmax(largest, fabs(a[i])), worst = fmax(worst, fabs(a[i] - b[i]));
    ck_assert_msg(worst <= 1e-12 * largest, "resumed: %.3g relative to the largest parameter",
                  worst / largest);
    free(a), free(b);
    testkit_remove_dir(dir);
}
END_TEST

Suite *suite_11_parallel(void);
Suite *suite_11_parallel(void)
{
    Suite *s = suite_create("11 parallel");
    TCase *shares = tcase_create("shares");
    tcase_add_test(shares, shares_start_at_r_m_over_n);
    tcase_add_test(shares, the_ring_model_by_hand);
    suite_add_tcase(s, shares);
    TCase *agree = tcase_create("processes");
    tcase_set_timeout(agree, 120);
    tcase_add_loop_test(agree, n_processes_compute_what_one_does, 0,
                        sizeof cases / sizeof cases[0]);
    tcase_add_test(agree, the_warmup_changes_the_steps);
    tcase_add_loop_test(agree, overlap_sums_what_blocking_does, 0,
                        sizeof overlapped / sizeof overlapped[0]);
    suite_add_tcase(s, agree);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 120);
    tcase_add_test(program, the_program_trains_on_two_processes);
    tcase_add_loop_test(program, a_failing_process_takes_the_job_down, 0,
                        sizeof wrong / sizeof wrong[0]);
    suite_add_tcase(s, program);
    TCase *dies = tcase_create("dies");
    tcase_set_timeout(dies, 240);
    tcase_add_test(dies, a_killed_process_ends_the_job_and_the_run_resumes);
    tcase_add_test(dies, a_resumed_run_goes_on_from_the_saved_parameters);
    suite_add_tcase(s, dies);
    return s;
}
