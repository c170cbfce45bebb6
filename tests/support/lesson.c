/* lesson.c: the lesson checks (see lesson.h): quotes, output, words and links. */
#include "lesson.h"

#include <check.h>
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "real.h"
#include "testkit.h"

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

int check_lesson_quotes(const char *readme_path)
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
    free(text);
    return quotes;
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
 * replaced by '#', runs of spaces squeezed and the sign of a NaN dropped, so that
 * "  9.81 GFLOP/s" and " 12.30 GFLOP/s" compare equal while every other number must match. */
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
        } else if (*p == '-' && strncmp(p + 1, "nan", 3) == 0) {
            p++; /* a NaN's sign: 0/0 is "-nan" on x86, "nan" on ARM (chapter 03's lesson) */
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
 * the error message) and requires that status. `processes` > 0 runs it with
 * mpirun on that many processes (chapter 11), as testkit.h says. */
static void check_output_block(const char *readme, const Block *b, const char *command,
                               const char *varies, int exit, int processes)
{
    char mpirun[256] = "", line[4096];
    if (processes > 0) snprintf(mpirun, sizeof mpirun, TESTKIT_MPIRUN "-np %d ", processes);
    snprintf(line, sizeof line, "%s'%s'/%s %s", mpirun, NN_BUILD_DIR, command,
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

/* Adds one output block's fate to <build>/tests/lesson-blocks.tsv: readme, line, verdict (exact,
 * masked or skipped) and why. Appended whole in one write, from the forked test. */
static void tally(const char *readme, int line, const char *verdict, const char *why)
{
    char row[1024];
    int n = snprintf(row, sizeof row, "%s\t%d\t%s\t%s\n", readme, line, verdict, why);
    int fd = open(NN_BUILD_DIR "/tests/lesson-blocks.tsv",
                  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return; /* the tally is a summary: a block goes uncounted, never unchecked */
    ck_assert_msg(write(fd, row, (size_t)n) == n, "cannot add to the lessons' tally");
    close(fd);
}

int check_lesson_output(const char *readme_path, const char *programs)
{
    char *text = readme_text(readme_path);
    int checked = 0;
    for (const char *m = strstr(text, "<!-- output:"); m != NULL;
         m = strstr(m + 1, "<!-- output:")) {
        char command[1024], varies[1024], needs[64], exit[16], processes[16];
        marker_field(m, "<!-- output:", command, sizeof command);
        marker_field(m, "varies:", varies, sizeof varies);
        marker_field(m, "needs:", needs, sizeof needs);
        marker_field(m, "exit:", exit, sizeof exit);
        marker_field(m, "processes:", processes, sizeof processes);
        int line = line_number(text, m);
        ck_assert_msg(names_one_of(command, programs),
                      "%s line %d: the output of `%s` cannot be checked: this lesson's programs "
                      "are %s",
                      readme_path, line, command, programs);
        if (strstr(needs, "time") != NULL && getenv("NN_SLOW_LESSONS") == NULL) {
            tally(readme_path, line, "skipped", "long runs, checked by make test-long-lessons");
            continue;
        }
        const char *verdict = "exact", *why = "";
        if (strstr(needs, "mnist") != NULL && !have_full_mnist()) {
            strcpy(varies, "*");
            verdict = "masked", why = "the full MNIST set is not in data/; make data fetches it";
        } else if (strcmp(REAL_NAME, "double") == 0) {
            verdict = "masked", why = "a double build: the lessons show float's numbers";
        }
        Block b = block_after(text, m, readme_path);
        check_output_block(readme_path, &b, command, varies, atoi(exit), atoi(processes));
        block_free(&b);
        tally(readme_path, line, verdict, why);
        checked++;
    }
    free(text);
    return checked;
}

/* ---- words ---------------------------------------------------------------------------------- */

/* Words as `wc -w` counts them: runs of characters other than white space. */
static size_t count_words(const char *text)
{
    size_t words = 0;
    for (const char *p = text; *p != '\0'; p++)
        words += !isspace((unsigned char)*p) && (p == text || isspace((unsigned char)p[-1]));
    return words;
}

/* ---- links ---------------------------------------------------------------------------------- */

/* The code point of the UTF-8 sequence at p, and its length in *len. */
static unsigned code_point(const unsigned char *p, size_t *len)
{
    if (p[0] < 0x80) return *len = 1, p[0];
    size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : 2;
    unsigned cp = p[0] & (0x3F >> (n - 1));
    for (size_t i = 1; i < n && (p[i] & 0xC0) == 0x80; i++) cp = cp << 6 | (p[i] & 0x3F);
    return *len = n, cp;
}

/* True for the punctuation and symbols outside ASCII that GitHub drops from an anchor and that
 * headings here use: Latin-1's (·, ×, ÷), and the blocks of dashes, quotes, arrows and
 * operators. */
static int dropped_symbol(unsigned cp)
{
    return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF);
}

/* GitHub's anchor of a heading's text: lower case; letters, digits, '_' and '-' kept, each
 * space a '-', all else dropped. */
static void anchor_of(const char *heading, char *out, size_t size)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)heading; *p != '\0' && n + 5 < size;) {
        size_t len;
        unsigned cp = code_point(p, &len);
        if (cp == ' ')
            out[n++] = '-';
        else if (cp < 0x80 && (isalnum(cp) || cp == '_' || cp == '-'))
            out[n++] = (char)tolower(cp);
        else if (cp >= 0x80 && !dropped_symbol(cp))
            memcpy(out + n, p, len), n += len;
        p += len;
    }
    out[n] = '\0';
}

/* True when line (up to its newline) opens or closes a fenced block. */
static int is_fence(const char *line)
{
    return strncmp(line, "```", 3) == 0;
}

/* True when the markdown `text` has a heading whose anchor is `fragment`; a heading met again
 * gets "-1", "-2", ... as on GitHub. */
static int has_anchor(const char *text, const char *fragment)
{
    enum { MOST = 512 };
    static char seen[MOST][256];
    size_t count = 0;
    int fenced = 0;
    for (const char *line = text; *line != '\0';
         line += strcspn(line, "\n"), line += *line == '\n') {
        fenced ^= is_fence(line);
        size_t hashes = strspn(line, "#");
        if (fenced || hashes == 0 || hashes > 6 || line[hashes] != ' ' || count == MOST) continue;
        char heading[256], anchor[256];
        snprintf(heading, sizeof heading, "%.*s", (int)strcspn(line + hashes + 1, "\n"),
                 line + hashes + 1);
        anchor_of(heading, anchor, sizeof anchor);
        size_t again = 0;
        for (size_t i = 0; i < count; i++) again += strcmp(seen[i], anchor) == 0;
        snprintf(seen[count++], sizeof seen[0], "%s", anchor);
        char numbered[300];
        if (again > 0)
            snprintf(numbered, sizeof numbered, "%s-%zu", anchor, again);
        else
            snprintf(numbered, sizeof numbered, "%s", anchor);
        if (strcmp(numbered, fragment) == 0) return 1;
    }
    return 0;
}

/* Whether one link's target, `target` as written in `path` (its markdown `text`) on `line`,
 * leads somewhere; if not, why, in why[size]. */
static int link_leads_somewhere(const char *path, int line, const char *text, const char *target,
                                char *why, size_t size)
{
    if (strncmp(target, "http://", 7) == 0 || strncmp(target, "https://", 8) == 0 ||
        strncmp(target, "mailto:", 7) == 0)
        return 1;
    char file[2048], where[4096];
    size_t file_len = strcspn(target, "#");
    const char *fragment = target[file_len] == '#' ? target + file_len + 1 : NULL;
    int dir_len = (int)(strrchr(path, '/') != NULL ? strrchr(path, '/') - path + 1 : 0);
    snprintf(file, sizeof file, "%.*s%.*s", dir_len, path, (int)file_len, target);
    snprintf(where, sizeof where, "%s/%s", NN_SOURCE_DIR, file);
    if (file_len > 0 && access(where, F_OK) != 0) {
        snprintf(why, size, "%s line %d: the link (%s) leads nowhere: there is no %s", path, line,
                 target, file);
        return 0;
    }
    if (fragment == NULL) return 1;
    char *linked = file_len == 0 ? NULL : read_text_file(where);
    int found = has_anchor(linked != NULL ? linked : text, fragment);
    free(linked);
    if (!found)
        snprintf(why, size,
                 "%s line %d: the link (%s) leads nowhere: %s has no heading whose "
                 "anchor is #%s",
                 path, line, target, file_len == 0 ? path : file, fragment);
    return found;
}

int find_broken_link(const char *path, char *why, size_t size)
{
    char *text = readme_text(path);
    int fenced = 0, line = 1, broken = 0;
    for (const char *p = text; *p != '\0' && !broken; p++) {
        if (p == text || p[-1] == '\n') fenced ^= is_fence(p);
        if (*p == '\n') line++;
        if (fenced || p[0] != ']' || p[1] != '(') continue;
        char target[1024];
        snprintf(target, sizeof target, "%.*s", (int)strcspn(p + 2, ") \n"), p + 2);
        broken = !link_leads_somewhere(path, line, text, target, why, size);
    }
    free(text);
    return broken;
}

void check_links(const char *path)
{
    char why[4096];
    ck_assert_msg(!find_broken_link(path, why, sizeof why), "%s", why);
}

/* ---- a chapter's lesson suite, and the appendix's ------------------------------------------- */

/* Every lesson suite made so far: a loop test's index picks its entry. */
static struct {
    const char *readme, *programs;
    int is_lesson; /* the appendix holds no word limit and need not quote or show */
} lessons[16];
static int lesson_count;

START_TEST(lesson_quotes_real_code)
{
    int quotes = check_lesson_quotes(lessons[_i].readme);
    ck_assert_msg(quotes > 0 || !lessons[_i].is_lesson, "%s quotes no code at all",
                  lessons[_i].readme);
}
END_TEST

START_TEST(lesson_shows_real_output)
{
    int shown = check_lesson_output(lessons[_i].readme, lessons[_i].programs);
    ck_assert_msg(shown > 0 || !lessons[_i].is_lesson, "%s shows no output of %s",
                  lessons[_i].readme, lessons[_i].programs);
}
END_TEST

START_TEST(lesson_fits_in_its_words)
{
    char *text = readme_text(lessons[_i].readme);
    size_t words = count_words(text);
    free(text);
    ck_assert_msg(words <= LESSON_WORDS,
                  "%s has %zu words, more than a lesson's %d: move tooling detail to "
                  "chapters/APPENDIX.md",
                  lessons[_i].readme, words, LESSON_WORDS);
}
END_TEST

START_TEST(lesson_links_lead_somewhere)
{
    check_links(lessons[_i].readme);
}
END_TEST

static Suite *checked_document(const char *name, const char *readme, const char *programs,
                               int is_lesson)
{
    if (lesson_count == (int)(sizeof lessons / sizeof lessons[0])) abort(); /* grow lessons[] */
    int i = lesson_count++;
    lessons[i].readme = readme, lessons[i].programs = programs, lessons[i].is_lesson = is_lesson;
    Suite *s = suite_create(name);
    TCase *tc = tcase_create("lesson");
    /* A lesson's long runs (NN_SLOW_LESSONS=1) train for minutes. */
    tcase_set_timeout(tc, getenv("NN_SLOW_LESSONS") != NULL ? 1200 : 120);
    tcase_add_loop_test(tc, lesson_quotes_real_code, i, i + 1);
    tcase_add_loop_test(tc, lesson_shows_real_output, i, i + 1);
    if (is_lesson) tcase_add_loop_test(tc, lesson_fits_in_its_words, i, i + 1);
    tcase_add_loop_test(tc, lesson_links_lead_somewhere, i, i + 1);
    suite_add_tcase(s, tc);
    return s;
}

Suite *lesson_suite(const char *name, const char *readme, const char *programs)
{
    return checked_document(name, readme, programs, 1);
}

Suite *appendix_suite(const char *name, const char *appendix, const char *programs)
{
    return checked_document(name, appendix, programs, 0);
}
