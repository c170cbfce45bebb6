/* check_01_build.c: the build itself. Reading the Makefile writes nothing (`make help`, `make -n`
 * leave a fresh build folder uncreated); a change of flags still rebuilds what they compiled, and
 * only then; `make deps` (.ci/deps.sh) installs Check, pkg-config, gnuplot and OpenMPI with
 * apt-get, dnf, pacman or brew, and prints the exact command when it cannot. Each make runs in a
 * build folder of its own (run_make); inside a class's grading (NN_GRADING), they stand aside. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support/testkit.h"

static const char *const dry_runs[] = {"help",    "-n all",          "-n test CH=04",
                                       "-n fuzz", "-n valgrind",     "-n bench",
                                       "-n run",  "-n format-check", "-n deps"};

/* The last lines of what make said: enough to see why, short enough for Check's message. */
static const char *last_of(const char *said)
{
    size_t n = strlen(said);
    return n > 1500 ? said + n - 1500 : said;
}

START_TEST(reading_the_makefile_writes_nothing)
{
    char dir[TESTKIT_DIR], build[TESTKIT_DIR + 8];
    testkit_make_dir(dir, "build");
    snprintf(build, sizeof build, "%s/fresh", dir);
    int status;
    char *said = run_make(build, dry_runs[_i], &status);
    ck_assert_msg(status == 0, "make %s exited with %d, saying:\n...%s", dry_runs[_i], status,
                  last_of(said));
    ck_assert_msg(testkit_entries(dir) == 0, "make %s created %s, saying:\n...%s", dry_runs[_i],
                  build, last_of(said));
    free(said);
    testkit_remove_dir(dir);
}
END_TEST

/* Builds one object with `cflags` in build; fails unless make compiled it exactly when
 * `compiles`. */
static void build_object(const char *build, const char *cflags, int compiles)
{
    char arguments[256];
    snprintf(arguments, sizeof arguments, "CFLAGS='%s' %s/obj/float/lib/fail.o", cflags, build);
    int status;
    char *said = run_make(build, arguments, &status);
    ck_assert_msg(status == 0, "make %s exited with %d, saying:\n...%s", arguments, status,
                  last_of(said));
    ck_assert_msg((strstr(said, "CC    lib/fail.c") != NULL) == compiles,
                  "make %s %s lib/fail.c; it said:\n...%s", arguments,
                  compiles ? "did not compile" : "compiled again, with the same flags,",
                  last_of(said));
    free(said);
}

START_TEST(a_change_of_flags_rebuilds_and_nothing_else_does)
{
    char build[TESTKIT_DIR];
    testkit_make_dir(build, "build");
    build_object(build, "-O0", 1);
    build_object(build, "-O0", 0);
    build_object(build, "-O1", 1); /* the flags changed */
    build_object(build, "-O1", 0);
    char flags[TESTKIT_DIR + 32];
    snprintf(flags, sizeof flags, "%s/obj/float/flags", build);
    char *text = read_text_file(flags);
    ck_assert_msg(text != NULL && strstr(text, " -O1 ") != NULL, "%s holds: %s", flags, text);
    free(text);
    testkit_remove_dir(build);
}
END_TEST

/* What the build finds out about the compiler (mk/detect.mk), with .ci/cc-no-openmp, which
 * refuses -fopenmp, and -march=native too under NN_REFUSE_MARCH_NATIVE=1: how many lines make
 * says in all (a recursive make must not say them again), which line, and what the compile
 * lines hold and lack. What the user says wins, unprobed and unsaid. */
static const struct {
    int refuse_march;
    const char *arguments;
    int lines;
    const char *says, *holds, *lacks;
} compilers[] = {
    {0, "-n test CH=01", 1,
     "cc-no-openmp: no OpenMP here (-fopenmp refused): building with OPENMP=0, one thread\n",
     " -march=native -g -fopenmp-simd ", " -fopenmp "},
    {1, "-n test CH=01", 2,
     "cc-no-openmp: -march=native refused: building for its default target (ARCH=)\n",
     " -O3 -g -fopenmp-simd ", "-march=native -g"},
    {1, "-n all OPENMP=0 ARCH=-march=x86-64", 0, "", " -march=x86-64 -g -fopenmp-simd ",
     "-march=native -g"},
};

/* `said` with each run of spaces (an empty variable's mark on a command line) made one. */
static void squeeze_spaces(char *said)
{
    char *to = said;
    for (const char *from = said; *from != '\0'; from++)
        if (*from != ' ' || to == said || to[-1] != ' ') *to++ = *from;
    *to = '\0';
}

/* How many times `text` occurs in `said`. */
static int occurrences(const char *said, const char *text)
{
    int n = 0;
    for (const char *p = strstr(said, text); p != NULL; p = strstr(p + 1, text)) n++;
    return n;
}

START_TEST(the_build_finds_out_what_the_compiler_takes)
{
    char dir[TESTKIT_DIR], build[TESTKIT_DIR + 8], arguments[TESTKIT_DIR + 128];
    testkit_make_dir(dir, "build");
    snprintf(build, sizeof build, "%s/fresh", dir);
    snprintf(arguments, sizeof arguments, "CC='%s/.ci/cc-no-openmp' %s", NN_SOURCE_DIR,
             compilers[_i].arguments);
    /* What the make running these tests found out is for its own compiler: not inherited. */
    unsetenv("NN_PROBED_CC");
    setenv("NN_REFUSE_MARCH_NATIVE", compilers[_i].refuse_march ? "1" : "0", 1);
    int status;
    char *said = run_make(build, arguments, &status);
    unsetenv("NN_REFUSE_MARCH_NATIVE");
    ck_assert_msg(status == 0, "make %s exited with %d, saying:\n...%s", arguments, status,
                  last_of(said));
    ck_assert_msg(occurrences(said, "cc-no-openmp: ") == compilers[_i].lines &&
                      strstr(said, compilers[_i].says) != NULL,
                  "make %s said %d lines about the compiler, not %d with \"%s\":\n...%s", arguments,
                  occurrences(said, "cc-no-openmp: "), compilers[_i].lines, compilers[_i].says,
                  last_of(said));
    squeeze_spaces(said);
    ck_assert_msg(strstr(said, compilers[_i].holds) != NULL &&
                      strstr(said, compilers[_i].lacks) == NULL,
                  "make %s compiles with flags that hold no \"%s\" or hold \"%s\":\n...%s",
                  arguments, compilers[_i].holds, compilers[_i].lacks, last_of(said));
    ck_assert_msg(testkit_entries(dir) == 0, "make %s created %s", arguments, build);
    free(said);
    testkit_remove_dir(dir);
}
END_TEST

/* One system: the package manager found on PATH (none: ""), the user id, whether the manager
 * fails, what deps.sh says and exits with, and the commands it ran, one a line. */
static const struct {
    const char *manager, *uid;
    int fails, status;
    const char *says, *ran;
} systems[] = {
    {"apt-get", "0", 0, 0, "make deps: missing: pkg-config check gnuplot mpicc libpng\n",
     "apt-get update -q\napt-get install -y -q --no-install-recommends pkg-config check "
     "gnuplot-nox openmpi-bin libopenmpi-dev libpng-dev\n"},
    {"apt-get", "1000", 0, 1,
     "make deps: installing needs root. Run this, then make again:\n    sudo apt-get update -q && "
     "sudo apt-get install -y -q --no-install-recommends pkg-config check gnuplot-nox "
     "openmpi-bin libopenmpi-dev libpng-dev\n",
     ""},
    {"dnf", "0", 0, 0, "missing: pkg-config check gnuplot mpicc libpng\n",
     "dnf install -y pkgconf-pkg-config check-devel gnuplot openmpi-devel libpng-devel\n"},
    {"dnf", "1000", 0, 1,
     "    sudo dnf install -y pkgconf-pkg-config check-devel gnuplot openmpi-devel libpng-devel\n",
     ""},
    {"dnf", "0", 1, 1,
     "make deps: dnf could not install pkgconf-pkg-config check-devel gnuplot openmpi-devel "
     "libpng-devel (see its message above)",
     "dnf install -y pkgconf-pkg-config check-devel gnuplot openmpi-devel libpng-devel\n"},
    {"pacman", "0", 0, 0, "missing: pkg-config check gnuplot mpicc libpng\n",
     "pacman -S --needed --noconfirm pkgconf check gnuplot openmpi libpng\n"},
    {"brew", "501", 0, 0, "missing: pkg-config check gnuplot mpicc libpng\n",
     "brew install pkg-config check gnuplot open-mpi libpng\n"},
    {"", "1000", 0, 1,
     "make deps: found none of apt-get, dnf, pacman and brew; install pkg-config "
     "check gnuplot mpicc with your",
     ""},
};

/* Writes an executable `dir`/bin/`name` that prints `output` and exits with `exit`; with
 * `logs`, it first adds "name arguments" to `dir`/ran. */
static void stub(const char *dir, const char *name, const char *output, int exit, int logs)
{
    char path[TESTKIT_DIR + 64];
    snprintf(path, sizeof path, "%s/bin/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fprintf(f, "#!/bin/sh\n");
    if (logs) fprintf(f, "echo \"%s $*\" >>'%s/ran'\n", name, dir);
    fprintf(f, "echo '%s'\nexit %d\n", output, exit);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(chmod(path, 0755), 0);
}

/* deps.sh on a system whose PATH holds only the package manager and `id`: nothing of Check,
 * pkg-config, gnuplot or OpenMPI, so it must install all four, in that manager's words. */
START_TEST(deps_installs_with_the_package_manager_there_is)
{
    char dir[TESTKIT_DIR], bin[TESTKIT_DIR + 8], ran[TESTKIT_DIR + 8];
    testkit_make_dir(dir, "deps");
    snprintf(bin, sizeof bin, "%s/bin", dir);
    ck_assert_int_eq(mkdir(bin, 0755), 0);
    stub(dir, "id", systems[_i].uid, 0, 0);
    if (*systems[_i].manager) stub(dir, systems[_i].manager, "", systems[_i].fails, 1);
    int status;
    char *said = run_joined(&status, "PATH='%s' /bin/sh .ci/deps.sh", bin);
    ck_assert_msg(status == systems[_i].status && strstr(said, systems[_i].says) != NULL,
                  "deps.sh with %s as user %s exited with %d, not %d, saying:\n%s\nnot:\n%s",
                  systems[_i].manager, systems[_i].uid, status, systems[_i].status, said,
                  systems[_i].says);
    free(said);
    snprintf(ran, sizeof ran, "%s/ran", dir);
    char *log = read_text_file(ran);
    ck_assert_msg(strcmp(log != NULL ? log : "", systems[_i].ran) == 0,
                  "deps.sh with %s as user %s ran:\n%s\nnot:\n%s", systems[_i].manager,
                  systems[_i].uid, log != NULL ? log : "(nothing)", systems[_i].ran);
    free(log);
    testkit_remove_dir(dir);
}
END_TEST

/* deps.sh where all but libpng is there: libpng is optional, so it says so with the command and
 * succeeds, installing nothing, as root too (a make test would install it every time). */
static const struct {
    const char *uid, *command;
} png_only[] = {
    {"1000", "    sudo apt-get update -q && sudo apt-get install -y -q --no-install-recommends "
             "libpng-dev\n"},
    {"0", "    apt-get update -q && apt-get install -y -q --no-install-recommends libpng-dev\n"},
};

START_TEST(deps_names_a_missing_libpng_and_goes_on)
{
    char dir[TESTKIT_DIR], bin[TESTKIT_DIR + 8], path[TESTKIT_DIR + 64];
    testkit_make_dir(dir, "deps");
    snprintf(bin, sizeof bin, "%s/bin", dir);
    ck_assert_int_eq(mkdir(bin, 0755), 0);
    stub(dir, "id", png_only[_i].uid, 0, 0);
    stub(dir, "apt-get", "", 0, 1);
    stub(dir, "gnuplot", "", 0, 0);
    stub(dir, "mpicc", "", 0, 0);
    snprintf(path, sizeof path, "%s/pkg-config", bin); /* it finds every package but libpng */
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fprintf(f, "#!/bin/sh\ncase \"$*\" in *libpng*) exit 1 ;; esac\n");
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(chmod(path, 0755), 0);
    int status;
    char *said = run_joined(&status, "PATH='%s' /bin/sh .ci/deps.sh", bin);
    ck_assert_msg(status == 0 &&
                      strstr(said, "make deps: libpng is missing (optional: predict reads PNG "
                                   "pictures with it); to add it:\n") == said &&
                      strstr(said, png_only[_i].command) != NULL,
                  "deps.sh without libpng, as user %s, exited with %d, saying:\n%s\nnot:\n%s",
                  png_only[_i].uid, status, said, png_only[_i].command);
    free(said);
    snprintf(path, sizeof path, "%s/ran", dir);
    char *log = read_text_file(path);
    ck_assert_msg(log == NULL, "deps.sh without libpng ran:\n%s", log);
    testkit_remove_dir(dir);
}
END_TEST

Suite *suite_01_build(void);
Suite *suite_01_build(void)
{
    Suite *s = suite_create("01 build");
    TCase *reading = tcase_create("reading");
    tcase_set_timeout(reading, 120);
    tcase_add_loop_test(reading, reading_the_makefile_writes_nothing, 0,
                        sizeof dry_runs / sizeof dry_runs[0]);
    tcase_add_test(reading, a_change_of_flags_rebuilds_and_nothing_else_does);
    tcase_add_loop_test(reading, the_build_finds_out_what_the_compiler_takes, 0,
                        sizeof compilers / sizeof compilers[0]);
    TCase *deps = tcase_create("deps");
    tcase_add_loop_test(deps, deps_installs_with_the_package_manager_there_is, 0,
                        sizeof systems / sizeof systems[0]);
    tcase_add_loop_test(deps, deps_names_a_missing_libpng_and_goes_on, 0,
                        sizeof png_only / sizeof png_only[0]);
    if (getenv("NN_GRADING") == NULL) suite_add_tcase(s, reading); /* not inside a grading */
    suite_add_tcase(s, deps);
    return s;
}
