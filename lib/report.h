/* report.h: what a training program prints, the same way in every chapter:
 *
 *   epoch  train loss  train acc  val loss  val acc  test acc     time
 *       1      0.2691     91.73%    0.1526   95.39%    95.17%     2.6 s
 *   final: test accuracy 97.91% (9791 of 10000) after 10 epochs in 26.9 s
 *   log: build/logs/ch05.tsv
 * and, on stderr, what happened when training diverged; and each step's loss
 * to the step log and the progress bar. */
#ifndef NN_REPORT_H
#define NN_REPORT_H

#include <stddef.h>

#include "progress.h"
#include "trainlog.h"

/* What every training step reports: its loss to the step log (may be NULL)
 * and to the progress bar. Steps are numbered across epochs in the log. */
typedef struct {
    Progress bar;
    TrainLog *log;
    size_t epoch, steps_before; /* the epoch, and the steps of the epochs before it */
} StepReport;

/* Called by the epoch loop (epoch.h) after each step: step `step` of the
 * epoch had `loss`, with `images` of the epoch seen so far. */
void report_step(StepReport *s, size_t step, double loss, size_t images);

/* The table's header line. */
void report_header(void);

/* One row: the epoch's record, then `mark` (may be ""); flushed at once. */
void report_epoch(const EpochRecord *r, const char *mark);

/* The two closing lines: the test accuracy of `test_count` images after
 * `epochs` epochs and `seconds`, and where the log is. */
void report_final(double test_accuracy, size_t test_count, size_t epochs, double seconds,
                  const char *log_path);

/* On stderr: the loss became `loss` at `step` of `epoch`; suggests lr / 10. */
void report_diverged(const char *program, double loss, size_t step, size_t epoch, double lr);

#endif
