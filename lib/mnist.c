/* mnist.c: reading MNIST's IDX files, checking everything they say (see mnist.h).
 *
 * A file is opened and measured (file.h: what is not a regular file, a FIFO say, is refused
 * without waiting on it), and its header read and checked, before anything is allocated: the
 * magic number, then the dimensions, then the exact length they promise, computed with
 * overflow checks and compared with the file's length. Only then are the pixels or labels
 * read, straight into the set. Every error names the file, says what was expected and what was
 * found, and what to do about it. */
#include "mnist.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

enum { MAX_SIDE = 1024 };

/* The fewest training images a program can use: one to learn from and one held out to
 * validate on (chapter 05's validation split). */
enum { LEAST_TRAINING = 2 };

/* The advice for a file that is damaged: the files of `make data` are verified. */
#define REFETCH "delete it and run `make data` to download it again"
/* The advice for a file that is missing or not what the network reads. */
#define MAKE_DATA "(`make data` downloads MNIST's)"

/* What each kind of IDX file looks like. */
typedef struct {
    const char *what;    /* "images" or "labels" */
    const char *wanted;  /* what the file must be, for the messages of file.h */
    const char *suffix;  /* of MNIST's file names: train-images-idx3-ubyte */
    uint32_t magic;      /* the first four bytes, big-endian */
    size_t header_bytes; /* the magic and the 32-bit sizes: count [, rows, cols] */
} IdxKind;

static const IdxKind IMAGES = {"images", "an IDX images file " MAKE_DATA, "idx3-ubyte", 0x00000803,
                               16};
static const IdxKind LABELS = {"labels", "an IDX labels file " MAKE_DATA, "idx1-ubyte", 0x00000801,
                               8};

/* An open IDX file, its header read and its magic number checked. */
typedef struct {
    FILE *file;
    const char *path;
    const IdxKind *kind;
    uintmax_t length;   /* the file's length in bytes */
    uint32_t header[4]; /* magic, count [, rows, cols] */
    char promise[128];  /* what the header promises, in words: "60000 images of 28×28" */
} IdxFile;

static uint32_t big_endian_32(const unsigned char *bytes)
{
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 |
           (uint32_t)bytes[3];
}

/* Fails unless the header starts with the magic number of `idx->kind`, naming the likely mix-up. */
static int check_magic(const IdxFile *idx, const unsigned char *header, NnError *err)
{
    uint32_t magic = big_endian_32(header);
    const IdxKind *other = idx->kind == &IMAGES ? &LABELS : &IMAGES;
    if (magic == idx->kind->magic) return 0;
    if (header[0] == 0x1f && header[1] == 0x8b)
        return nn_error(err,
                        "%s: the file is still gzip-compressed (it starts with bytes 1f 8b) where "
                        "an IDX %s file was expected: decompress it with gunzip",
                        idx->path, idx->kind->what);
    if (magic == other->magic)
        return nn_error(err,
                        "%s: this is an IDX %s file (magic number 0x%08lx) where an IDX %s file "
                        "(0x%08lx) was expected: give the images file first, the labels second",
                        idx->path, other->what, (unsigned long)magic, idx->kind->what,
                        (unsigned long)idx->kind->magic);
    return nn_error(err,
                    "%s: not an IDX %s file: its magic number is 0x%08lx where 0x%08lx was "
                    "expected; the file is damaged or not MNIST: " REFETCH,
                    idx->path, idx->kind->what, (unsigned long)magic,
                    (unsigned long)idx->kind->magic);
}

/* Reads and checks the header of the open file. */
static int read_header(IdxFile *idx, NnError *err)
{
    if (idx->length == 0)
        return nn_error(err,
                        "%s: the file is empty (0 bytes) where an IDX %s file was expected; the "
                        "download never started or was cut short: " REFETCH,
                        idx->path, idx->kind->what);
    unsigned char header[16];
    size_t got = fread(header, 1, idx->kind->header_bytes, idx->file);
    if (got >= 4 && check_magic(idx, header, err) != 0) return -1;
    if (idx->length < idx->kind->header_bytes)
        return nn_error(err,
                        "%s: truncated header: an IDX %s file starts with a header of %zu bytes "
                        "but the file has %ju; the download was cut short: " REFETCH,
                        idx->path, idx->kind->what, idx->kind->header_bytes, idx->length);
    if (got < idx->kind->header_bytes)
        return nn_error(err, "%s: cannot read its header: %s", idx->path, strerror(errno));
    for (size_t i = 0; i < idx->kind->header_bytes / 4; i++)
        idx->header[i] = big_endian_32(header + 4 * i);
    return 0;
}

/* Opens `path` as an IDX file of the given kind and checks its header. */
static int idx_open(IdxFile *idx, const char *path, const IdxKind *kind, NnError *err)
{
    *idx = (IdxFile){.path = path, .kind = kind};
    idx->file = file_open_input(path, kind->wanted, &idx->length, err);
    if (idx->file == NULL) return -1;
    if (read_header(idx, err) != 0) {
        fclose(idx->file);
        return -1;
    }
    return 0;
}

/* Sets *bytes to the length a header promises: its own length plus count items of item_bytes.
 * Returns 0 when that is more than size_t can count. */
static int promised_length(const IdxKind *kind, size_t count, size_t item_bytes, size_t *bytes)
{
    if (count > (SIZE_MAX - kind->header_bytes) / item_bytes) return 0;
    *bytes = kind->header_bytes + count * item_bytes;
    return 1;
}

/* The error for a header whose sizes multiply past what size_t can count. */
static int report_overflow(const IdxFile *idx, NnError *err)
{
    return nn_error(err,
                    "%s: the header promises %s, more bytes than this machine can address: the "
                    "header is damaged; " REFETCH,
                    idx->path, idx->promise);
}

/* Fails unless the file is exactly as long as its header promises. */
static int check_length(const IdxFile *idx, size_t promised, NnError *err)
{
    if (idx->length < promised)
        return nn_error(err,
                        "%s: truncated: the header promises %s (%zu bytes) but the file has %ju "
                        "bytes; the download was cut short: " REFETCH,
                        idx->path, idx->promise, promised, idx->length);
    if (idx->length > promised)
        return nn_error(err,
                        "%s: %ju bytes more than the header promises: %s make %zu bytes but the "
                        "file has %ju; it is not the file its header describes: " REFETCH,
                        idx->path, idx->length - promised, idx->promise, promised, idx->length);
    return 0;
}

/* Reads the `bytes` that follow the header into `into`. */
static int read_body(IdxFile *idx, unsigned char *into, size_t bytes, NnError *err)
{
    if (fread(into, 1, bytes, idx->file) == bytes) return 0;
    return nn_error(err, "%s: cannot read its %s: %s", idx->path, idx->kind->what,
                    ferror(idx->file) ? strerror(errno)
                                      : "the file ended early (did it change while being read?)");
}

/* Checks the dimensions and the length of an open images file, then reads its pixels. */
static int read_images(IdxFile *idx, MnistSet *set, NnError *err)
{
    size_t count = idx->header[1], rows = idx->header[2], cols = idx->header[3], bytes;
    snprintf(idx->promise, sizeof idx->promise, "%zu image%s of %zu×%zu", count,
             count == 1 ? "" : "s", rows, cols);
    if (count == 0 || rows == 0 || cols == 0)
        return nn_error(err,
                        "%s: the header promises %s, but a set needs at least one image of at "
                        "least one pixel: the header is damaged; " REFETCH,
                        idx->path, idx->promise);
    if (rows > SIZE_MAX / cols || !promised_length(&IMAGES, count, rows * cols, &bytes))
        return report_overflow(idx, err);
    if (rows > MAX_SIDE || cols > MAX_SIDE)
        return nn_error(err,
                        "%s: the header promises %s, but this reader takes images of at most %d "
                        "pixels a side (MNIST's are 28×28): the header is damaged or this is not "
                        "MNIST; " REFETCH,
                        idx->path, idx->promise, MAX_SIDE);
    if (check_length(idx, bytes, err) != 0) return -1;
    set->pixels = nn_alloc(count, rows * cols, "the pixels of the MNIST images");
    if (read_body(idx, set->pixels, bytes - IMAGES.header_bytes, err) != 0) return -1;
    set->count = count;
    set->rows = rows;
    set->cols = cols;
    return 0;
}

/* Checks the length of an open labels file, reads its labels and checks each is a digit. */
static int read_labels(IdxFile *idx, MnistSet *set, size_t *count, NnError *err)
{
    size_t bytes;
    *count = idx->header[1];
    snprintf(idx->promise, sizeof idx->promise, "%zu label%s", *count, *count == 1 ? "" : "s");
    if (!promised_length(&LABELS, *count, 1, &bytes)) return report_overflow(idx, err);
    if (check_length(idx, bytes, err) != 0) return -1;
    set->labels = nn_alloc(*count, 1, "the MNIST labels");
    if (read_body(idx, set->labels, *count, err) != 0) return -1;
    for (size_t k = 0; k < *count; k++)
        if (set->labels[k] >= MNIST_CLASSES)
            return nn_error(err,
                            "%s: label %u at index %zu is not a digit 0..9: the file is damaged "
                            "or not MNIST; " REFETCH,
                            idx->path, (unsigned)set->labels[k], k);
    return 0;
}

static int load_images(const char *path, MnistSet *set, NnError *err)
{
    IdxFile idx;
    if (idx_open(&idx, path, &IMAGES, err) != 0) return -1;
    int status = read_images(&idx, set, err);
    fclose(idx.file);
    return status;
}

static int load_labels(const char *path, MnistSet *set, size_t *count, NnError *err)
{
    IdxFile idx;
    if (idx_open(&idx, path, &LABELS, err) != 0) return -1;
    int status = read_labels(&idx, set, count, err);
    fclose(idx.file);
    return status;
}

int mnist_load_images(const char *path, MnistSet *set, NnError *err)
{
    *set = (MnistSet){0};
    if (load_images(path, set, err) == 0) return 0;
    mnist_free(set);
    return -1;
}

int mnist_load(const char *images_path, const char *labels_path, MnistSet *set, NnError *err)
{
    *set = (MnistSet){0};
    size_t label_count;
    if (load_images(images_path, set, err) != 0 ||
        load_labels(labels_path, set, &label_count, err) != 0)
        goto fail;
    if (label_count != set->count) {
        nn_error(err,
                 "%s holds %zu images but %s holds %zu labels: the two files are not a pair; "
                 "give the labels that belong to these images (make data fetches matching pairs)",
                 images_path, set->count, labels_path, label_count);
        goto fail;
    }
    return 0;
fail:
    mnist_free(set);
    return -1;
}

/* "<dir>/<name>", malloc'd. */
static char *path_join(const char *dir, const char *name)
{
    size_t size = strlen(dir) + 1 + strlen(name) + 1;
    char *path = nn_alloc(size, 1, "a file name");
    snprintf(path, size, "%s/%s", dir, name);
    return path;
}

/* "<dir>/<prefix>-<what>-<suffix>", as in data/train-images-idx3-ubyte; malloc'd. */
static char *idx_path(const char *dir, const char *prefix, const IdxKind *kind)
{
    char name[64];
    snprintf(name, sizeof name, "%s-%s-%s", prefix, kind->what, kind->suffix);
    return path_join(dir, name);
}

int mnist_load_named(const char *dir, const char *prefix, MnistSet *set, NnError *err)
{
    char *images = idx_path(dir, prefix, &IMAGES), *labels = idx_path(dir, prefix, &LABELS);
    int status = mnist_load(images, labels, set, err);
    free(images);
    free(labels);
    return status;
}

/* True when any file of the full set is in dir: then all four must be, and load. */
static int full_set_started(const char *dir)
{
    static const char *const names[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    int found = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *path = path_join(dir, names[i]);
        struct stat st;
        found |= stat(path, &st) == 0;
        free(path);
    }
    return found;
}

/* Fails unless the set's images are MNIST's 28×28, the network's 784 inputs, and there are
 * at least `least` of them; the message names the images file. */
static int check_for_network(const char *dir, const char *prefix, const MnistSet *set, size_t least,
                             NnError *err)
{
    if (set->rows == MNIST_SIDE && set->cols == MNIST_SIDE && set->count >= least) return 0;
    char *path = idx_path(dir, prefix, &IMAGES);
    if (set->rows != MNIST_SIDE || set->cols != MNIST_SIDE)
        nn_error(err,
                 "%s: images of %zu×%zu pixels, but the network reads MNIST's %d×%d (%d inputs): "
                 "give MNIST's own files, which `make data` downloads",
                 path, set->rows, set->cols, MNIST_SIDE, MNIST_SIDE, MNIST_PIXELS);
    else
        nn_error(err,
                 "%s: holds %zu, but training needs at least %zu images: one to learn from "
                 "and one held out to validate on; give more (`make data` downloads MNIST's "
                 "60,000)",
                 path, set->count, least);
    free(path);
    return -1;
}

/* Loads "<dir>/<prefix>-..." as a set the network can read (check_for_network). */
static int load_for_network(const char *dir, const char *prefix, size_t least, MnistSet *set,
                            NnError *err)
{
    if (mnist_load_named(dir, prefix, set, err) != 0) return -1;
    if (check_for_network(dir, prefix, set, least, err) == 0) return 0;
    mnist_free(set);
    return -1;
}

/* Loads the training and test sets from dir; on failure both are left empty. */
static int load_train_and_test(const char *dir, MnistSet *train, MnistSet *test, NnError *err)
{
    *test = (MnistSet){0};
    if (load_for_network(dir, "train", LEAST_TRAINING, train, err) != 0) return -1;
    if (load_for_network(dir, "t10k", 1, test, err) != 0) {
        mnist_free(train);
        return -1;
    }
    return 0;
}

/* Fails unless dir is a folder, saying where a program finds data/: the folder it runs in. */
static int check_data_folder(const char *dir, NnError *err)
{
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    char here[4096];
    if (dir[0] == '/' || getcwd(here, sizeof here) == NULL) here[0] = '\0';
    return nn_error(err,
                    "%s: no such folder%s%s: run the program from the top of the source tree, "
                    "whose data/ holds MNIST, or give the folder with --data (in the programs "
                    "that take flags)",
                    dir, here[0] != '\0' ? " in " : "", here);
}

int mnist_load_both(const char *data_dir, MnistSet *train, MnistSet *test, int *used_sample,
                    NnError *err)
{
    *train = *test = (MnistSet){0};
    if (check_data_folder(data_dir, err) != 0) return -1;
    int sample = !full_set_started(data_dir);
    char *sample_dir = path_join(data_dir, "sample");
    int status = load_train_and_test(sample ? sample_dir : data_dir, train, test, err);
    if (status == 0 && sample)
        fprintf(stderr,
                "note: the full MNIST set is not in %s; using the bundled sample (%zu training, "
                "%zu test images). Run make data for all 70,000.\n",
                data_dir, train->count, test->count);
    free(sample_dir);
    if (used_sample != NULL) *used_sample = sample;
    return status;
}

void mnist_free(MnistSet *set)
{
    free(set->pixels);
    free(set->labels);
    *set = (MnistSet){0};
}

void mnist_gather(Matrix *X, Matrix *Y, const MnistSet *set, const size_t *index, size_t m)
{
    size_t pixels = set->rows * set->cols;
    NN_REQUIRE(X->rows == pixels && X->cols == m,
               "X is %zu×%zu, but a batch of %zu images of %zu×%zu pixels needs %zu×%zu", X->rows,
               X->cols, m, set->rows, set->cols, pixels, m);
    NN_REQUIRE(Y == NULL || (Y->rows == MNIST_CLASSES && Y->cols == m),
               "Y is %zu×%zu, but %zu one-hot labels need %d×%zu", Y ? Y->rows : 0, Y ? Y->cols : 0,
               m, MNIST_CLASSES, m);
    for (size_t j = 0; j < m; j++) {
        NN_REQUIRE(index[j] < set->count, "index[%zu] is %zu, but the set has %zu images", j,
                   index[j], set->count);
        const unsigned char *image = set->pixels + index[j] * pixels;
        for (size_t p = 0; p < pixels; p++) MAT_AT(X, p, j) = mnist_pixel(image[p]);
        if (Y == NULL) continue;
        for (size_t d = 0; d < MNIST_CLASSES; d++)
            MAT_AT(Y, d, j) = (real)(d == set->labels[index[j]]);
    }
}

/* Which of the ten characters of the ramp draws a pixel: 0 (paper) for 0 only, then nine
 * equal steps up to 9 for 255. */
static size_t ink_level(unsigned char pixel)
{
    return pixel == 0 ? 0 : 1 + (size_t)(pixel - 1) * 9 / 255;
}

void mnist_draw_pixels(FILE *out, const unsigned char *image, size_t rows, size_t cols)
{
    static const char *const ramp[] = {"  ", "..", "::", "--", "==", "++", "**", "##", "%%", "@@"};
    for (size_t r = 0; r < rows; r++) {
        const unsigned char *row = image + r * cols;
        size_t width = cols;
        while (width > 0 && row[width - 1] == 0) width--; /* no trailing spaces */
        for (size_t c = 0; c < width; c++) fputs(ramp[ink_level(row[c])], out);
        fputc('\n', out);
    }
}

void mnist_draw(FILE *out, const MnistSet *set, size_t i)
{
    NN_REQUIRE(i < set->count, "image %zu, but the set has %zu", i, set->count);
    mnist_draw_pixels(out, set->pixels + i * set->rows * set->cols, set->rows, set->cols);
    fprintf(out, "label: %u\n", (unsigned)set->labels[i]);
}
