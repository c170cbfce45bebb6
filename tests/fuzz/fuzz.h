/* fuzz.h: the fuzz targets, one per parser of outside input. Each takes any
 * bytes, feeds them to the real parser the programs use, and checks what
 * must hold whatever the bytes: a refusal comes with a message naming the
 * input and leaves nothing allocated; an acceptance gives a result within
 * the documented limits. A broken promise aborts, which libFuzzer (and the
 * Check suite that replays the corpus, check_08_fuzzed.c) reports.
 *
 * `make fuzz` builds each with libfuzzer.c into build/fuzz/fuzz_<name> and
 * runs it on a copy of tests/fuzz/corpus/<name>/ and tests/fuzz/regressions/<name>/. */
#ifndef NN_FUZZ_H
#define NN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Stops with the message when cond does not hold: a bug the bytes found. */
#define FUZZ_CHECK(cond, ...)                                                                      \
    ((cond) ? (void)0                                                                              \
            : (fprintf(stderr, "%s:%d: fuzz check failed: %s: ", __FILE__, __LINE__, #cond),       \
               fprintf(stderr, __VA_ARGS__), fputc('\n', stderr), abort()))

/* The targets: each returns 0 (libFuzzer's convention). */
int fuzz_idx(const uint8_t *data, size_t n);        /* lib/mnist.c: an images and a labels file */
int fuzz_model_file(const uint8_t *data, size_t n); /* lib/model_file.c, lib/convnet.c */
int fuzz_pgm(const uint8_t *data, size_t n);        /* lib/pgm.c and lib/digitize.c */
int fuzz_png(const uint8_t *data, size_t n);        /* lib/picture.c (libpng), pgm.c, digitize.c */
int fuzz_flags(const uint8_t *data, size_t n);      /* lib/args.c, lib/recipe.c, lib/model.c */

/* A target whose format random bytes rarely meet has a custom mutator,
 * <target>_mutate, and FUZZ_MUTATOR_<target> defined as 1, which makes
 * libfuzzer.c call it on the n bytes at data (room for `most`) after each of
 * libFuzzer's own mutations. It returns the new length; seed is libFuzzer's. */
#define FUZZ_MUTATOR_fuzz_model_file 1
size_t fuzz_model_file_mutate(uint8_t *data, size_t n, size_t most, unsigned seed);
#define FUZZ_MUTATOR_fuzz_png 1
size_t fuzz_png_mutate(uint8_t *data, size_t n, size_t most, unsigned seed);

#endif
