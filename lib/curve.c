/* curve.c: running gnuplot's dumb terminal on a log (curve.h). */
#include "curve.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *const CURVE_NAMES[] = {"auto", "always", "never", NULL};

/* gnuplot's script, where it is when a program runs from the top of the source tree. */
static const char CURVE_SCRIPT[] = "plots/loss-dumb.gp";

/* gnuplot's `log='<path>'`, a quote in the path doubled as gnuplot wants. */
static int gnuplot_assignment(char *out, size_t size, const char *path)
{
    if (size < 2 * strlen(path) + sizeof "log=''") return -1;
    char *o = out + sprintf(out, "log='");
    for (const char *p = path; *p != '\0'; p++) {
        if (*p == '\'') *o++ = '\'';
        *o++ = *p;
    }
    strcpy(o, "'");
    return 0;
}

int curve_show(const char *log_path, CurveWhen when)
{
    if (when == CURVE_NEVER || (when == CURVE_AUTO && !isatty(STDOUT_FILENO))) return 0;
    char assignment[8192];
    if (gnuplot_assignment(assignment, sizeof assignment, log_path) != 0) return -1;
    if (access(CURVE_SCRIPT, R_OK) != 0) {
        fprintf(stderr,
                "(no loss curve: there is no %s here; run the program from the top of "
                "the source tree)\n",
                CURVE_SCRIPT);
        return -1;
    }
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        execlp("gnuplot", "gnuplot", "-e", assignment, CURVE_SCRIPT, (char *)NULL);
        _exit(127); /* no gnuplot */
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child) status = -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        fprintf(stderr, "(no loss curve: gnuplot is not installed; make deps installs it)\n");
    else
        fprintf(stderr, "(no loss curve: gnuplot failed on %s)\n", log_path);
    return -1;
}
