/* trainlog.c: writing the tab-separated training logs (trainlog.h). */
#include "trainlog.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int trainlog_make_parent_dirs(const char *path, NnError *err)
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

int trainlog_sibling(char *out, size_t size, const char *log, const char *what, NnError *err)
{
    size_t len = strlen(log);
    if (len >= 4 && strcmp(log + len - 4, ".tsv") == 0) len -= 4;
    int n = snprintf(out, size, "%.*s.%s.tsv", (int)len, log, what);
    return n < 0 || (size_t)n >= size ? nn_error(err, "%s: the path is too long", log) : 0;
}

int trainlog_open(TrainLog *log, const char *path, const char *run, NnError *err)
{
    char steps[4096];
    log->epochs = log->steps = NULL;
    if (trainlog_sibling(steps, sizeof steps, path, "steps", err) != 0) return -1;
    if (trainlog_make_parent_dirs(path, err) != 0) return -1;
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
    /* Whole lines only, so a plot of a run still going never reads half a line. */
    setvbuf(log->steps, NULL, _IOLBF, 0);
    fprintf(log->epochs, "# run: %s\n", run);
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
