/* file.c: opening a file to read, never waiting on a FIFO, and reading it whole (file.h). */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fail.h"

/* What a path that is not a regular file names, in words. */
static const char *kind_of(mode_t mode)
{
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    return "a special file";
}

/* The files opened to read so far (the last READ_KEPT): their device, inode
 * and the time of their inode's last change, what file_was_read compares an
 * output's path with. The time tells a file read from another file made
 * later on the inode of one since deleted. */
enum { READ_KEPT = 64 };
static struct {
    dev_t dev;
    ino_t ino;
    struct timespec changed;
} was_read[READ_KEPT];
static size_t reads;

static void remember(const struct stat *st)
{
    was_read[reads % READ_KEPT].dev = st->st_dev;
    was_read[reads % READ_KEPT].ino = st->st_ino;
    was_read[reads % READ_KEPT].changed = st->st_ctim;
    reads++;
}

int file_was_read(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return 0;
    size_t kept = reads < READ_KEPT ? reads : READ_KEPT;
    for (size_t i = 0; i < kept; i++)
        if (was_read[i].dev == st.st_dev && was_read[i].ino == st.st_ino &&
            was_read[i].changed.tv_sec == st.st_ctim.tv_sec &&
            was_read[i].changed.tv_nsec == st.st_ctim.tv_nsec)
            return 1;
    return 0;
}

/* Makes reads from fd wait for their bytes again; 0, or -1 with errno set. */
static int clear_nonblock(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
}

FILE *file_open_input(const char *path, const char *what, uintmax_t *length, NnError *err)
{
    /* O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        nn_error(err, "%s: cannot open it: %s; check the path of %s", path, strerror(errno), what);
        return NULL;
    }
    struct stat st;
    FILE *in = NULL;
    if (fstat(fd, &st) != 0)
        nn_error(err, "%s: cannot tell what it is: %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        nn_error(err, "%s: cannot read it: %s, not a file; give the path of %s", path,
                 kind_of(st.st_mode), what);
    else if (clear_nonblock(fd) != 0 || (in = fdopen(fd, "rb")) == NULL)
        nn_error(err, "%s: cannot read it: %s", path, strerror(errno));
    if (in == NULL) {
        close(fd);
        return NULL;
    }
    *length = (uintmax_t)st.st_size;
    remember(&st);
    return in;
}

unsigned char *file_read_all(const char *path, size_t most, const char *what, size_t *n,
                             NnError *err)
{
    uintmax_t length;
    FILE *in = file_open_input(path, what, &length, err);
    if (in == NULL) return NULL;
    unsigned char *data = NULL;
    if (length > most) {
        nn_error(err, "%s: %ju bytes, too large for %s (at most %zu)", path, length, what, most);
    } else {
        data = nn_alloc(length > 0 ? (size_t)length : 1, 1, what);
        *n = fread(data, 1, (size_t)length, in);
        if (ferror(in) || *n != length) {
            nn_error(err, "%s: cannot read it: %s", path,
                     ferror(in) ? strerror(errno) : "it ended early (did it change meanwhile?)");
            free(data), data = NULL;
        }
    }
    fclose(in);
    return data;
}
