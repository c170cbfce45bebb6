/* sample.h: the bundled MNIST sample (data/sample/, 800 training images) as a
 * Check fixture, for the suites of chapter 02 on:
 *     tcase_add_unchecked_fixture(tc, sample_load, sample_free);
 * then `sample` holds the images. Header-only: chapter 01's runner, which
 * has no MNIST reader, never includes it. */
#ifndef NN_TEST_SAMPLE_H
#define NN_TEST_SAMPLE_H

#include <stdio.h>
#include <stdlib.h>

#include "mnist.h"

static MnistSet sample;

static inline void sample_load(void)
{
    NnError err;
    if (mnist_load_named(NN_SOURCE_DIR "/data/sample", "train", &sample, &err) != 0) {
        fprintf(stderr, "%s\n", err.message);
        abort();
    }
}

static inline void sample_free(void)
{
    mnist_free(&sample);
}

#endif
