/* check_08_files.c: chapter 08's files. The model file: its layout byte by
 * byte, a round trip that gives back every bit, every kind of damage refused
 * with its own message, and a failed save (a full disk, an uncreatable file)
 * that leaves the previous model intact. The PGM reader on every variant and
 * every kind of damage. The MNIST-style preparation: size, centre, polarity. */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "digitize.h"
#include "file.h"
#include "model_file.h"
#include "pgm.h"
#include "support/model_bytes.h"
#include "support/testkit.h"

/* ---- the model file -------------------------------------------------------------------------- */

static Model *random_model(uint64_t seed)
{
    size_t sizes[] = {784, 12, 7, 10};
    Model *model = model_new(sizes, 4, 1);
    Rng rng;
    rng_seed(&rng, seed);
    model_init_he(model, &rng);
    for (size_t l = 0; l < model->count; l++) rng_fill_uniform(&rng, model->layers[l].b, -1, 1);
    return model;
}

static int same_parameters(const Model *a, const Model *b)
{
    if (a->count != b->count) return 0;
    for (size_t l = 0; l < a->count; l++) {
        const Layer *x = &a->layers[l], *y = &b->layers[l];
        if (x->inputs != y->inputs || x->units != y->units) return 0;
        if (memcmp(x->W->data, y->W->data, x->units * x->inputs * sizeof(real)) != 0) return 0;
        if (memcmp(x->b->data, y->b->data, x->units * sizeof(real)) != 0) return 0;
    }
    return 1;
}

START_TEST(crc32_has_its_published_check_value)
{
    ck_assert_uint_eq(crc32_of((const unsigned char *)"123456789", 9), 0xCBF43926u);
    ck_assert_uint_eq(crc32_of((const unsigned char *)"", 0), 0);
}
END_TEST

START_TEST(a_saved_model_loads_back_bit_for_bit)
{
    char dir[TESTKIT_DIR], path[64];
    testkit_make_dir(dir, "files");
    snprintf(path, sizeof path, "%s/m.nn", dir);
    Model *model = random_model(1);
    NnError err;
    ck_assert_msg(model_save(model, path, NULL, &err) == 0, "%s", err.message);
    Model *loaded = model_load(path, 5, NULL, &err);
    ck_assert_msg(loaded != NULL, "%s", err.message);
    ck_assert(same_parameters(model, loaded));
    ck_assert_uint_eq(loaded->batch, 5);
    ck_assert_msg(testkit_entries(dir) == 1, "a temporary file was left behind");
    model_free(model), model_free(loaded);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(the_file_is_laid_out_as_documented)
{
    char dir[TESTKIT_DIR], path[64];
    testkit_make_dir(dir, "files");
    snprintf(path, sizeof path, "%s/m.nn", dir);
    Model *model = random_model(2);
    NnError err;
    ck_assert(model_save(model, path, NULL, &err) == 0);
    size_t n;
    unsigned char *data = file_read_all(path, 1 << 24, "a model file", &n, &err);
    ck_assert(data != NULL);
    size_t numbers = 12 * 785 + 7 * 13 + 10 * 8;
    ck_assert_uint_eq(n, 20 + 4 * 4 + numbers * sizeof(real) + 4);
    ck_assert_mem_eq(data, "NNMODEL\0", 8);
    ck_assert_uint_eq(u32_at(data + 8), 1);
    ck_assert_uint_eq(u32_at(data + 12), sizeof(real));
    ck_assert_uint_eq(u32_at(data + 16), 4);
    const uint32_t sizes[] = {784, 12, 7, 10};
    for (size_t i = 0; i < 4; i++) ck_assert_uint_eq(u32_at(data + 20 + 4 * i), sizes[i]);
    real first_weight, first_bias;
    memcpy(&first_weight, data + 36, sizeof(real)); /* a little-endian machine */
    memcpy(&first_bias, data + 36 + 12 * 784 * sizeof(real), sizeof(real));
    ck_assert(first_weight == model->layers[0].W->data[0]);
    ck_assert(first_bias == model->layers[0].b->data[0]);
    ck_assert_uint_eq(u32_at(data + n - 4), crc32_of(data, n - 4));
    free(data), model_free(model);
    testkit_remove_dir(dir);
}
END_TEST

/* The bytes of a saved random model, to damage. */
static unsigned char *saved_bytes(size_t *n)
{
    char dir[TESTKIT_DIR], path[64];
    testkit_make_dir(dir, "files");
    snprintf(path, sizeof path, "%s/m.nn", dir);
    Model *model = random_model(3);
    NnError err;
    ck_assert(model_save(model, path, NULL, &err) == 0);
    unsigned char *data = file_read_all(path, 1 << 24, "a model file", n, &err);
    model_free(model);
    testkit_remove_dir(dir);
    return data;
}

/* Fails unless loading the n bytes, as a dense program does, is refused with `why`. */
static void assert_refused(const unsigned char *data, size_t n, const char *why)
{
    assert_model_refused(data, n, NULL, why);
}

START_TEST(every_kind_of_damage_is_refused_with_its_message)
{
    size_t n;
    unsigned char *data = saved_bytes(&n), *copy = malloc(n + 1);
    const size_t cuts[] = {0, 7, 8, 19, 30, 40, n / 2, n - 5, n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++)
        assert_refused(data, cuts[i], cuts[i] < 8 ? "not a model file" : "cut short");
    memcpy(copy, data, n), copy[n] = 0;
    assert_refused(copy, n + 1, "too long");
    memcpy(copy, data, n), copy[n / 2] ^= 0x10;
    assert_refused(copy, n, "the checksum does not match");
    memcpy(copy, data, n), copy[0] = 'X';
    assert_refused(copy, n, "not a model file");
    memcpy(copy, data, n), copy[8] = 3, fix_crc(copy, n);
    assert_refused(copy, n, "format version 3; this program reads version 2 and older");
    memcpy(copy, data, n), copy[12] = sizeof(real) == 4 ? 8 : 4, fix_crc(copy, n);
    assert_refused(copy, n, sizeof(real) == 4 ? "holds double numbers" : "holds float numbers");
    memcpy(copy, data, n), copy[12] = 3, fix_crc(copy, n);
    assert_refused(copy, n, "a scalar of 3 bytes");
    memcpy(copy, data, n), copy[16] = 1, fix_crc(copy, n);
    assert_refused(copy, n, "1 layer sizes");
    memcpy(copy, data, n), copy[16] = 17, fix_crc(copy, n);
    assert_refused(copy, n, "17 layer sizes");
    memcpy(copy, data, n), memset(copy + 24, 0, 4), fix_crc(copy, n);
    assert_refused(copy, n, "layer size 0");
    memcpy(copy, data, n), copy[24] = 13, fix_crc(copy, n); /* 13 units: the length is wrong */
    assert_refused(copy, n, "where its header says");
    size_t second_weight = 36 + sizeof(real), last_bias = n - 4 - sizeof(real);
    assert_number_refused(data, n, second_weight, (real)NAN, NULL, "W1[1] is not a finite number");
    assert_number_refused(data, n, last_bias, (real)INFINITY, NULL, "b3[9] is not a finite number");
    free(data), free(copy);
}
END_TEST

START_TEST(missing_and_unreadable_files_are_named)
{
    NnError err;
    ck_assert_ptr_null(model_load("/tmp/nn-no-such-model.nn", 1, NULL, &err));
    ck_assert_msg(strstr(err.message, "/tmp/nn-no-such-model.nn: cannot open it") != NULL, "%s",
                  err.message);
    ck_assert_ptr_null(model_load("/tmp", 1, NULL, &err));
    ck_assert_msg(strstr(err.message, "/tmp: cannot read it") != NULL, "%s", err.message);
}
END_TEST

/* A disk that takes no more than `bytes` more: every file this process
 * writes is cut there (RLIMIT_FSIZE; SIGXFSZ ignored, so a write past it
 * fails with EFBIG instead of stopping the process), as a full disk cuts it.
 * bytes 0 lifts the limit. */
static void limit_file_size(rlim_t bytes)
{
    static struct rlimit before;
    static int saved;
    if (!saved) saved = getrlimit(RLIMIT_FSIZE, &before) == 0;
    struct rlimit now = before;
    if (bytes != 0) now.rlim_cur = bytes;
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &now), 0);
    signal(SIGXFSZ, bytes != 0 ? SIG_IGN : SIG_DFL);
}

START_TEST(a_full_disk_keeps_the_previous_model)
{
    char dir[TESTKIT_DIR], path[64];
    testkit_make_dir(dir, "files");
    snprintf(path, sizeof path, "%s/m.nn", dir);
    Model *a = random_model(4), *b = random_model(5);
    NnError err;
    ck_assert(model_save(a, path, NULL, &err) == 0);
    limit_file_size(4096); /* the model is 40 KB */
    int saved = model_save(b, path, NULL, &err);
    limit_file_size(0);
    ck_assert_int_eq(saved, -1);
    ck_assert_msg(strstr(err.message, "writing it failed: File too large") &&
                      strstr(err.message, "the earlier file at") &&
                      strstr(err.message, "is unchanged"),
                  "%s", err.message);
    Model *back = model_load(path, 1, NULL, &err);
    ck_assert_msg(back != NULL, "the previous model is lost: %s", err.message);
    ck_assert(same_parameters(a, back));
    ck_assert_uint_eq(testkit_entries(dir), 1); /* the temporary file is gone */
    model_free(a), model_free(b), model_free(back);
    testkit_remove_dir(dir);
}
END_TEST

START_TEST(a_missing_folder_is_an_error_naming_the_path)
{
    Model *model = random_model(6);
    NnError err;
    ck_assert_int_eq(model_save(model, "/tmp/nn-no-such-folder/m.nn", NULL, &err), -1);
    ck_assert_msg(strstr(err.message, "/tmp/nn-no-such-folder/m.nn: cannot create a file in the "
                                      "folder /tmp/nn-no-such-folder: No such file or directory") &&
                      strstr(err.message, "(the model was not saved)"),
                  "%s", err.message);
    model_free(model);
}
END_TEST

/* Someone's link or folder at the name the save once used, <path>.tmp: the
 * save writes neither through it nor over it. */
START_TEST(what_is_at_a_temporary_name_is_left_alone)
{
    char dir[TESTKIT_DIR], path[64], link[80], victim[80], folder[80];
    testkit_make_dir(dir, "files");
    snprintf(path, sizeof path, "%s/m.nn", dir);
    snprintf(link, sizeof link, "%s/m.nn.tmp", dir);
    snprintf(victim, sizeof victim, "%s/victim", dir);
    snprintf(folder, sizeof folder, "%s/.m.nn.%ld-0.tmp", dir, (long)getpid());
    FILE *f = fopen(victim, "w");
    ck_assert(f != NULL && fputs("secret\n", f) >= 0 && fclose(f) == 0);
    ck_assert_int_eq(symlink("victim", link), 0);
    ck_assert_int_eq(mkdir(folder, 0755), 0);
    Model *model = random_model(7);
    NnError err;
    ck_assert_msg(model_save(model, path, NULL, &err) == 0, "%s", err.message);
    char *text = read_text_file(victim);
    ck_assert_str_eq(text, "secret\n");
    struct stat st;
    ck_assert(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    ck_assert(stat(folder, &st) == 0 && S_ISDIR(st.st_mode));
    ck_assert(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
    /* m.nn, the link, the folder, victim: no temporary file */
    ck_assert_uint_eq(testkit_entries(dir), 4);
    free(text), model_free(model);
    testkit_remove_dir(dir);
}
END_TEST

/* 0 if the model at path loads and is one of models[0..n-1], else 1: run in
 * a child process, as a reader apart from the savers (a process never writes
 * over a file it read, output.h, and the savers are forked from this one). */
static int holds_one_of(const char *path, Model *const *models, size_t n)
{
    NnError err;
    Model *back = model_load(path, 1, NULL, &err);
    int found = 0;
    for (size_t i = 0; back != NULL && i < n; i++) found |= same_parameters(back, models[i]);
    model_free(back);
    return found ? 0 : 1;
}

/* Eight processes save eight different models to one path at once, 20 times
 * over: each time the file is one of the eight, whole, and nothing else is
 * left in the folder. */
START_TEST(concurrent_saves_leave_one_whole_model)
{
    enum { SAVERS = 8, ROUNDS = 20 };
    char dir[TESTKIT_DIR], path[64];
    testkit_make_dir(dir, "files");
    snprintf(path, sizeof path, "%s/m.nn", dir);
    Model *models[SAVERS];
    for (size_t i = 0; i < SAVERS; i++) models[i] = random_model(100 + i);
    for (int round = 0; round < ROUNDS; round++) {
        pid_t child[SAVERS];
        for (size_t i = 0; i < SAVERS; i++) {
            child[i] = fork();
            ck_assert(child[i] >= 0);
            if (child[i] == 0)
                _exit(model_save(models[i], path, NULL, &(NnError){{0}}) == 0 ? 0 : 1);
        }
        for (size_t i = 0; i < SAVERS; i++) {
            int status;
            ck_assert_int_eq(waitpid(child[i], &status, 0), child[i]);
            ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "saver %zu failed", i);
        }
        pid_t reader = fork();
        ck_assert(reader >= 0);
        if (reader == 0) _exit(holds_one_of(path, models, SAVERS));
        int status;
        ck_assert_int_eq(waitpid(reader, &status, 0), reader);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "round %d: the file is not one of the saved models, whole", round);
        ck_assert_uint_eq(testkit_entries(dir), 1);
    }
    for (size_t i = 0; i < SAVERS; i++) model_free(models[i]);
    testkit_remove_dir(dir);
}
END_TEST

/* ---- PGM pictures ---------------------------------------------------------------------------- */

static int parse(const char *text, size_t n, PgmImage *img, NnError *err)
{
    return pgm_parse((const unsigned char *)text, n, "t.pgm", img, err);
}

START_TEST(pgm_variants_are_read)
{
    PgmImage img;
    NnError err;
    static const char p5[] = "P5\n# a comment\n3 2\n255\n\x00\x80\xff\x10\x20\x30";
    ck_assert_msg(parse(p5, sizeof p5 - 1, &img, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(img.width, 3);
    ck_assert_uint_eq(img.height, 2);
    ck_assert_double_eq_tol(img.grey[1], 128.0 / 255, 1e-12);
    ck_assert(img.grey[0] == 0 && img.grey[2] == 1);
    pgm_free(&img);
    static const char wide[] = "P5 2 1 65535 \x01\x00\xff\xff";
    ck_assert_msg(parse(wide, sizeof wide - 1, &img, &err) == 0, "%s", err.message);
    ck_assert_double_eq_tol(img.grey[0], 256.0 / 65535, 1e-12);
    ck_assert(img.grey[1] == 1);
    pgm_free(&img);
    static const char plain[] = "P2\n2 2 # width and height\n15\n0 15\n 7 # seven\n3\n";
    ck_assert_msg(parse(plain, sizeof plain - 1, &img, &err) == 0, "%s", err.message);
    ck_assert_double_eq_tol(img.grey[2], 7.0 / 15, 1e-12);
    pgm_free(&img);
}
END_TEST

static const char *const bad_pgm[][2] = {
    {"P6\n1 1\n255\n\x01", "not a PGM picture"},
    {"", "not a PGM picture"},
    {"P5\n", "where the width should be"},
    {"P5\n3", "where the height should be"},
    {"P5\n3 2", "where the maxval should be"},
    {"P5 0 2 255 ", "0×2 pixels"},
    {"P5 5000 2 255 ", "5000×2 pixels"},
    {"P5 2 2 0 ", "maxval 0"},
    {"P5 2 2 70000 ", "maxval 70000"},
    {"P5 2 2 255", "no whitespace after the header"},
    {"P5 2 2 255 \x01\x02\x03", "cut short: 3 of 4 pixels"},
    {"P2 2 1 15 3 16", "pixel 1 is 16, above maxval 15"},
    {"P2 2 1 15 3 x", "cut short: 1 of 2 pixels"},
    {"P5 2 1 65535 \x01\x02\xff", "cut short: 1 of 2 pixels"},
    {"P5 -2 1 255 ", "where the width should be"},
    {"P5 99999999999 1 255 ", "where the width should be"},
};

START_TEST(bad_pgm_is_refused_with_its_message)
{
    PgmImage img;
    NnError err;
    const char *text = bad_pgm[_i][0];
    ck_assert_msg(parse(text, strlen(text), &img, &err) == -1, "accepted: %s", text);
    ck_assert_msg(strstr(err.message, bad_pgm[_i][1]) != NULL, "expected \"%s\" in: %s",
                  bad_pgm[_i][1], err.message);
    ck_assert_ptr_null(img.grey);
}
END_TEST

/* ---- MNIST-style preparation ----------------------------------------------------------------- */

/* A w × h picture of paper grey `paper` with a rectangle of ink grey `ink`
 * over columns x0..x1-1 and rows y0..y1-1. */
static PgmImage rectangle(size_t w, size_t h, size_t x0, size_t y0, size_t x1, size_t y1,
                          double paper, double ink)
{
    PgmImage img = {w, h, 255, malloc(w * h * sizeof(double))};
    for (size_t y = 0; y < h; y++)
        for (size_t x = 0; x < w; x++)
            img.grey[y * w + x] = x >= x0 && x < x1 && y >= y0 && y < y1 ? ink : paper;
    return img;
}

/* The box of pixels above zero, and the centre of mass, of a 28×28 digit. */
static void measure(const unsigned char *d, size_t *bw, size_t *bh, double *cx, double *cy)
{
    size_t x0 = DIGIT_SIDE, y0 = DIGIT_SIDE, x1 = 0, y1 = 0;
    double mass = 0, mx = 0, my = 0;
    for (size_t y = 0; y < DIGIT_SIDE; y++)
        for (size_t x = 0; x < DIGIT_SIDE; x++) {
            double v = d[y * DIGIT_SIDE + x];
            if (v == 0) continue;
            x0 = x < x0 ? x : x0, y0 = y < y0 ? y : y0;
            x1 = x + 1 > x1 ? x + 1 : x1, y1 = y + 1 > y1 ? y + 1 : y1;
            mass += v, mx += v * ((double)x + 0.5), my += v * ((double)y + 0.5);
        }
    *bw = x1 - x0, *bh = y1 - y0, *cx = mx / mass, *cy = my / mass;
}

START_TEST(a_digit_is_scaled_into_20_and_centred_by_its_mass)
{
    /* A tall bar of ink, 30×80, in the top-left corner of a 300×200 page. */
    PgmImage img = rectangle(300, 200, 10, 5, 40, 85, 0.95, 0.1);
    unsigned char d[DIGIT_SIDE * DIGIT_SIDE];
    NnError err;
    ck_assert_msg(digitize(&img, "bar", d, &err) == 0, "%s", err.message);
    size_t bw, bh;
    double cx, cy;
    measure(d, &bw, &bh, &cx, &cy);
    ck_assert_uint_eq(bh, 20); /* the long side fills the box */
    ck_assert_uint_eq(bw, 8);  /* 30 × 20/80 = 7.5, kept in proportion */
    ck_assert_double_le(fabs(cx - 14), 0.5);
    ck_assert_double_le(fabs(cy - 14), 0.5);
    ck_assert_uint_eq(d[14 * DIGIT_SIDE + 14], 255); /* the inside is full ink */
    free(img.grey);
}
END_TEST

START_TEST(light_ink_on_dark_paper_gives_the_same_digit)
{
    PgmImage dark_ink = rectangle(60, 90, 20, 10, 35, 70, 0.9, 0.1);
    PgmImage light_ink = rectangle(60, 90, 20, 10, 35, 70, 0.1, 0.9);
    unsigned char a[DIGIT_SIDE * DIGIT_SIDE], b[DIGIT_SIDE * DIGIT_SIDE];
    NnError err;
    ck_assert(digitize(&dark_ink, "a", a, &err) == 0 && digitize(&light_ink, "b", b, &err) == 0);
    ck_assert_mem_eq(a, b, sizeof a);
    free(dark_ink.grey), free(light_ink.grey);
}
END_TEST

START_TEST(a_small_picture_is_scaled_up)
{
    PgmImage img = rectangle(6, 6, 1, 1, 5, 5, 1, 0);
    unsigned char d[DIGIT_SIDE * DIGIT_SIDE];
    NnError err;
    ck_assert(digitize(&img, "small", d, &err) == 0);
    size_t bw, bh;
    double cx, cy;
    measure(d, &bw, &bh, &cx, &cy);
    ck_assert_uint_eq(bw, 20);
    ck_assert_uint_eq(bh, 20);
    free(img.grey);
}
END_TEST

START_TEST(a_blank_picture_is_an_error)
{
    PgmImage img = rectangle(50, 50, 0, 0, 0, 0, 0.8, 0.8);
    unsigned char d[DIGIT_SIDE * DIGIT_SIDE];
    NnError err;
    ck_assert_int_eq(digitize(&img, "blank.pgm", d, &err), -1);
    ck_assert_msg(strstr(err.message, "blank.pgm: no ink") != NULL, "%s", err.message);
    free(img.grey);
}
END_TEST

Suite *suite_08_files(void);
Suite *suite_08_files(void)
{
    Suite *s = suite_create("08 files");
    TCase *model = tcase_create("model file");
    tcase_add_test(model, crc32_has_its_published_check_value);
    tcase_add_test(model, a_saved_model_loads_back_bit_for_bit);
    tcase_add_test(model, the_file_is_laid_out_as_documented);
    tcase_add_test(model, every_kind_of_damage_is_refused_with_its_message);
    tcase_add_test(model, missing_and_unreadable_files_are_named);
    tcase_add_test(model, a_full_disk_keeps_the_previous_model);
    tcase_add_test(model, a_missing_folder_is_an_error_naming_the_path);
    tcase_add_test(model, what_is_at_a_temporary_name_is_left_alone);
    tcase_add_test(model, concurrent_saves_leave_one_whole_model);
    suite_add_tcase(s, model);
    TCase *pgm = tcase_create("pgm");
    tcase_add_test(pgm, pgm_variants_are_read);
    tcase_add_loop_test(pgm, bad_pgm_is_refused_with_its_message, 0,
                        sizeof bad_pgm / sizeof bad_pgm[0]);
    suite_add_tcase(s, pgm);
    TCase *digits = tcase_create("digitize");
    tcase_add_test(digits, a_digit_is_scaled_into_20_and_centred_by_its_mass);
    tcase_add_test(digits, light_ink_on_dark_paper_gives_the_same_digit);
    tcase_add_test(digits, a_small_picture_is_scaled_up);
    tcase_add_test(digits, a_blank_picture_is_an_error);
    suite_add_tcase(s, digits);
    return s;
}
