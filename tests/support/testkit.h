/* testkit.h: helpers shared by the test suites (not part of the library).
 *
 *  - matrix assertions and a private random fill (chapter 01's tests cannot
 *    use lib/rng, which comes in chapter 02);
 *  - commands, files and folders for the tests that run programs;
 *  - outcomes: a module's check written as a function of the implementation
 *    under test, so that the suite grading the module (a student's, with
 *    STUDENT_<module>=) and a checker suite (check_NN_checker.c: deliberately
 *    wrong versions it must reject) run the very same check. */
#ifndef NN_TESTKIT_H
#define NN_TESTKIT_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "fail.h"
#include "matrix.h"

/* What a check found in the implementation it was given: nothing wrong, or
 * the first thing it found wrong. A check starts from a zero Outcome, {0}. */
typedef struct {
    int failed;
    char why[400];
} Outcome;

/* Unless something was found wrong before: when `right` is 0, o has failed and
 * o->why says what (printf's format and values). Returns right. */
int outcome_expect(Outcome *o, int right, const char *format, ...) NN_PRINTF(3, 4);

/* Fails unless `right`, the outcome of a check on the library's own code,
 * passed, and `wrong`, the same check's on the deliberately wrong version
 * `mistake`, failed saying `says`. */
void assert_catches(const char *mistake, const Outcome *right, const Outcome *wrong,
                    const char *says);

/* Fails unless every entry of M is within tol of expected (rows*cols values). */
void assert_matrix_equals(const Matrix *M, const real *expected, double tol);

/* Fills M with uniform values in [lo, hi) from a private generator seeded by seed. */
void fill_uniform(Matrix *M, unsigned long seed, double lo, double hi);

/* Runs `command` (through /bin/sh, in the source tree) and returns what it
 * printed on stdout, malloc'd; *status gets its exit status. */
char *run_command(const char *command, int *status);

/* run_command of the command made from printf's format and values, its
 * stderr joined to its stdout. */
char *run_joined(int *status, const char *format, ...) NN_PRINTF(2, 3);

/* Runs make in the source tree with `arguments`, its build in `build`,
 * stderr joined to stdout; returns what it said and sets *status. Nothing of
 * the make running these tests reaches it: not its flags (a sanitized or
 * double build's included), nor the lessons' long runs (NN_SLOW_LESSONS), nor
 * the STUDENT_ variables of an instructor's grading, nor the suite chosen with
 * CK_RUN_SUITE. */
char *run_make(const char *build, const char *arguments, int *status);

/* Fails unless `path` is a whole PNG (signature, IHDR first, IEND last) of
 * width × height pixels and more than a blank canvas's few bytes: a picture
 * gnuplot drew. */
void assert_png(const char *path, uint32_t width, uint32_t height);

/* The whole file at `path`, NUL-terminated and malloc'd, or NULL if unreadable. */
char *read_text_file(const char *path);

/* While a (student's) backward pass runs: a bug in it, shapes that do not fit,
 * fails the test with "<what>: the backward pass stopped: bug in ...", naming
 * what was being checked and both shapes, instead of aborting it without a
 * word (fail.h's nn_on_bug). testkit_unguard_bugs ends it. */
void testkit_guard_bugs(const char *what);
void testkit_unguard_bugs(void);

/* True when the full MNIST training set is in data/. */
int have_full_mnist(void);

/* A new, empty folder "/tmp/nn-<what>-XXXXXX" for one test; its path in dir
 * (TESTKIT_DIR bytes). testkit_remove_dir removes it and all it holds. */
enum { TESTKIT_DIR = 32 }; /* room for a `what` of up to 10 letters */
void testkit_make_dir(char *dir, const char *what);
void testkit_remove_dir(const char *dir);

/* How many names the folder holds, besides . and ..: what a test left. */
size_t testkit_entries(const char *dir);

/* mpirun as chapter 11's tests and lessons run it: even as root (CI), with more processes than
 * cores, one thread each, leak reports off under the sanitizers (OpenMPI's own allocations
 * outlive MPI_Finalize). TESTKIT_MPIRUN "-np 2 program ..." is a command for the shell. */
#define TESTKIT_MPI_ENV                                                                            \
    "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1 "                 \
    "ASAN_OPTIONS=detect_leaks=0 "
#define TESTKIT_MPIRUN_ONLY "mpirun --oversubscribe -x OMP_NUM_THREADS -x ASAN_OPTIONS "
#define TESTKIT_MPIRUN      TESTKIT_MPI_ENV TESTKIT_MPIRUN_ONLY

#endif
