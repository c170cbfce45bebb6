/* check_01_fail.c: running out of memory. nn_alloc, through which the library
 * allocates everything, and nn_alloc_lines, its cache-line-aligned form for
 * matrices, must report a failed allocation (how much, what for) and exit
 * with status 1, never hand back NULL to be dereferenced. The failures are
 * forced for real, in a child process: a request no machine can grant, and
 * a count × size that overflows. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fail.h"
#include "support/testkit.h"

/* Under AddressSanitizer (SANITIZE=1) a failed malloc returns NULL, as in the
 * normal build, instead of ASan stopping the program before nn_alloc sees it. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

typedef void *(*Allocator)(size_t count, size_t size, const char *what);

/* Calls alloc(count, size, "the test's buffer") in a child whose stderr goes
 * to a file; returns what it printed, and in *status its exit status: 0 if
 * alloc came back, -1 if the child did not exit normally (a crash). */
static char *alloc_in_child(Allocator alloc, size_t count, size_t size, int *status)
{
    char path[] = "/tmp/nn-fail-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    fflush(stderr);
    pid_t child = fork();
    ck_assert(child >= 0);
    if (child == 0) {
        dup2(fd, 2);
        void *p = alloc(count, size, "the test's buffer");
        free(p);
        _exit(0); /* alloc came back: the test fails on status 0 */
    }
    int raw;
    ck_assert_int_eq(waitpid(child, &raw, 0), child);
    *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    close(fd);
    char *said = read_text_file(path);
    unlink(path);
    ck_assert(said != NULL);
    return said;
}

/* Both allocators, in turn: _i is 0 for nn_alloc, 1 for nn_alloc_lines. */
static const Allocator allocators[] = {nn_alloc, nn_alloc_lines};
static const char *const allocator_names[] = {"nn_alloc", "nn_alloc_lines"};

START_TEST(a_failed_allocation_is_reported_and_exits)
{
    size_t huge = (size_t)1 << 62; /* 4 EiB: fits a size_t, no machine has it */
    int status;
    char *said = alloc_in_child(allocators[_i], huge, 1, &status);
    ck_assert_msg(status == 1, "%s of 4 EiB: exit status %d, not 1; it said: %s",
                  allocator_names[_i], status, said);
    ck_assert_msg(strstr(said, "error: out of memory allocating 4611686018427387904 bytes for "
                               "the test's buffer\n") != NULL,
                  "it said: %s", said);
    free(said);
}
END_TEST

START_TEST(a_size_that_overflows_is_reported_and_exits)
{
    int status;
    char *said = alloc_in_child(allocators[_i], SIZE_MAX / 2, 3, &status);
    ck_assert_msg(status == 1, "%s: exit status %d, not 1; it said: %s", allocator_names[_i],
                  status, said);
    ck_assert_msg(strstr(said, "error: the test's buffer needs ") != NULL &&
                      strstr(said, "more than this machine can address\n") != NULL,
                  "it said: %s", said);
    free(said);
}
END_TEST

START_TEST(a_possible_allocation_is_usable)
{
    unsigned char *p = nn_alloc(3, 1000, "a small buffer");
    memset(p, 7, 3000);
    ck_assert_uint_eq(p[2999], 7);
    free(p);
    free(nn_alloc(0, 8, "nothing")); /* zero bytes still give a pointer to free */
}
END_TEST

/* A size so close to the largest that rounding it up to whole lines would
 * wrap around to a small one: refused as too much, never a small block. */
START_TEST(a_size_too_large_to_round_up_is_reported_and_exits)
{
    int status;
    char *said = alloc_in_child(nn_alloc_lines, SIZE_MAX - 10, 1, &status);
    ck_assert_msg(status == 1, "exit status %d, not 1; it said: %s", status, said);
    ck_assert_msg(strstr(said, "error: out of memory allocating ") != NULL, "it said: %s", said);
    free(said);
}
END_TEST

START_TEST(lines_start_at_a_line_of_the_cache)
{
    static const size_t sizes[] = {0, 1, 63, 64, 65, 4096 + 16, 200704};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        unsigned char *p = nn_alloc_lines(sizes[i], 1, "a line-aligned buffer");
        ck_assert_msg((uintptr_t)p % 64 == 0, "%zu bytes at %p: not a multiple of 64", sizes[i],
                      (void *)p);
        memset(p, 7, sizes[i]);
        free(p);
    }
}
END_TEST

Suite *suite_01_fail(void);
Suite *suite_01_fail(void)
{
    Suite *s = suite_create("01 fail");
    TCase *tc = tcase_create("nn_alloc");
    tcase_add_loop_test(tc, a_failed_allocation_is_reported_and_exits, 0, 2);
    tcase_add_loop_test(tc, a_size_that_overflows_is_reported_and_exits, 0, 2);
    tcase_add_test(tc, a_size_too_large_to_round_up_is_reported_and_exits);
    tcase_add_test(tc, a_possible_allocation_is_usable);
    tcase_add_test(tc, lines_start_at_a_line_of_the_cache);
    suite_add_tcase(s, tc);
    return s;
}
