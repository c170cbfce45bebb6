/* fuzz_idx.c: feeds bytes to the IDX reader, mnist_load (lib/mnist.c), which
 * every program from chapter 02 on uses to read MNIST. The reader takes a
 * pair of files, so the bytes are split in two: the images file, then the
 * labels file, which starts at the last occurrence of the labels' magic
 * number 00 00 08 01 (with none, the labels file is empty). Both are written
 * to a private temporary folder, removed at exit. */
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "mnist.h"

static char folder[] = "/tmp/nn-fuzz-idx-XXXXXX", images[64], labels[64];

static void remove_files(void)
{
    unlink(images), unlink(labels), rmdir(folder);
}

/* Makes the folder on the first call. */
static void make_folder(void)
{
    if (images[0] != '\0') return;
    FUZZ_CHECK(mkdtemp(folder) != NULL, "cannot make a temporary folder");
    snprintf(images, sizeof images, "%s/images", folder);
    snprintf(labels, sizeof labels, "%s/labels", folder);
    atexit(remove_files);
}

static void write_file(const char *path, const uint8_t *data, size_t n)
{
    FILE *out = fopen(path, "wb");
    FUZZ_CHECK(out != NULL, "cannot write %s", path);
    FUZZ_CHECK((n == 0 || fwrite(data, 1, n, out) == n) && fclose(out) == 0, "cannot write %s",
               path);
}

/* Where the labels file starts: at the last 00 00 08 01 after the first byte, or at n. */
static size_t labels_start(const uint8_t *data, size_t n)
{
    static const uint8_t magic[4] = {0, 0, 8, 1};
    for (size_t i = n >= 4 ? n - 4 : 0; i > 0; i--)
        if (memcmp(data + i, magic, 4) == 0) return i;
    return n;
}

int fuzz_idx(const uint8_t *data, size_t n)
{
    make_folder();
    size_t split = labels_start(data, n);
    write_file(images, data, split);
    write_file(labels, data + split, n - split);
    MnistSet set;
    NnError err = {""};
    if (mnist_load(images, labels, &set, &err) != 0) {
        FUZZ_CHECK(set.pixels == NULL && set.labels == NULL && set.count == 0,
                   "a refused pair left a set");
        FUZZ_CHECK(strncmp(err.message, folder, strlen(folder)) == 0,
                   "refused without naming the file: %s", err.message);
        return 0;
    }
    FUZZ_CHECK(16 + set.count * set.rows * set.cols == split && 8 + set.count == n - split,
               "accepted %zu bytes and %zu bytes for %zu images of %zu×%zu", split, n - split,
               set.count, set.rows, set.cols);
    for (size_t i = 0; i < set.count; i++)
        FUZZ_CHECK(set.labels[i] <= 9, "label %u at %zu", (unsigned)set.labels[i], i);
    mnist_free(&set);
    return 0;
}
