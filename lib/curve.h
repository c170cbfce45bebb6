/* curve.h: the loss curve drawn in the terminal, for a user over SSH.
 *
 * Runs gnuplot on plots/loss-dumb.gp, whose dumb terminal draws the training
 * and validation loss per epoch of a log in ASCII characters, 78×22, on
 * stdout. Without gnuplot it says so on stderr and how to install it. */
#ifndef NN_CURVE_H
#define NN_CURVE_H

/* When to draw the curve: a --curve flag's value. */
typedef enum { CURVE_AUTO, CURVE_ALWAYS, CURVE_NEVER } CurveWhen;

/* Their names, as a --curve flag takes them (args.h's ARG_CHOICE): "auto"
 * (only when stdout is a terminal), "always", "never"; NULL after the last. */
extern const char *const CURVE_NAMES[];

/* Draws the curve of the epoch log at log_path if `when` says so, with the
 * script plots/loss-dumb.gp found from the working folder (the top of the
 * source tree). Returns 0, or -1 when it could not (it has said why). */
int curve_show(const char *log_path, CurveWhen when);

#endif
