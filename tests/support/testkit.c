/* testkit.c: matrix assertions, check outcomes and the lesson checks (see testkit.h). */
#include "testkit.h"

#include <check.h>
#include <ctype.h>
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
                  "%s is %u×%u, not %u×%u", path, big_endian(png + 16), big_endian(png + 20),
                  width, height);
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

/* ---- reading a README: markers and the fenced block after each ----------------------------- */

/* A fenced block: its lines, NUL-terminated, and the README line it starts on. */
typedef struct {
    char **lines;
    size_t count;
    int first_line;
} Block;

static char *readme_text(const char *readme_path)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", NN_SOURCE_DIR, readme_path);
    char *text = read_text_file(path);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    return text;
}

static int line_number(const char *text, const char *at)
{
    int n = 1;
    for (const char *p = text; p < at; p++) n += *p == '\n';
    return n;
}

/* The fenced block following position `at`; its lines point into a copy. */
static Block block_after(const char *text, const char *at, const char *readme)
{
    const char *open = strstr(at, "\n```");
    ck_assert_msg(open != NULL, "%s: a marker with no fenced block after it", readme);
    const char *start = strchr(open + 1, '\n');
    ck_assert(start != NULL);
    start++;
    const char *close = strstr(start - 1, "\n```");
    ck_assert_msg(close != NULL, "%s: a fenced block is never closed", readme);
    Block b = {NULL, 0, line_number(text, start)};
    size_t len = (size_t)(close - start);
    char *copy = malloc(len + 2);
    ck_assert(copy != NULL);
    memcpy(copy, start, len);
    copy[len] = '\0';
    b.lines = malloc(sizeof(char *) * (len + 1));
    ck_assert(b.lines != NULL);
    if (len == 0) return b;
    for (char *line = copy;; line++) {
        b.lines[b.count++] = line;
        line = strchr(line, '\n');
        if (line == NULL) break;
        *line = '\0';
    }
    return b;
}

static void block_free(Block *b)
{
    if (b->count > 0) free(b->lines[0]);
    free(b->lines);
}

/* The text between `key` and the end of its marker ("-->") or the next " | ". */
static void marker_field(const char *marker, const char *key, char *out, size_t size)
{
    out[0] = '\0';
    const char *end = strstr(marker, "-->");
    const char *p = strstr(marker, key);
    if (p == NULL || (end != NULL && p > end)) return;
    p += strlen(key);
    while (*p == ' ') p++;
    const char *stop = strstr(p, " | ");
    if (stop == NULL || (end != NULL && stop > end)) stop = end;
    size_t n = (size_t)(stop - p);
    while (n > 0 && p[n - 1] == ' ') n--;
    if (n >= size) n = size - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

/* ---- quotes --------------------------------------------------------------------------------- */

/* Where `chunk` occurs in `source` at or after `from` as whole lines, or NULL. */
static const char *find_lines(const char *source, const char *from, const char *chunk)
{
    size_t n = strlen(chunk);
    for (const char *p = strstr(from, chunk); p != NULL; p = strstr(p + 1, chunk)) {
        int starts_line = p == source || p[-1] == '\n';
        int ends_line = p[n] == '\n' || p[n] == '\0';
        if (starts_line && ends_line) return p + n;
    }
    return NULL;
}

static int is_elision(const char *line)
{
    while (isspace((unsigned char)*line)) line++;
    return strncmp(line, "...", 3) == 0 && line[3 + strspn(line + 3, " ")] == '\0';
}

static void check_quote(const char *readme, const Block *b, const char *source_path)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", NN_SOURCE_DIR, source_path);
    char *source = read_text_file(path);
    ck_assert_msg(source != NULL, "%s line %d quotes %s, which cannot be read", readme,
                  b->first_line, source_path);
    const char *from = source;
    size_t i = 0;
    while (i < b->count) {
        size_t first = i;
        char chunk[16384] = "";
        for (; i < b->count && !is_elision(b->lines[i]); i++) {
            if (i > first) strncat(chunk, "\n", sizeof chunk - strlen(chunk) - 1);
            strncat(chunk, b->lines[i], sizeof chunk - strlen(chunk) - 1);
        }
        if (i > first) {
            from = find_lines(source, from, chunk);
            ck_assert_msg(from != NULL,
                          "%s line %d: the code quoted from %s is not in it any more "
                          "(starting at \"%s\"): copy the current code into the lesson",
                          readme, b->first_line + (int)first, source_path, b->lines[first]);
        }
        i++; /* past the elision */
    }
    free(source);
}

void check_lesson_quotes(const char *readme_path)
{
    char *text = readme_text(readme_path);
    int quotes = 0;
    for (const char *m = strstr(text, "<!-- quote:"); m != NULL; m = strstr(m + 1, "<!-- quote:")) {
        char source_path[1024];
        marker_field(m, "<!-- quote:", source_path, sizeof source_path);
        Block b = block_after(text, m, readme_path);
        check_quote(readme_path, &b, source_path);
        block_free(&b);
        quotes++;
    }
    ck_assert_msg(quotes > 0, "%s quotes no code at all", readme_path);
    free(text);
}

/* ---- output --------------------------------------------------------------------------------- */

/* Where a number that starts at p ends. */
static const char *number_end(const char *p)
{
    if (*p == '-' || *p == '+') p++;
    while (isdigit((unsigned char)*p) || *p == '.' || *p == ',' ||
           ((*p == 'e' || *p == 'E') && (isdigit((unsigned char)p[1]) || p[1] == '-')))
        p += (*p == 'e' || *p == 'E') && p[1] == '-' ? 2 : 1;
    return p;
}

/* True when the text at p is one of the comma-separated units in `units`,
 * after at most one space ("6.4 s", "25.43 GFLOP/s"); "*" matches anything. */
static int unit_follows(const char *p, const char *units)
{
    char list[1024];
    snprintf(list, sizeof list, "%s", units);
    if (*p == ' ') p++;
    for (char *save, *u = strtok_r(list, ",", &save); u != NULL; u = strtok_r(NULL, ",", &save)) {
        while (*u == ' ') u++;
        size_t n = strlen(u);
        if (strcmp(u, "*") == 0) return 1;
        if (n > 0 && strncmp(p, u, n) == 0 && !isalnum((unsigned char)p[n])) return 1;
    }
    return 0;
}

/* Copies `line` to `out` with every number followed by one of `units`
 * replaced by '#' and runs of spaces squeezed, so that "  9.81 GFLOP/s" and
 * " 12.30 GFLOP/s" compare equal while every other number must match. */
static void mask_numbers(const char *line, char *out, size_t size, const char *units)
{
    size_t n = 0;
    for (const char *p = line; *p != '\0' && n + 2 < size;) {
        int starts_number = isdigit((unsigned char)*p) ||
                            ((*p == '-' || *p == '+') && isdigit((unsigned char)p[1]));
        int in_word = p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '.');
        const char *end = starts_number && !in_word ? number_end(p) : p;
        if (end > p && unit_follows(end, units)) {
            out[n++] = '#';
            p = end;
        } else if (*p == ' ') {
            if (n == 0 || out[n - 1] != ' ') out[n++] = ' ';
            p++;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
}

/* Lines agree when equal, or equal once the numbers that may vary are masked:
 * those followed by a unit named in "varies:", and, in a double build, every
 * number, and the scalar type, "double)" where the lessons (made in the float
 * build) show "float)". */
static int lines_agree(const char *want, const char *got, const char *varies)
{
    if (strcmp(want, got) == 0) return 1;
    int in_double = strcmp(REAL_NAME, "double") == 0;
    char a[4096], b[4096], swapped[4096];
    const char *type = in_double ? strstr(got, "double)") : NULL;
    if (type != NULL) { /* the program names its scalar type: "float)" in the lesson */
        snprintf(swapped, sizeof swapped, "%.*sfloat)%s", (int)(type - got), got, type + 7);
        got = swapped;
    }
    mask_numbers(want, a, sizeof a, in_double ? "*" : varies);
    mask_numbers(got, b, sizeof b, in_double ? "*" : varies);
    return strcmp(a, b) == 0;
}

/* `exit` is the exit status the block shows: 0 runs the command with stderr
 * thrown away; any other runs it with stderr joined to stdout (the block shows
 * the error message) and requires that status. */
static void check_output_block(const char *readme, const Block *b, const char *command,
                               const char *varies, int exit)
{
    char line[4096];
    snprintf(line, sizeof line, "'%s'/%s %s", NN_BUILD_DIR, command,
             exit == 0 ? "2>/dev/null" : "2>&1");
    int status;
    char *out = run_command(line, &status);
    ck_assert_msg(status == exit, "build/%s exited with status %d, not %d", command, status, exit);
    char *cursor = out;
    for (size_t i = 0; i < b->count; i++) {
        char *nl = strchr(cursor, '\n');
        ck_assert_msg(nl != NULL || *cursor != '\0',
                      "%s line %d: `%s` stopped printing before this line:\n  %s", readme,
                      b->first_line + (int)i, command, b->lines[i]);
        if (nl != NULL) *nl = '\0';
        ck_assert_msg(lines_agree(b->lines[i], cursor, varies),
                      "%s line %d: `%s` printed\n  %s\nwhere the lesson shows\n  %s", readme,
                      b->first_line + (int)i, command, cursor, b->lines[i]);
        cursor = nl != NULL ? nl + 1 : cursor + strlen(cursor);
    }
    ck_assert_msg(*cursor == '\0', "%s: `%s` printed more than the lesson shows, from:\n  %.200s",
                  readme, command, cursor);
    free(out);
}

/* True when the first word of command is one of the space-separated programs. */
static int names_one_of(const char *command, const char *programs)
{
    size_t len = strcspn(command, " ");
    for (const char *p = programs; *p != '\0'; p += strcspn(p, " "), p += *p == ' ')
        if (strcspn(p, " ") == len && strncmp(p, command, len) == 0) return 1;
    return 0;
}

int check_lesson_output(const char *readme_path, const char *programs)
{
    char *text = readme_text(readme_path);
    int checked = 0;
    for (const char *m = strstr(text, "<!-- output:"); m != NULL;
         m = strstr(m + 1, "<!-- output:")) {
        char command[1024], varies[1024], needs[64], exit[16];
        marker_field(m, "<!-- output:", command, sizeof command);
        marker_field(m, "varies:", varies, sizeof varies);
        marker_field(m, "needs:", needs, sizeof needs);
        marker_field(m, "exit:", exit, sizeof exit);
        ck_assert_msg(names_one_of(command, programs),
                      "%s line %d: the output of `%s` cannot be checked: this lesson's programs "
                      "are %s",
                      readme_path, line_number(text, m), command, programs);
        if (strstr(needs, "time") != NULL && getenv("NN_SLOW_LESSONS") == NULL) {
            printf("note: %s line %d shows a long run: checked only with NN_SLOW_LESSONS=1\n",
                   readme_path, line_number(text, m));
            checked++;
            continue;
        }
        if (strstr(needs, "mnist") != NULL && !have_full_mnist()) {
            printf("note: %s line %d shows a run on the full MNIST set, which is not in data/: "
                   "checked on the sample, numbers masked (make data checks it all)\n",
                   readme_path, line_number(text, m));
            strcpy(varies, "*");
        }
        Block b = block_after(text, m, readme_path);
        check_output_block(readme_path, &b, command, varies, atoi(exit));
        block_free(&b);
        checked++;
    }
    free(text);
    return checked;
}

/* ---- a chapter's lesson suite --------------------------------------------------------------- */

/* Every lesson suite made so far: a loop test's index picks its entry. */
static struct {
    const char *readme, *program;
} lessons[16];
static int lesson_count;

START_TEST(lesson_quotes_real_code)
{
    check_lesson_quotes(lessons[_i].readme);
}
END_TEST

START_TEST(lesson_shows_real_output)
{
    ck_assert_msg(check_lesson_output(lessons[_i].readme, lessons[_i].program) > 0,
                  "%s shows no output of %s", lessons[_i].readme, lessons[_i].program);
}
END_TEST

Suite *lesson_suite(const char *name, const char *readme, const char *program)
{
    if (lesson_count == (int)(sizeof lessons / sizeof lessons[0])) abort(); /* grow lessons[] */
    int i = lesson_count++;
    lessons[i].readme = readme, lessons[i].program = program;
    Suite *s = suite_create(name);
    TCase *tc = tcase_create("lesson");
    /* A lesson's long runs (NN_SLOW_LESSONS=1) train for minutes. */
    tcase_set_timeout(tc, getenv("NN_SLOW_LESSONS") != NULL ? 1200 : 120);
    tcase_add_loop_test(tc, lesson_quotes_real_code, i, i + 1);
    tcase_add_loop_test(tc, lesson_shows_real_output, i, i + 1);
    suite_add_tcase(s, tc);
    return s;
}
