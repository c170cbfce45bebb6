/* report.c: the lines training programs print (report.h). */
#include "report.h"

#include <math.h>
#include <stdio.h>

void report_step(StepReport *s, size_t step, double loss, size_t images)
{
    if (s->log != NULL) trainlog_step(s->log, s->steps_before + step, s->epoch, loss);
    progress_update(&s->bar, step, loss, images);
}

void report_header(void)
{
    printf("epoch  train loss  train acc  val loss  val acc  test acc     time\n");
}

void report_epoch(const EpochRecord *r, const char *mark)
{
    printf("%5zu  %10.4f  %8.2f%%  %8.4f  %6.2f%%  %7.2f%%  %6.1f s%s\n", r->epoch, r->train_loss,
           100 * r->train_accuracy, r->val_loss, 100 * r->val_accuracy, 100 * r->test_accuracy,
           r->seconds, mark);
    fflush(stdout);
}

void report_final(double test_accuracy, size_t test_count, size_t epochs, double seconds,
                  const char *log_path)
{
    printf("final: test accuracy %.2f%% (%zu of %zu) after %zu epoch%s in %.1f s\nlog: %s\n",
           100 * test_accuracy, (size_t)lround(test_accuracy * (double)test_count), test_count,
           epochs, epochs == 1 ? "" : "s", seconds, log_path);
}

void report_diverged(const char *program, double loss, size_t step, size_t epoch, double lr)
{
    fprintf(stderr,
            "%s: the loss became %g at step %zu of epoch %zu: training diverged.\n"
            "Try a smaller learning rate (--lr %g).\n",
            program, loss, step, epoch, lr / 10);
}
