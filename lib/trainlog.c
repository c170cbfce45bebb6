/* trainlog.c: writing the tab-separated training logs (trainlog.h). */
#include "trainlog.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* Makes every folder on the way to `path` (like mkdir -p on its dirname). */
static int make_parent_dirs(const char *path, NnError *err)
{
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
        return nn_error(err, "%s: the path is too long", path);
    for (char *p = dir + 1; *p != '\0'; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            return nn_error(err, "%s: cannot create the folder %s: %s", path, dir, strerror(errno));
        *p = '/';
    }
    return 0;
}

/* `<path without .tsv>.steps.tsv` */
static void steps_path(char *out, size_t size, const char *path)
{
    size_t len = strlen(path);
    if (len >= 4 && strcmp(path + len - 4, ".tsv") == 0) len -= 4;
    snprintf(out, size, "%.*s.steps.tsv", (int)len, path);
}

int trainlog_open(TrainLog *log, const char *path, NnError *err)
{
    char steps[4096];
    steps_path(steps, sizeof steps, path);
    log->epochs = log->steps = NULL;
    if (make_parent_dirs(path, err) != 0) return -1;
    log->epochs = fopen(path, "w");
    if (log->epochs == NULL)
        return nn_error(err, "%s: cannot write the log: %s (choose another with --log)", path,
                        strerror(errno));
    log->steps = fopen(steps, "w");
    if (log->steps == NULL) {
        fclose(log->epochs);
        return nn_error(err, "%s: cannot write the log: %s (choose another with --log)", steps,
                        strerror(errno));
    }
    fputs("epoch\ttrain_loss\ttrain_accuracy\tval_loss\tval_accuracy\ttest_loss\t"
          "test_accuracy\tseconds\n",
          log->epochs);
    fputs("step\tepoch\tloss\n", log->steps);
    return 0;
}

void trainlog_step(TrainLog *log, size_t step, size_t epoch, double loss)
{
    fprintf(log->steps, "%zu\t%zu\t%.6f\n", step, epoch, loss);
}

void trainlog_epoch(TrainLog *log, const EpochRecord *r)
{
    fprintf(log->epochs, "%zu\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.3f\n", r->epoch, r->train_loss,
            r->train_accuracy, r->val_loss, r->val_accuracy, r->test_loss, r->test_accuracy,
            r->seconds);
    fflush(log->epochs);
    fflush(log->steps);
}

int trainlog_close(TrainLog *log, const char *path, NnError *err)
{
    int failed = ferror(log->epochs) || ferror(log->steps);
    failed |= fclose(log->epochs) != 0;
    failed |= fclose(log->steps) != 0;
    log->epochs = log->steps = NULL;
    return failed ? nn_error(err, "%s: writing the log failed (is the disk full?)", path) : 0;
}
