/* Chapter 08: using the network.
 *
 * Trains chapter 07's recipe (the same flags), saves the model in the format
 * of lib/model_file.h, written to a temporary name and renamed so that a
 * crash never leaves half a file, then loads the file back and checks that
 * the loaded model scores exactly what the trained one did (lib/saved_run.c).
 * Then `predict` (predict.c, the chapter's second program) reads digits with it.
 * Build and run: make ch08 && ./build/ch08-using-the-network   (--help lists the flags) */
#include "saved_run.h"

int main(int argc, char **argv)
{
    const SavedRun program = {"ch08-using-the-network",
                              "08",
                              "build/logs/ch08.tsv",
                              "Trains chapter 07's recipe on MNIST and saves the model.",
                              &ENGINE_LOOPS,
                              "build/model.nn",
                              NULL};
    return saved_run_main(argc, argv, &program);
}
