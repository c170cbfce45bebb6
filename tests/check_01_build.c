/* check_01_build.c: the build itself. Reading the Makefile writes nothing (`make help`, `make -n`
 * leave a fresh build folder uncreated); a change of flags still rebuilds what they compiled, and
 * only then; `make deps` (.ci/deps.sh) installs Check, pkg-config and gnuplot with apt-get, dnf,
 * pacman or brew, and prints the exact command when it cannot. Each make runs in a build folder
 * of its own (run_make); inside a class's grading (NN_GRADING), they stand aside. */
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

/* One system: the package manager found on PATH (none: ""), the user id, whether the manager
 * fails, what deps.sh says and exits with, and the commands it ran, one a line. */
static const struct {
    const char *manager, *uid;
    int fails, status;
    const char *says, *ran;
} systems[] = {
    {"apt-get", "0", 0, 0, "make deps: missing: pkg-config check gnuplot\n",
     "apt-get update -q\napt-get install -y -q --no-install-recommends pkg-config check "
     "gnuplot-nox\n"},
    {"apt-get", "1000", 0, 1,
     "make deps: installing needs root. Run this, then make again:\n    sudo apt-get update -q && "
     "sudo apt-get install -y -q --no-install-recommends pkg-config check gnuplot-nox\n",
     ""},
    {"dnf", "0", 0, 0, "missing: pkg-config check gnuplot\n",
     "dnf install -y pkgconf-pkg-config check-devel gnuplot\n"},
    {"dnf", "1000", 0, 1, "    sudo dnf install -y pkgconf-pkg-config check-devel gnuplot\n", ""},
    {"dnf", "0", 1, 1,
     "make deps: dnf could not install pkgconf-pkg-config check-devel gnuplot (see its message "
     "above)",
     "dnf install -y pkgconf-pkg-config check-devel gnuplot\n"},
    {"pacman", "0", 0, 0, "missing: pkg-config check gnuplot\n",
     "pacman -S --needed --noconfirm pkgconf check gnuplot\n"},
    {"brew", "501", 0, 0, "missing: pkg-config check gnuplot\n",
     "brew install pkg-config check gnuplot\n"},
    {"", "1000", 0, 1,
     "make deps: found none of apt-get, dnf, pacman and brew; install pkg-config "
     "check gnuplot with your",
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
 * pkg-config or gnuplot, so it must install all three, in that manager's words. */
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

Suite *suite_01_build(void);
Suite *suite_01_build(void)
{
    Suite *s = suite_create("01 build");
    TCase *reading = tcase_create("reading");
    tcase_set_timeout(reading, 120);
    tcase_add_loop_test(reading, reading_the_makefile_writes_nothing, 0,
                        sizeof dry_runs / sizeof dry_runs[0]);
    tcase_add_test(reading, a_change_of_flags_rebuilds_and_nothing_else_does);
    TCase *deps = tcase_create("deps");
    tcase_add_loop_test(deps, deps_installs_with_the_package_manager_there_is, 0,
                        sizeof systems / sizeof systems[0]);
    if (getenv("NN_GRADING") == NULL) suite_add_tcase(s, reading); /* not inside a grading */
    suite_add_tcase(s, deps);
    return s;
}
