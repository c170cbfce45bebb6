/* check_08_faults.c: the training programs when things go wrong, run for
 * real on the committed sample. A learning rate of 50 makes every one of
 * them (chapters 05 to 08) diverge: each must stop at the step it names,
 * suggest a smaller rate and exit 1, and chapter 08 must leave the model
 * saved before untouched. Chapter 08 killed while it writes its model must
 * leave the previous file whole and loadable. (A full disk and an unwritable
 * folder while saving are in check_08_files.c.) */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "file.h"
#include "model_file.h"
#include "support/testkit.h"

/* Saves a small random model at path and returns the file's bytes (*n of them). */
static unsigned char *save_a_model(const char *path, size_t *n)
{
    size_t sizes[] = {784, 12, 10};
    Model *model = model_new(sizes, 3, 1);
    Rng rng;
    rng_seed(&rng, 8);
    model_init_he(model, &rng);
    NnError err;
    ck_assert_msg(model_save(model, path, NULL, &err) == 0, "%s", err.message);
    model_free(model);
    unsigned char *bytes = file_read_all(path, 1 << 24, "a model file", n, &err);
    ck_assert_msg(bytes != NULL, "%s", err.message);
    return bytes;
}

/* Fails unless the file at path holds exactly the n bytes `before` and loads. */
static void assert_model_intact(const char *path, const unsigned char *before, size_t n)
{
    NnError err;
    size_t now_n;
    unsigned char *now = file_read_all(path, 1 << 24, "a model file", &now_n, &err);
    ck_assert_msg(now != NULL, "the model saved before is gone: %s", err.message);
    ck_assert_msg(now_n == n && memcmp(now, before, n) == 0,
                  "the model saved before was changed (%zu bytes, %zu before)", now_n, n);
    Model *model = model_load(path, 1, NULL, &err);
    ck_assert_msg(model != NULL, "the model saved before does not load: %s", err.message);
    model_free(model), free(now);
}

/* How many lines the file at path has. */
static size_t count_lines(const char *path)
{
    char *text = read_text_file(path);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    size_t lines = 0;
    for (const char *p = text; *p != '\0'; p++) lines += *p == '\n';
    free(text);
    return lines;
}

static const char *const trainers[] = {"ch05-sgd", "ch06-deeper", "ch07-better-training",
                                       "ch08-using-the-network"};

START_TEST(a_learning_rate_of_50_stops_at_the_step_that_diverged)
{
    const char *program = trainers[_i];
    int saves = strcmp(program, "ch08-using-the-network") == 0;
    char dir[TESTKIT_DIR], log[64], steps[64], model[64], command[1024];
    testkit_make_dir(dir, "faults");
    snprintf(log, sizeof log, "%s/run.tsv", dir);
    snprintf(steps, sizeof steps, "%s/run.steps.tsv", dir);
    snprintf(model, sizeof model, "%s/m.nn", dir);
    size_t n = 0;
    unsigned char *before = saves ? save_a_model(model, &n) : NULL;
    snprintf(command, sizeof command,
             "'%s'/%s --data data/sample --lr 50 --curve never --log %s%s%s 2>&1 >/dev/null",
             NN_BUILD_DIR, program, log, saves ? " --save " : "", saves ? model : "");
    int status;
    char *err = run_command(command, &status);
    ck_assert_msg(status == 1, "%s --lr 50 exited with status %d, not 1:\n%s", program, status,
                  err);
    size_t step = 0, epoch = 0;
    char expected[128];
    snprintf(expected, sizeof expected, "%s: the loss became ", program);
    const char *line = strstr(err, expected);
    ck_assert_msg(line != NULL && sscanf(strstr(line, " at step "), " at step %zu of epoch %zu",
                                         &step, &epoch) == 2,
                  "%s --lr 50 did not name the step where it diverged:\n%s", program, err);
    ck_assert_msg(strstr(err, "training diverged.\nTry a smaller learning rate (--lr 5).\n"),
                  "%s --lr 50 did not suggest --lr 5:\n%s", program, err);
    /* At once: the step log holds its header and the steps before the bad one, no more;
     * the epoch log its two header lines, no epoch. */
    ck_assert_uint_eq(epoch, 1);
    ck_assert_uint_eq(count_lines(steps), step);
    ck_assert_uint_eq(count_lines(log), 2);
    if (saves) {
        snprintf(expected, sizeof expected, "the earlier file at %s is unchanged", model);
        ck_assert_msg(strstr(err, expected) != NULL, "no \"%s\" in:\n%s", expected, err);
        assert_model_intact(model, before, n);
    }
    free(err), free(before);
    testkit_remove_dir(dir);
}
END_TEST

/* Starts chapter 08 on the sample, a network whose file is 14 MB (2.5 s of
 * training), saving it at `model`, its output into `out`; its process id. */
static pid_t start_training(const char *model, const char *log, const char *out)
{
    pid_t child = fork();
    ck_assert(child >= 0);
    if (child > 0) return child;
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) _exit(126);
    execl(NN_BUILD_DIR "/ch08-using-the-network", "ch08-using-the-network", "--data",
          NN_SOURCE_DIR "/data/sample", "--layers", "784,1500,1500,10", "--epochs", "1", "--curve",
          "never", "--log", log, "--save", model, (char *)NULL);
    _exit(127);
}

/* Whether dir holds a temporary file of the model m.nn (".m.nn.<pid>-<n>.tmp")
 * with bytes in it (the empty one made to check the path before training
 * does not count), or with any = 1, any at all. */
static int saving(const char *dir, int any)
{
    DIR *d = opendir(dir);
    ck_assert(d != NULL);
    int found = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char path[300];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        found |=
            strncmp(e->d_name, ".m.nn.", 6) == 0 && stat(path, &st) == 0 && (any || st.st_size > 0);
    }
    closedir(d);
    return found;
}

/* Stopped (SIGTERM, as by kill or a shutdown) while it writes the new model:
 * the earlier model is whole at its path, and the temporary file is gone. */
START_TEST(a_run_stopped_while_saving_leaves_the_previous_model_and_no_temporary_file)
{
    char dir[TESTKIT_DIR], model[64], log[64], out[64];
    testkit_make_dir(dir, "faults");
    snprintf(model, sizeof model, "%s/m.nn", dir);
    snprintf(log, sizeof log, "%s/run.tsv", dir);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    size_t n;
    unsigned char *before = save_a_model(model, &n);
    pid_t child = start_training(model, log, out);
    int status, seen = 0;
    for (int tries = 0; tries < 600000 && !seen; tries++) {
        seen = saving(dir, 0);
        if (!seen && waitpid(child, &status, WNOHANG) == child)
            ck_abort_msg("ch08 ended (status %d) before saving:\n%s", status, read_text_file(out));
        if (!seen) nanosleep(&(struct timespec){0, 100000}, NULL);
    }
    ck_assert_msg(seen, "ch08 did not start saving within a minute");
    ck_assert_int_eq(kill(child, SIGTERM), 0);
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
                  "ch08 was not stopped mid-save (status %d)", status);
    ck_assert_msg(!saving(dir, 1), "the temporary file was left behind");
    assert_model_intact(model, before, n);
    free(before);
    testkit_remove_dir(dir);
}
END_TEST

/* Runs `command` (a shell line) with every file it writes cut at `limit`
 * bytes (RLIMIT_FSIZE, SIGXFSZ ignored: a disk that is full past there; 0:
 * no limit), its stdout and stderr into out; returns its exit status. */
static int run_limited(const char *command, rlim_t limit, const char *out)
{
    pid_t child = fork();
    ck_assert(child >= 0);
    if (child == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        struct rlimit r = {limit, limit};
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) _exit(126);
        if (limit != 0 && setrlimit(RLIMIT_FSIZE, &r) != 0) _exit(126);
        signal(SIGXFSZ, SIG_IGN);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    int status;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* --log naming the model's own path: refused before training, the earlier
 * model untouched. */
START_TEST(a_log_over_the_model_is_refused_before_training)
{
    char dir[TESTKIT_DIR], model[64], out[64], command[512];
    testkit_make_dir(dir, "faults");
    snprintf(model, sizeof model, "%s/m.nn", dir);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    size_t n;
    unsigned char *before = save_a_model(model, &n);
    snprintf(command, sizeof command,
             "'%s'/ch08-using-the-network --data '%s'/data/sample --epochs 1 --curve never "
             "--log '%s' --save '%s'",
             NN_BUILD_DIR, NN_SOURCE_DIR, model, model);
    ck_assert_int_eq(run_limited(command, 0, out), 1);
    char *said = read_text_file(out);
    ck_assert_msg(strstr(said, "would be written over the model at") && !strstr(said, "epoch"),
                  "%s", said);
    assert_model_intact(model, before, n);
    free(said), free(before);
    testkit_remove_dir(dir);
}
END_TEST

/* A disk with room for the model but not for the pictures' files (the
 * weights file, 0.53 MB, past a 470 kB limit; the model is 0.2 MB, 0.4 MB in double): the
 * model is saved all the same, the failed file named, exit 1. */
START_TEST(a_full_disk_for_the_logs_keeps_the_trained_model)
{
    char dir[TESTKIT_DIR], model[64], out[64], command[512];
    testkit_make_dir(dir, "faults");
    snprintf(model, sizeof model, "%s/m.nn", dir);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    snprintf(command, sizeof command,
             "'%s'/ch08-using-the-network --data '%s'/data/sample --layers 784,64,10 --epochs 1 "
             "--curve never --log '%s'/run.tsv --save '%s'",
             NN_BUILD_DIR, NN_SOURCE_DIR, dir, model);
    ck_assert_int_eq(run_limited(command, 470000, out), 1);
    char *said = read_text_file(out);
    ck_assert_msg(strstr(said, "run.weights.tsv: writing it failed: File too large") &&
                      strstr(said, "saved: "),
                  "%s", said);
    NnError err;
    Model *saved = model_load(model, 1, NULL, &err);
    ck_assert_msg(saved != NULL, "the trained model was lost: %s", err.message);
    model_free(saved), free(said);
    testkit_remove_dir(dir);
}
END_TEST

Suite *suite_08_faults(void);
Suite *suite_08_faults(void)
{
    Suite *s = suite_create("08 faults");
    TCase *diverged = tcase_create("divergence");
    tcase_set_timeout(diverged, 120);
    tcase_add_loop_test(diverged, a_learning_rate_of_50_stops_at_the_step_that_diverged, 0,
                        sizeof trainers / sizeof trainers[0]);
    suite_add_tcase(s, diverged);
    TCase *killed = tcase_create("the model file under faults");
    tcase_set_timeout(killed, 120);
    tcase_add_test(killed,
                   a_run_stopped_while_saving_leaves_the_previous_model_and_no_temporary_file);
    tcase_add_test(killed, a_log_over_the_model_is_refused_before_training);
    tcase_add_test(killed, a_full_disk_for_the_logs_keeps_the_trained_model);
    suite_add_tcase(s, killed);
    return s;
}
