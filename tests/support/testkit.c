/* testkit.c: matrix assertions, check outcomes, commands, files and folders (see testkit.h). */
#include "testkit.h"

#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fail.h"

void assert_matrix_equals(const Matrix *M, const real *expected, double tol)
{
    for (size_t r = 0; r < M->rows; r++)
        for (size_t c = 0; c < M->cols; c++) {
            double got = MAT_AT(M, r, c), want = expected[r * M->cols + c];
            ck_assert_msg(fabs(got - want) <= tol, "entry (%zu, %zu): got %.9g, expected %.9g", r,
                          c, got, want);
        }
}

int outcome_expect(Outcome *o, int right, const char *format, ...)
{
    if (right || o->failed) return right;
    o->failed = 1;
    va_list values;
    va_start(values, format);
    vsnprintf(o->why, sizeof o->why, format, values);
    va_end(values);
    return 0;
}

void assert_catches(const char *mistake, const Outcome *right, const Outcome *wrong,
                    const char *says)
{
    ck_assert_msg(!right->failed, "the library's own code fails the check of \"%s\": %s", mistake,
                  right->why);
    ck_assert_msg(wrong->failed, "\"%s\": the check let it through", mistake);
    ck_assert_msg(strstr(wrong->why, says) != NULL,
                  "\"%s\": the check failed it, but not saying \"%s\": %s", mistake, says,
                  wrong->why);
}

void fill_uniform(Matrix *M, unsigned long seed, double lo, double hi)
{
    unsigned long long state = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    for (size_t i = 0; i < M->rows * M->cols; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(state >> 11) / 9007199254740992.0; /* 53 bits: [0, 1) */
        M->data[i] = (real)(lo + (hi - lo) * u);
    }
}

/* Everything left in `stream`, NUL-terminated and malloc'd, or NULL when out of memory. */
static char *read_stream(FILE *stream)
{
    size_t cap = 4096, len = 0, n;
    char *text = malloc(cap);
    while (text != NULL && (n = fread(text + len, 1, cap - len - 1, stream)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(text, cap *= 2);
            if (bigger == NULL) free(text);
            text = bigger;
        }
    }
    if (text != NULL) text[len] = '\0';
    return text;
}

char *read_text_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    char *text = read_stream(f);
    fclose(f);
    return text;
}

char *run_command(const char *command, int *status)
{
    char line[8192];
    snprintf(line, sizeof line, "cd '%s' && %s", NN_SOURCE_DIR, command);
    FILE *p = popen(line, "r");
    ck_assert_msg(p != NULL, "cannot run: %s", command);
    char *out = read_stream(p);
    int raw = pclose(p);
    ck_assert_msg(out != NULL, "out of memory reading the output of: %s", command);
    *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + (WIFSIGNALED(raw) ? WTERMSIG(raw) : 0);
    return out;
}

char *run_make(const char *build, const char *arguments, int *status)
{
    char command[2048];
    snprintf(command, sizeof command,
             "cd '%s' && unset MAKEFLAGS MAKELEVEL MFLAGS CK_RUN_SUITE CK_RUN_CASE NN_SLOW_LESSONS "
             "SANITIZE REAL VALGRIND_BUILD ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS && "
             "for v in $(env | sed -n 's/^\\(STUDENT_[^=]*\\)=.*/\\1/p'); do unset \"$v\"; done; "
             "make --no-print-directory BUILD='%s' %s 2>&1",
             NN_SOURCE_DIR, build, arguments);
    return run_command(command, status);
}

char *run_joined(int *status, const char *format, ...)
{
    char command[4096];
    va_list args;
    va_start(args, format);
    vsnprintf(command, sizeof command - 8, format, args);
    va_end(args);
    strcat(command, " 2>&1");
    return run_command(command, status);
}

static uint32_t big_endian(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void assert_png(const char *path, uint32_t width, uint32_t height)
{
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s was not drawn", path);
    static unsigned char png[4 << 20];
    size_t n = fread(png, 1, sizeof png, f);
    fclose(f);
    ck_assert_msg(n > 5000 && n < sizeof png, "%s: %zu bytes", path, n);
    ck_assert_msg(memcmp(png, signature, 8) == 0, "%s: not a PNG", path);
    ck_assert_msg(memcmp(png + 12, "IHDR", 4) == 0, "%s: no IHDR chunk first", path);
    ck_assert_msg(memcmp(png + n - 8, "IEND", 4) == 0, "%s: cut short (no IEND chunk)", path);
    ck_assert_msg(big_endian(png + 16) == width && big_endian(png + 20) == height,
                  "%s is %u×%u, not %u×%u", path, big_endian(png + 16), big_endian(png + 20), width,
                  height);
}

static char guarded[256]; /* what testkit_guard_bugs was told */

static void fail_on_bug(const char *message)
{
    ck_abort_msg("%s: the backward pass stopped: %s", guarded, message);
}

void testkit_guard_bugs(const char *what)
{
    snprintf(guarded, sizeof guarded, "%s", what);
    nn_on_bug(fail_on_bug);
}

void testkit_unguard_bugs(void)
{
    nn_on_bug(NULL);
}

void testkit_make_dir(char *dir, const char *what)
{
    ck_assert(snprintf(dir, TESTKIT_DIR, "/tmp/nn-%s-XXXXXX", what) < TESTKIT_DIR);
    ck_assert_msg(mkdtemp(dir) != NULL, "cannot make a folder %s", dir);
}

void testkit_remove_dir(const char *dir)
{
    char rm[TESTKIT_DIR + 16];
    snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(rm), 0);
}

size_t testkit_entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot list %s", dir);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

int have_full_mnist(void)
{
    return access(NN_SOURCE_DIR "/data/train-images-idx3-ubyte", R_OK) == 0 &&
           access(NN_SOURCE_DIR "/data/t10k-images-idx3-ubyte", R_OK) == 0;
}
