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

/* Opens one of the two logs, puts it at its path at once (the plots read a
 * run still going), its header line written. */
static int open_log(Output *o, const char *path, const char *header, NnError *err)
{
    if (output_open(o, path, err) != 0) return -1;
    /* Whole lines only, so a plot of a run still going never reads half a line. */
    setvbuf(o->out, NULL, _IOLBF, 0);
    fputs(header, o->out);
    return output_publish(o, err);
}

int trainlog_open(TrainLog *log, const char *path, const char *run, NnError *err)
{
    char steps[4096], header[1024];
    log->epochs.out = log->steps.out = NULL;
    if (trainlog_sibling(steps, sizeof steps, path, "steps", err) != 0) return -1;
    if (trainlog_make_parent_dirs(path, err) != 0) return -1;
    snprintf(header, sizeof header,
             "# run: %s\nepoch\ttrain_loss\ttrain_accuracy\tval_loss\t"
             "val_accuracy\ttest_loss\ttest_accuracy\tseconds\n",
             run);
    if (open_log(&log->epochs, path, header, err) != 0) return -1;
    if (open_log(&log->steps, steps, "step\tepoch\tloss\n", err) != 0) {
        output_abandon(&log->epochs);
        return -1;
    }
    return 0;
}

void trainlog_step(TrainLog *log, size_t step, size_t epoch, double loss)
{
    fprintf(log->steps.out, "%zu\t%zu\t%.6f\n", step, epoch, loss);
}

void trainlog_epoch(TrainLog *log, const EpochRecord *r)
{
    fprintf(log->epochs.out, "%zu\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.3f\n", r->epoch,
            r->train_loss, r->train_accuracy, r->val_loss, r->val_accuracy, r->test_loss,
            r->test_accuracy, r->seconds);
    fflush(log->epochs.out);
    fflush(log->steps.out);
}

int trainlog_close(TrainLog *log, NnError *err)
{
    NnError steps;
    int epochs_failed = output_close(&log->epochs, err) != 0;
    int steps_failed = output_close(&log->steps, &steps) != 0;
    if (steps_failed && !epochs_failed) *err = steps;
    return epochs_failed || steps_failed ? -1 : 0;
}
