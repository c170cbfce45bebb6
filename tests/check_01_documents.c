/* check_01_documents.c: the documents around the lessons lead somewhere. Every relative link
 * and picture in the top README, lib/README.md, data/README.md and each chapter's ANSWERS.md
 * names a file that exists and, with a #fragment, one of its headings (the lessons' own links,
 * and the appendix's, are checked by their lesson suites). */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>

#include "support/lesson.h"

static const char *const documents[] = {"README.md", "lib/README.md", "data/README.md",
                                        "chapters/*/ANSWERS.md"};

START_TEST(every_link_leads_somewhere)
{
    char pattern[1024];
    snprintf(pattern, sizeof pattern, "%s/%s", NN_SOURCE_DIR, documents[_i]);
    glob_t found;
    ck_assert_msg(glob(pattern, 0, NULL, &found) == 0 && found.gl_pathc > 0, "no %s",
                  documents[_i]);
    for (size_t i = 0; i < found.gl_pathc; i++)
        check_links(found.gl_pathv[i] + strlen(NN_SOURCE_DIR) + 1);
    globfree(&found);
}
END_TEST

/* The link check itself: it passes links that lead somewhere (to files, folders, headings,
 * repeated headings, the web; and not in fenced code), and names the first broken one. */
START_TEST(the_link_check_finds_what_is_broken)
{
    char why[4096] = "";
    ck_assert_msg(!find_broken_link("tests/fixtures/links/good.md", why, sizeof why), "%s", why);
    ck_assert(find_broken_link("tests/fixtures/links/bad-anchor.md", why, sizeof why));
    ck_assert_str_eq(why, "tests/fixtures/links/bad-anchor.md line 4: the link "
                          "(good.md#no-such-heading) leads nowhere: tests/fixtures/links/good.md "
                          "has no heading whose anchor is #no-such-heading");
    ck_assert(find_broken_link("tests/fixtures/links/bad-file.md", why, sizeof why));
    ck_assert_str_eq(why, "tests/fixtures/links/bad-file.md line 4: the link (../figures/none.png) "
                          "leads nowhere: there is no tests/fixtures/links/../figures/none.png");
}
END_TEST

Suite *suite_01_documents(void);
Suite *suite_01_documents(void)
{
    Suite *s = suite_create("01 documents");
    TCase *tc = tcase_create("links");
    tcase_add_test(tc, the_link_check_finds_what_is_broken);
    tcase_add_loop_test(tc, every_link_leads_somewhere, 0, sizeof documents / sizeof documents[0]);
    suite_add_tcase(s, tc);
    return s;
}
