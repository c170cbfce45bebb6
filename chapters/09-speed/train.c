/* train: chapter 07's recipe on chapter 09's fast products, on every core.
 *
 * The program `make run` uses: chapter 08's (lib/saved_run.c), the same
 * flags, the same output, the same model file, with the fast engine
 * (lib/fast_layer.h) in place of chapter 06's loops: every product is gemm,
 * each layer's step is taken as its gradients are made, and the threads
 * (OMP_NUM_THREADS) share every large layer. Then `predict` reads digits with
 * the model it saved.
 * Build and run: make ch09 && ./build/train        (--help lists the flags) */
#include "fast_layer.h"
#include "saved_run.h"

int main(int argc, char **argv)
{
    FastEngine fast;
    fast_engine_init(&fast);
    const SavedRun program = {"train",
                              "09",
                              "build/logs/ch09.tsv",
                              "Trains chapter 07's recipe on MNIST with chapter 09's products "
                              "and saves the model.",
                              &fast.engine,
                              "build/model.nn",
                              NULL};
    int status = saved_run_main(argc, argv, &program);
    fast_engine_release(&fast);
    return status;
}
