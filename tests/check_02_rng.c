/* check_02_rng.c: chapter 02's random numbers are deterministic and sound.
 *
 * Pinned outputs make sure the same seed gives the same numbers on every
 * platform and compiler; the statistical tests catch a generator or a draw
 * that is biased (they use fixed seeds, so they cannot flake). */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "rng.h"

START_TEST(seeding_matches_splitmix64_reference)
{
    /* splitmix64's first output from 0 is 0xe220a8397b1dcdaf (Vigna's reference code). */
    Rng rng;
    rng_seed(&rng, 0);
    ck_assert_uint_eq(rng.s[0], 0xe220a8397b1dcdafu);
}
END_TEST

START_TEST(same_seed_same_numbers)
{
    Rng rng;
    rng_seed(&rng, 1);
    ck_assert_uint_eq(rng_next(&rng), 0xb3f2af6d0fc710c5u);
    ck_assert_uint_eq(rng_next(&rng), 0x853b559647364ceau);
    ck_assert_uint_eq(rng_next(&rng), 0x92f89756082a4514u);
    rng_seed(&rng, 42);
    ck_assert_double_eq(rng_uniform(&rng), 0.083862971059882163);
    ck_assert_double_eq(rng_uniform(&rng), 0.37898025066266861);
    rng_seed(&rng, 42);
    ck_assert_double_eq_tol(rng_normal(&rng), -0.72621913824478568, 1e-15);
    ck_assert_double_eq_tol(rng_normal(&rng), -0.21119691823195985, 1e-15);
    ck_assert_double_eq_tol(rng_normal(&rng), 0.22162270150359331, 1e-15);
}
END_TEST

START_TEST(shuffle_is_pinned_and_a_permutation)
{
    Rng rng;
    rng_seed(&rng, 7);
    size_t index[10], expected[10] = {8, 3, 9, 0, 7, 2, 1, 6, 5, 4};
    for (size_t i = 0; i < 10; i++) index[i] = i;
    rng_shuffle(&rng, index, 10);
    for (size_t i = 0; i < 10; i++) ck_assert_uint_eq(index[i], expected[i]);
}
END_TEST

START_TEST(shuffle_is_uniform)
{
    /* Each of the 3 items lands in each of the 3 places about 1/3 of the time. */
    Rng rng;
    rng_seed(&rng, 3);
    int count[3][3] = {{0}};
    for (int trial = 0; trial < 30000; trial++) {
        size_t index[3] = {0, 1, 2};
        rng_shuffle(&rng, index, 3);
        for (int place = 0; place < 3; place++) count[index[place]][place]++;
    }
    for (int item = 0; item < 3; item++)
        for (int place = 0; place < 3; place++)
            ck_assert_msg(abs(count[item][place] - 10000) < 400, "item %d at place %d: %d times",
                          item, place, count[item][place]);
}
END_TEST

START_TEST(uniform_and_below_stay_in_range)
{
    Rng rng;
    rng_seed(&rng, 5);
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        double u = rng_uniform(&rng);
        ck_assert(u >= 0 && u < 1);
        sum += u;
        ck_assert_uint_lt(rng_below(&rng, 7), 7);
    }
    ck_assert_double_eq_tol(sum / 100000, 0.5, 0.005);
}
END_TEST

START_TEST(normal_has_mean_0_and_variance_1)
{
    Rng rng;
    rng_seed(&rng, 11);
    double sum = 0, sum_sq = 0;
    int n = 200000;
    for (int i = 0; i < n; i++) {
        double z = rng_normal(&rng);
        sum += z, sum_sq += z * z;
    }
    ck_assert_double_eq_tol(sum / n, 0, 0.01);
    ck_assert_double_eq_tol(sum_sq / n, 1, 0.01);
}
END_TEST

START_TEST(fills_respect_their_ranges)
{
    Rng rng;
    rng_seed(&rng, 13);
    Matrix *M = mat_new(100, 100);
    rng_fill_uniform(&rng, M, -0.5, 0.5);
    for (size_t i = 0; i < 10000; i++) ck_assert(M->data[i] >= -0.5 && M->data[i] < 0.5);
    rng_fill_normal(&rng, M, 3);
    double sum_sq = 0;
    for (size_t i = 0; i < 10000; i++) sum_sq += (double)M->data[i] * M->data[i];
    ck_assert_double_eq_tol(sqrt(sum_sq / 10000), 3, 0.1);
    mat_free(M);
}
END_TEST

Suite *suite_02_rng(void);
Suite *suite_02_rng(void)
{
    Suite *s = suite_create("02 rng");
    TCase *tc = tcase_create("rng");
    tcase_add_test(tc, seeding_matches_splitmix64_reference);
    tcase_add_test(tc, same_seed_same_numbers);
    tcase_add_test(tc, shuffle_is_pinned_and_a_permutation);
    tcase_add_test(tc, shuffle_is_uniform);
    tcase_add_test(tc, uniform_and_below_stay_in_range);
    tcase_add_test(tc, normal_has_mean_0_and_variance_1);
    tcase_add_test(tc, fills_respect_their_ranges);
    suite_add_tcase(s, tc);
    return s;
}
