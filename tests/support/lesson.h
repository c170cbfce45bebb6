/* lesson.h: the lesson checks. A chapter's README tells the truth: the code it
 * quotes is still in the source it names, the output it shows is what the
 * program prints, it fits in a lesson's words, and its links lead somewhere.
 *
 * Lesson markers, in a chapter README (an HTML comment right before a fence):
 *   <!-- quote: lib/matrix.c -->      the next fenced block appears verbatim in
 *                                     lib/matrix.c; a line holding only "..."
 *                                     elides, and the pieces must come in order
 *   <!-- output: ch01-matrices ARGS | varies: GFLOP/s, s | needs: mnist -->
 *                                     the next fenced block is exactly what
 *                                     `build/ch01-matrices ARGS` prints on stdout,
 *                                     except numbers followed by a unit listed
 *                                     in "varies" (timings); "needs: mnist"
 *                                     marks a run on the full MNIST set: without
 *                                     it in data/, the run uses the sample and
 *                                     every number is masked (it says so);
 *                                     "needs: mnist, time" marks a run too long
 *                                     for `make test`: it is checked only when
 *                                     NN_SLOW_LESSONS=1 is set (make
 *                                     test-long-lessons sets it; CI runs it);
 *                                     "exit: 1" marks a run that fails: it
 *                                     must exit with that status, and the
 *                                     block shows stderr and stdout together
 *                                     (the error message). "processes: 2"
 *                                     runs it with mpirun on 2 processes
 *                                     (chapter 11), even as root. Every block
 *                                     must name one of the lesson's programs.
 *
 * Each output block's fate (checked exactly, checked with every number masked,
 * or skipped, and why) is added to <build>/tests/lesson-blocks.tsv, which
 * `make test` sums up in its last line (tests/support/lesson-tally.awk). */
#ifndef NN_LESSON_H
#define NN_LESSON_H

#include <check.h>
#include <stddef.h>

/* A lesson's most words, counted as `wc -w` counts them (code and markers
 * included): the idea, the math, the code, the output, the exercises; tooling
 * detail goes to chapters/APPENDIX.md. */
enum { LESSON_WORDS = 3500 };

/* Checks every quote marker of the README at `readme_path` (relative to the
 * source tree). Fails on the first quote that no longer matches its source.
 * Returns the number of quotes checked. */
int check_lesson_quotes(const char *readme_path);

/* Checks every output marker of the README; each must name one of `programs`
 * (space-separated). Fails when a program's output differs from the block,
 * naming the first differing line. Returns the number of blocks checked. */
int check_lesson_output(const char *readme_path, const char *programs);

/* True when the markdown file at `path` holds a relative link (or picture) to
 * a file that does not exist, or to a #fragment that is none of the anchors
 * GitHub gives the target's headings; why[size] then says which, where. Links
 * in fenced code are not links. check_links fails the test on the first. */
int find_broken_link(const char *path, char *why, size_t size);
void check_links(const char *path);

/* A suite of four tests: the README's quotes, its shown output (of
 * build/<program> for each of the space-separated programs), its words and its
 * links. One chapter's lesson per test runner. */
Suite *lesson_suite(const char *name, const char *readme, const char *programs);

/* The same checks of quotes, output and links for chapters/APPENDIX.md, the
 * lessons' tooling detail, whose blocks may show any of `programs`. */
Suite *appendix_suite(const char *name, const char *appendix, const char *programs);

#endif
