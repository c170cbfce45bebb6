/* output.h: writing a file so that it appears whole or not at all (chapter 05).
 *
 * Every file a program writes (the training logs, the pictures' files, the
 * saved model) is first written under a new, unique name in the folder of
 * its path, ".<name>.<pid>-<n>.tmp", created exclusively: it cannot be a file
 * or a symbolic link someone put there, and no other run uses it. Once every
 * byte is written and flushed to the disk, one rename puts it at its path.
 * Whatever happens before that (a full disk, a crash, Ctrl-C, another run
 * writing the same path), the file at path is the earlier one, whole; the
 * temporary file is removed on every failure and on SIGINT, SIGTERM, SIGHUP
 * and SIGXFSZ. Two runs writing one path end with one of their files, whole. */
#ifndef NN_OUTPUT_H
#define NN_OUTPUT_H

#include <stdio.h>

#include "error.h"

enum { OUTPUT_PATH_MAX = 4096 };

typedef struct {
    FILE *out;                  /* write here */
    char path[OUTPUT_PATH_MAX]; /* where the file goes */
    char tmp[OUTPUT_PATH_MAX];  /* where it is written until then */
    int published;              /* renamed to path already (output_publish) */
} Output;

/* Creates the temporary file for path. Returns 0, or -1 with err naming the
 * path and why (no such folder, no permission, or a file this program read:
 * an output never replaces an input, file.h). */
int output_open(Output *o, const char *path, NnError *err);

/* For a file read while it is written (a log, plotted during training): puts
 * it at path now, flushed so far; what is written later goes on into it. */
int output_publish(Output *o, NnError *err);

/* Flushes the file to the disk, closes it and renames it to path (unless it
 * was published). Returns 0, or -1 with err, the temporary file removed and
 * the earlier file at path unchanged. */
int output_close(Output *o, NnError *err);

/* Gives up the file: closes it and removes the temporary file. */
void output_abandon(Output *o);

/* -1, with err saying so, when path (through links) is a file this program
 * read (file.h): an output there would replace its own input. */
int output_not_an_input(const char *path, NnError *err);

/* Whether a file can be written at path: refuses a folder (or anything but
 * a regular file or a link) there, and a folder where no file can be
 * created, by creating and removing a temporary file. For checking a save
 * path before hours of training. */
int output_check(const char *path, NnError *err);

/* Whether paths a and b name the same file: the same file when both exist
 * (through links), else the same folder and name. */
int output_same_file(const char *a, const char *b);

#endif
