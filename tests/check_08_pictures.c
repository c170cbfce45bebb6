/* check_08_pictures.c: the inputs of predict, used with hostile intent (issue 14).
 * The PGM reader follows netpbm's rules to the letter (lib/pgm.c says which):
 * every rule on a picture that uses it, every error on a picture that breaks
 * it, with a message saying what is wrong and where. A model whose weights are
 * finite but so large that its outputs overflow is reported, not printed as
 * "-nan%". An error about a path of thousands of characters keeps its reason.
 * The model-file fuzzer's mutator makes files the loader takes from any bytes,
 * so that fuzzing needs no seeds to get past the length and the checksum. */
#include <check.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "convnet.h"
#include "fuzz/fuzz.h"
#include "model_file.h"
#include "pgm.h"
#include "support/testkit.h"

/* ---- the rules: each picture is read as libnetpbm 11 reads it -------------------------------- */

/* A picture in its bytes (n of them; 0 means up to the NUL), and the first
 * grey values it must give, with maxval as the header has it. */
static const struct {
    const char *why, *bytes;
    size_t n;
    unsigned maxval;
    long first[2];
} good_pgm[] = {
    {"a comment right after maxval; its LF is the one whitespace",
     "P5 2 1 255# GIMP\nAB",
     0,
     255,
     {'A', 'B'}},
    {"a comment after maxval ended by CR", "P5 2 1 255# old Mac\rAB", 0, 255, {'A', 'B'}},
    {"a P2 comment right after maxval", "P2 2 1 25#c\n5 0", 0, 25, {5, 0}},
    {"comments ended by CR between the fields", "P2\r# a\r2 1\r# b\r15\r3 4\r", 0, 15, {3, 4}},
    {"a comment right after a field's digits", "P5 2# width\n1 255\nAB", 0, 255, {'A', 'B'}},
    {"after the one whitespace, '#' is a pixel", "P5 2 1 255\n# ", 0, 255, {'#', ' '}},
    {"after the one whitespace, LF is a pixel", "P5 2 1 255\n\nA", 0, 255, {'\n', 'A'}},
    {"CR LF after maxval: LF is pixel 0", "P5 2 1 255\r\nA", 0, 255, {'\n', 'A'}},
    {"VT and FF are whitespace", "P2\v2\f1\v15\f7\v8", 0, 15, {7, 8}},
    {"VT as the one whitespace before P5 pixels", "P5 2 1 255\vAB", 0, 255, {'A', 'B'}},
    {"a P2 value of any length",
     "P2 2 1 255\n0000000000000000000255 00000000000001\n",
     0,
     255,
     {255, 1}},
    {"comments between P2 values", "P2 2 1 9\n1 # one\n# two\n2\n", 0, 9, {1, 2}},
    {"the last P2 value may end the file", "P2 2 1 9\n1 2", 0, 9, {1, 2}},
    {"bytes after the pixels: the next picture", "P5 1 2 255\n\x01\x02P5 9 9 9\n", 0, 255, {1, 2}},
    {"16-bit pixels, most significant first",
     "P5 2 1 65535\n\x01\x00\xff\xff",
     17,
     65535,
     {256, 65535}},
    {"a zero byte is a pixel", "P5 2 1 255\n\0\x07", 13, 255, {0, 7}},
};

START_TEST(a_picture_is_read_as_netpbm_reads_it)
{
    size_t n = good_pgm[_i].n ? good_pgm[_i].n : strlen(good_pgm[_i].bytes);
    PgmImage img;
    NnError err;
    ck_assert_msg(pgm_parse((const unsigned char *)good_pgm[_i].bytes, n, "t.pgm", &img, &err) == 0,
                  "%s: refused: %s", good_pgm[_i].why, err.message);
    ck_assert_uint_eq(img.maxval, good_pgm[_i].maxval);
    ck_assert_uint_eq(img.width * img.height, 2);
    for (int i = 0; i < 2; i++)
        ck_assert_msg(img.grey[i] * img.maxval == (double)good_pgm[_i].first[i],
                      "%s: pixel %d is %g, not %ld", good_pgm[_i].why, i, img.grey[i] * img.maxval,
                      good_pgm[_i].first[i]);
    pgm_free(&img);
}
END_TEST

/* ---- the errors: what was wrong and where, each ---------------------------------------------- */

static const char *const bad_pgm[][2] = {
    {"P5", "the file ends where the width should be"},
    {"P5 3 # two\n", "the file ends where the height should be"},
    {"P5 3 2\n#", "the file ends where the maxval should be"},
    {"P52 1 255\nAB", "'2' right after P5"},
    {"P5 -2 1 255\n", "a negative number, -2, where the width should be"},
    {"P2 2 -1 255\n", "a negative number, -1, where the height should be"},
    {"P5 2 x 255\n", "'x' where the height should be"},
    {"P5 \x01 1 255\n", "byte 0x01 where the width should be"},
    {"P5 2x 1 255\n", "'x' right after the width, 2"},
    {"P5 2 1 255x\n", "'x' right after the maxval, 255"},
    {"P5 99999999999999999999999999999 1 255\n",
     "999999999999999999999999… where the width should be: far too large"},
    {"P5 2 5000 255\n", "2×5000 pixels: the height is out of range"},
    {"P5 0 2 255\n", "0×2 pixels: the width is out of range"},
    {"P5 2 2 65536\n", "maxval 65536 is out of range"},
    {"P5 2 2 255", "the file ends after the maxval"},
    {"P5 2 2 255# a comment to the end", "the file ends after the maxval"},
    {"P5 2 2 255\n\x01\x02\x03", "the file ends where pixel 3 (x = 1, y = 1) should be"},
    {"P5 2 1 65535\n\x01\x02\xff", "the file ends where pixel 1 (x = 1, y = 0) should be"},
    {"P5 3 1 100\n\x01\x65\x02", "pixel 1 is 101, above maxval 100 (at x = 1, y = 0)"},
    {"P5 1 1 1000\n\x03\xe9", "pixel 0 is 1001, above maxval 1000 (at x = 0, y = 0)"},
    {"P2 2 2 15\n1 2\n3 -4\n", "pixel 3 (x = 1, y = 1) is negative, -4"},
    {"P2 3 1 15\n1 16 2\n", "pixel 1 is 16, above maxval 15 (at x = 1, y = 0)"},
    {"P2 1 1 15\n000000000000000000016\n", "pixel 0 is 000000000000000000016, above maxval 15"},
    {"P2 2 1 15\n3 x\n", "then 'x' where pixel 1 (x = 1, y = 0) should be"},
    {"P2 2 1 15\n3 +4\n", "then '+' where pixel 1 (x = 1, y = 0) should be"},
    {"P2 2 1 15\n3 4x\n", "'x' right after pixel 1 (x = 1, y = 0), 4"},
    {"P2 2 1 15\n3,4\n", "',' right after pixel 0 (x = 0, y = 0), 3"},
};

START_TEST(a_broken_picture_is_refused_saying_what_and_where)
{
    const char *text = bad_pgm[_i][0];
    size_t n = strlen(text);
    PgmImage img;
    NnError err;
    ck_assert_msg(pgm_parse((const unsigned char *)text, n, "t.pgm", &img, &err) == -1,
                  "accepted: %s", text);
    ck_assert_msg(strncmp(err.message, "t.pgm: ", 7) == 0 && strstr(err.message, bad_pgm[_i][1]),
                  "expected \"t.pgm: ...%s...\" in: %s", bad_pgm[_i][1], err.message);
    ck_assert_ptr_null(img.grey);
}
END_TEST

/* ---- a model whose outputs overflow ---------------------------------------------------------- */

/* Saves at path a 784-8-10 model whose every weight is a quarter of the
 * largest finite real: a valid file, each number finite, its CRC right. */
static void save_huge_model(const char *path)
{
    size_t sizes[] = {784, 8, 10};
    Model *model = model_new(sizes, 3, 1);
    real huge = (real)((sizeof(real) == sizeof(float) ? FLT_MAX : DBL_MAX) / 4);
    for (size_t l = 0; l < model->count; l++) {
        Matrix *W = model->layers[l].W;
        for (size_t i = 0; i < W->rows * W->cols; i++) W->data[i] = huge;
    }
    NnError err;
    ck_assert_msg(model_save(model, path, NULL, &err) == 0, "%s", err.message);
    model_free(model);
}

START_TEST(a_model_whose_outputs_overflow_is_reported_not_printed_as_nan)
{
    char dir[] = "/tmp/nn-pictures-XXXXXX", model[64], command[512];
    ck_assert(mkdtemp(dir) != NULL);
    snprintf(model, sizeof model, "%s/huge.nn", dir);
    save_huge_model(model);
    const char *picture = "chapters/08-using-the-network/digits/3.pgm";
    snprintf(command, sizeof command, "'%s'/predict --model %s %s 2>&1", NN_BUILD_DIR, model,
             picture);
    int status;
    char *out = run_command(command, &status);
    char expected[256];
    snprintf(expected, sizeof expected,
             "predict: %s: the model %s gives outputs that are not finite numbers: its weights "
             "are so large that the sums overflow; train it again",
             picture, model);
    ck_assert_msg(status == 1, "predict exited with status %d, not 1:\n%s", status, out);
    ck_assert_msg(strstr(out, expected) != NULL, "expected \"%s\" in:\n%s", expected, out);
    ck_assert_msg(strstr(out, "nan") == NULL, "printed a NaN:\n%s", out);
    free(out);
    ck_assert_int_eq(unlink(model), 0);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* ---- an error about a path of thousands of characters ---------------------------------------- */

/* A path of `parts` folders named `part`, under /tmp, ending in missing.pgm; malloc'd. */
static char *long_path(const char *part, size_t parts)
{
    size_t n = strlen(part) + 1;
    char *path = malloc(5 + parts * n + sizeof "missing.pgm");
    strcpy(path, "/tmp/");
    for (size_t i = 0; i < parts; i++) strcat(strcat(path, part), "/");
    return strcat(path, "missing.pgm");
}

/* What follows the path in the message, as a short path gets it. */
static const char *reason_for_missing(NnError *err)
{
    PgmImage img;
    ck_assert_int_eq(pgm_read("/tmp/nn-no-such-picture.pgm", &img, err), -1);
    return err->message + strlen("/tmp/nn-no-such-picture.pgm");
}

START_TEST(a_long_paths_message_keeps_its_reason_and_its_start)
{
    char *path = long_path("folder", 500); /* 3,516 characters: more than the buffer */
    NnError short_err, err;
    const char *reason = reason_for_missing(&short_err);
    PgmImage img;
    ck_assert_int_eq(pgm_read(path, &img, &err), -1);
    size_t n = strlen(err.message);
    ck_assert_msg(n >= strlen(reason) && strcmp(err.message + n - strlen(reason), reason) == 0,
                  "the reason \"%s\" is not at the end of: %s", reason, err.message);
    ck_assert_msg(strncmp(err.message, path, 200) == 0, "the path's start is lost: %.300s",
                  err.message);
    ck_assert_msg(strstr(err.message, "…") != NULL, "nothing says the path was shortened: %s",
                  err.message);
    free(path);
}
END_TEST

/* 1 if the text is whole UTF-8: every lead byte followed by its continuation bytes. */
static int whole_utf8(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0';) {
        int more = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : 3;
        if (*p >= 0x80 && (*p & 0xC0) == 0x80) return 0; /* a continuation with no lead */
        for (p++; more > 0; more--, p++)
            if ((*p & 0xC0) != 0x80) return 0;
    }
    return 1;
}

START_TEST(a_long_path_is_never_cut_inside_a_character)
{
    char *path = long_path("éé", 700); /* 3,516 bytes of two-byte characters and slashes */
    NnError short_err, err;
    const char *reason = reason_for_missing(&short_err);
    PgmImage img;
    ck_assert_int_eq(pgm_read(path, &img, &err), -1);
    ck_assert_msg(whole_utf8(err.message), "a character was cut: %s", err.message);
    ck_assert_msg(strstr(err.message, reason) != NULL, "the reason is lost: %s", err.message);
    free(path);
}
END_TEST

/* ---- the model-file fuzzer's mutator --------------------------------------------------------- */

START_TEST(the_model_file_mutator_makes_loadable_files_from_any_bytes)
{
    enum { TRIES = 2000, MOST = 4096 };
    static uint8_t data[MOST];
    uint32_t noise = 12345;
    size_t loaded[2] = {0}; /* of version 1, of version 2 */
    for (unsigned seed = 1; seed <= TRIES; seed++) {
        size_t n = seed % 97; /* some bytes of noise, libFuzzer's stand-in */
        for (size_t i = 0; i < n; i++, noise = noise * 1103515245u + 12345)
            data[i] = (uint8_t)(noise >> 16);
        size_t length = fuzz_model_file_mutate(data, n, MOST, seed);
        ck_assert_uint_le(length, MOST);
        NnError err;
        Model *model = model_from_bytes(data, length, "m.nn", 1, &CONVNET_MAKER, &err);
        if (model != NULL) loaded[data[8] == 2]++;
        model_free(model);
    }
    /* 7 in 8 rebuilt, 7 in 8 of those left whole: about 3 in 4, less a few NaNs, of
     * either version about as often */
    size_t all = loaded[0] + loaded[1];
    ck_assert_msg(all >= TRIES / 2, "%zu of %d mutated inputs loaded", all, TRIES);
    ck_assert_msg(all < TRIES, "no mutated input was left broken");
    ck_assert_msg(loaded[0] >= TRIES / 5 && loaded[1] >= TRIES / 5,
                  "%zu files of version 1 and %zu of version 2 loaded", loaded[0], loaded[1]);
}
END_TEST

Suite *suite_08_pictures(void);
Suite *suite_08_pictures(void)
{
    Suite *s = suite_create("08 pictures");
    TCase *pgm = tcase_create("pgm");
    tcase_add_loop_test(pgm, a_picture_is_read_as_netpbm_reads_it, 0,
                        sizeof good_pgm / sizeof good_pgm[0]);
    tcase_add_loop_test(pgm, a_broken_picture_is_refused_saying_what_and_where, 0,
                        sizeof bad_pgm / sizeof bad_pgm[0]);
    suite_add_tcase(s, pgm);
    TCase *model = tcase_create("overflowing model");
    tcase_add_test(model, a_model_whose_outputs_overflow_is_reported_not_printed_as_nan);
    suite_add_tcase(s, model);
    TCase *paths = tcase_create("long paths");
    tcase_add_test(paths, a_long_paths_message_keeps_its_reason_and_its_start);
    tcase_add_test(paths, a_long_path_is_never_cut_inside_a_character);
    suite_add_tcase(s, paths);
    TCase *fuzz = tcase_create("fuzzing");
    tcase_add_test(fuzz, the_model_file_mutator_makes_loadable_files_from_any_bytes);
    suite_add_tcase(s, fuzz);
    return s;
}
