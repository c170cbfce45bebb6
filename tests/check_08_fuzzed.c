/* check_08_fuzzed.c: the fuzzers' inputs, replayed in the normal test suite.
 * Every committed seed (tests/fuzz/corpus/<target>/) and every input that
 * once crashed a parser (tests/fuzz/regressions/<target>/, one file each,
 * named for the bug) goes through the same fuzz target `make fuzz` runs
 * (tests/fuzz/fuzz_*.c), which checks what must hold for any input. A
 * crash found by fuzzing thus stays fixed in every build, the sanitizers'
 * and valgrind's included. */
#include <check.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "fuzz/fuzz.h"
#include "support/testkit.h"

static const struct {
    const char *name;
    int (*target)(const uint8_t *, size_t);
    size_t seeds; /* at least this many in its committed corpus */
} targets[] = {
    {"idx", fuzz_idx, 16},               /* lib/mnist.c */
    {"model_file", fuzz_model_file, 11}, /* lib/model_file.c */
    {"pgm", fuzz_pgm, 9},                /* lib/pgm.c */
    {"png", fuzz_png, 24},               /* lib/picture.c: tests/fixtures/png/'s pictures */
    {"flags", fuzz_flags, 9},            /* lib/args.c */
};

/* Feeds every file in tests/fuzz/<kind>/<name>/ to target; returns how many. */
static size_t replay(const char *kind, const char *name, int (*target)(const uint8_t *, size_t))
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/%s/%s", NN_SOURCE_DIR, kind, name);
    DIR *d = opendir(dir);
    if (d == NULL) return 0; /* no regressions yet */
    size_t count = 0;
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
        if (e->d_name[0] == '.') continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        NnError err;
        size_t n;
        unsigned char *data = file_read_all(path, 1 << 20, "a fuzz input", &n, &err);
        ck_assert_msg(data != NULL, "%s", err.message);
        target(data, n); /* aborts, naming the broken promise, if the parser fails */
        free(data);
        count++;
    }
    closedir(d);
    return count;
}

START_TEST(every_seed_and_past_crash_is_handled)
{
    size_t seeds = replay("corpus", targets[_i].name, targets[_i].target);
    ck_assert_msg(seeds >= targets[_i].seeds, "tests/fuzz/corpus/%s/ holds %zu inputs, not %zu",
                  targets[_i].name, seeds, targets[_i].seeds);
    replay("regressions", targets[_i].name, targets[_i].target);
}
END_TEST

Suite *suite_08_fuzzed(void);
Suite *suite_08_fuzzed(void)
{
    Suite *s = suite_create("08 fuzzed");
    TCase *tc = tcase_create("fuzz inputs");
    tcase_add_loop_test(tc, every_seed_and_past_crash_is_handled, 0,
                        sizeof targets / sizeof targets[0]);
    suite_add_tcase(s, tc);
    return s;
}
