/* runner.c: the one test runner. It runs every suite it was built with and
 * ends with Check's summary line; its exit status is non-zero if any test failed.
 *
 * The Makefile builds it with -DSUITES='SUITE(suite_01_matrices) SUITE(...)',
 * one entry per tests/check_NN_name.c file of the chapters asked for (CH=NN).
 * Run one suite with CK_RUN_SUITE=name, one test case with CK_RUN_CASE=name. */
#include <check.h>
#include <stdlib.h>

#ifndef SUITES
#error "build the runner with -DSUITES=... (the Makefile does)"
#endif

#define SUITE(fn) Suite *fn(void);
SUITES
#undef SUITE

int main(void)
{
    Suite *(*const suites[])(void) = {
#define SUITE(fn) fn,
        SUITES
#undef SUITE
    };
    SRunner *runner = srunner_create(NULL);
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
        srunner_add_suite(runner, suites[i]());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
