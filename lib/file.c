/* file.c: reading a whole file (file.h). */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fail.h"

unsigned char *file_read_all(const char *path, size_t most, const char *what, size_t *n,
                             NnError *err)
{
    FILE *in = fopen(path, "rb");
    if (in == NULL) {
        nn_error(err, "%s: cannot open it: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    int regular = fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode);
    long size = regular && fseek(in, 0, SEEK_END) == 0 ? ftell(in) : -1;
    unsigned char *data = NULL;
    if (size >= 0 && (size_t)size <= most && fseek(in, 0, SEEK_SET) == 0) {
        data = nn_alloc(size > 0 ? (size_t)size : 1, 1, what);
        *n = fread(data, 1, (size_t)size, in);
        if (ferror(in) || *n != (size_t)size) free(data), data = NULL;
    }
    fclose(in);
    if (data == NULL && size >= 0 && (size_t)size > most)
        nn_error(err, "%s: %ld bytes, too large for %s (at most %zu)", path, size, what, most);
    else if (data == NULL)
        nn_error(err, "%s: cannot read it%s", path, regular ? "" : ": not a file (a folder?)");
    return data;
}
