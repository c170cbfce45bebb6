/* trainlog.h: the training logs the plots read.
 *
 * Two tab-separated files, each with a header line:
 *   the epoch log, after a first line "# run: <what was trained and how>",
 *   one line per epoch:
 *     epoch  train_loss  train_accuracy  val_loss  val_accuracy  test_loss  test_accuracy  seconds
 *   the step log, one line per mini-batch:
 *     step  epoch  loss
 * A log is written as training goes (flushed every epoch), so a plot of a run
 * still going shows the epochs done so far. */
#ifndef NN_TRAINLOG_H
#define NN_TRAINLOG_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "output.h"

/* Each log is written as output.h writes files, and put at its path as soon
 * as it is created: an earlier log there is replaced whole, never truncated
 * or written through a link. */
typedef struct {
    Output epochs, steps;
} TrainLog;

/* What one epoch measured; accuracies are fractions in [0, 1]. */
typedef struct {
    size_t epoch;
    double train_loss, train_accuracy;
    double val_loss, val_accuracy;
    double test_loss, test_accuracy;
    double seconds; /* since training began */
} EpochRecord;

/* Creates (truncating) the epoch log at `path`, its first line "# run: "
 * followed by `run` (the plots' titles), and the step log at
 * `<path without .tsv>.steps.tsv`, making their folder if needed. */
int trainlog_open(TrainLog *log, const char *path, const char *run, NnError *err);
void trainlog_step(TrainLog *log, size_t step, size_t epoch, double loss);
void trainlog_epoch(TrainLog *log, const EpochRecord *r);
/* Closes both files; reports a failed write (a full disk) as an error. */
int trainlog_close(TrainLog *log, NnError *err);

/* Writes `<log without .tsv>.<what>.tsv` into out (size bytes): the name of a
 * file that goes with the log at `log`, like its step log (what = "steps").
 * Returns -1 (with a message in err) when it does not fit. */
int trainlog_sibling(char *out, size_t size, const char *log, const char *what, NnError *err);

/* Makes every folder on the way to `path`, like mkdir -p on its dirname. */
int trainlog_make_parent_dirs(const char *path, NnError *err);

#endif
