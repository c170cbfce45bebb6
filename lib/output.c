/* output.c: files written whole or not at all (output.h). */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

/* ---- the temporary files to remove if the program is stopped ---- */

/* The temporary files open now. A signal handler may read them at any
 * moment, so a slot's name is complete before the slot is marked in use. */
enum { PENDING = 8 };
static char pending[PENDING][OUTPUT_PATH_MAX];
static volatile sig_atomic_t in_use[PENDING];

/* SIGINT, SIGTERM, SIGHUP, SIGXFSZ (a file size limit): remove the temporary files (unlink is safe
 * in a handler), then die of the signal as if there were no handler. */
static void remove_pending(int sig)
{
    for (int i = 0; i < PENDING; i++)
        if (in_use[i]) unlink(pending[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_stops(void)
{
    static int caught;
    if (caught) return;
    caught = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_pending;
    sigemptyset(&sa.sa_mask);
    const int stops[] = {SIGINT, SIGTERM, SIGHUP, SIGXFSZ};
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        struct sigaction old;
        /* A signal ignored when the program started (nohup) stays ignored. */
        if (sigaction(stops[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(stops[i], &sa, NULL);
    }
}

static void track(const char *tmp)
{
    int i = 0;
    while (i < PENDING && in_use[i]) i++;
    NN_REQUIRE(i < PENDING, "more than %d files written at once", PENDING);
    memcpy(pending[i], tmp, strlen(tmp) + 1);
    in_use[i] = 1;
}

static void untrack(const char *tmp)
{
    for (int i = 0; i < PENDING; i++)
        if (in_use[i] && strcmp(pending[i], tmp) == 0) in_use[i] = 0;
}

/* ---- names ---- */

/* The folder of path into dir ("." for a bare name); its name's start. */
static const char *split(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        snprintf(dir, size, ".");
        return path;
    }
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    snprintf(dir, size, "%.*s", (int)len, path);
    return slash + 1;
}

/* Flushes the folder holding path, so that a rename reaches the disk
 * (POSIX: a file's name lives in its folder). Best effort. */
static void sync_folder(const char *path)
{
    char dir[OUTPUT_PATH_MAX];
    split(path, dir, sizeof dir);
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    fsync(fd);
    close(fd);
}

/* Creates ".<name>.<pid>-<n>.tmp" beside path, exclusively: O_EXCL fails on
 * any file or link already there (another n is tried), O_NOFOLLOW says so
 * twice. The file descriptor, or -1 with errno. */
static int create_beside(const char *path, char *tmp, size_t size)
{
    static unsigned serial;
    const char *slash = strrchr(path, '/'), *name = slash != NULL ? slash + 1 : path;
    for (int tries = 0; tries < 100; tries++) {
        int n = snprintf(tmp, size, "%.*s.%s.%ld-%u.tmp", (int)(name - path), path, name,
                         (long)getpid(), serial++);
        if (n < 0 || (size_t)n >= size) return errno = ENAMETOOLONG, -1;
        track(tmp); /* before it exists: a signal right after open still finds it */
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0) return fd;
        untrack(tmp);
        if (errno != EEXIST) return -1;
    }
    return errno = EEXIST, -1;
}

/* ---- the files ---- */

int output_open(Output *o, const char *path, NnError *err)
{
    *o = (Output){NULL, "", "", 0};
    if (snprintf(o->path, sizeof o->path, "%s", path) >= (int)sizeof o->path)
        return nn_error(err, "%s: the path is too long", path);
    char dir[OUTPUT_PATH_MAX];
    split(path, dir, sizeof dir);
    if (*path == '\0') return nn_error(err, "the path is empty: name a file");
    if (output_not_an_input(path, err) != 0) return -1;
    catch_stops();
    int fd = create_beside(path, o->tmp, sizeof o->tmp);
    if (fd < 0)
        return nn_error(err, "%s: cannot create a file in the folder %s: %s", path, dir,
                        strerror(errno));
    o->out = fdopen(fd, "w");
    if (o->out == NULL) {
        int why = errno;
        close(fd);
        output_abandon(o);
        return nn_error(err, "%s: %s", path, strerror(why));
    }
    return 0;
}

/* Flushes what was written to the disk; 0, or an errno. */
static int flush_to_disk(FILE *out)
{
    errno = 0;
    if (fflush(out) != 0 || ferror(out) || fsync(fileno(out)) != 0) return errno ? errno : EIO;
    return 0;
}

int output_publish(Output *o, NnError *err)
{
    int why = flush_to_disk(o->out);
    if (why == 0 && rename(o->tmp, o->path) != 0) why = errno;
    if (why != 0) {
        output_abandon(o);
        return nn_error(err, "%s: writing it failed: %s", o->path, strerror(why));
    }
    untrack(o->tmp);
    o->published = 1;
    sync_folder(o->path);
    return 0;
}

int output_close(Output *o, NnError *err)
{
    int why = flush_to_disk(o->out);
    FILE *out = o->out;
    o->out = NULL;
    if (fclose(out) != 0 && why == 0) why = errno;
    if (why == 0 && !o->published && rename(o->tmp, o->path) != 0) why = errno;
    if (why != 0) {
        output_abandon(o);
        return nn_error(err, "%s: writing it failed: %s", o->path, strerror(why));
    }
    untrack(o->tmp);
    sync_folder(o->path);
    return 0;
}

void output_abandon(Output *o)
{
    if (o->out != NULL) fclose(o->out);
    o->out = NULL;
    if (!o->published) {
        unlink(o->tmp);
        untrack(o->tmp);
    }
}

int output_not_an_input(const char *path, NnError *err)
{
    if (!file_was_read(path)) return 0;
    return nn_error(err,
                    "%s: this run reads that file: writing there would replace it; choose "
                    "another path",
                    path);
}

int output_check(const char *path, NnError *err)
{
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
        return nn_error(err, "%s: %s is there, not a file: name a file to write", path,
                        S_ISDIR(st.st_mode) ? "a folder" : "something else");
    Output o;
    if (output_open(&o, path, err) != 0) return -1;
    output_abandon(&o);
    return 0;
}

/* Whether a and b are one file (or, for two folders, one folder). */
static int same_inode(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int output_same_file(const char *a, const char *b)
{
    struct stat st;
    if (stat(a, &st) == 0 && stat(b, &st) == 0) return same_inode(a, b);
    char da[OUTPUT_PATH_MAX], db[OUTPUT_PATH_MAX];
    const char *na = split(a, da, sizeof da), *nb = split(b, db, sizeof db);
    return strcmp(na, nb) == 0 && same_inode(da, db);
}
