/* parallel_steps.c: chapter 11's training, for tests/check_11_parallel.c to
 * compare. Run with `mpirun -np N`, it trains the recipe its flags give
 * (chapter 07's, with --layers as chapter 10 takes them) data-parallel among
 * the N processes (lib/data_parallel.h); with --alone, one process trains
 * on the engine alone, no process shares anything: the reference. Rank 0
 * writes every parameter, W then b layer by layer, one per line with 17
 * digits (exactly what it holds, in double), to --out; with the processes,
 * every rank then checks that its parameters are rank 0's (one line).
 * --resume starts from a saved model, as chapter 11's program does, and
 * --keep-first saves the model after the first epoch, to resume from. The
 * Makefile builds it in double. */
#include <mpi.h>
#include <stdio.h>

#include "conv_layer.h"
#include "convnet.h"
#include "data_parallel.h"
#include "model_file.h"
#include "recipe_flags.h"
#include "saved_run.h"

/* Every parameter of model, one per line, into path; -1 when it cannot. */
static int write_parameters(const Model *model, const char *path)
{
    FILE *out = fopen(path, "w");
    if (out == NULL) return -1;
    for (size_t l = 0; l < model->count; l++) {
        const Matrix *tensors[2] = {model->layers[l].W, model->layers[l].b};
        for (size_t t = 0; t < 2; t++)
            for (size_t i = 0; i < tensors[t]->rows * tensors[t]->cols; i++)
                fprintf(out, "%.17g\n", (double)tensors[t]->data[i]);
    }
    return fclose(out) == 0 ? 0 : -1;
}

/* --keep-first: the model after the first epoch, saved (model_file.h) by rank 0. */
typedef struct {
    const char *path;
    const ModelMaker *maker;
    int rank;
} First;

static int keep_first(void *ctx, const Model *model, size_t epoch)
{
    const First *first = ctx;
    NnError err;
    if (epoch != 1 || first->rank != 0 || model_save(model, first->path, first->maker, &err) == 0)
        return 0;
    fprintf(stderr, "parallel-steps: --keep-first: %s\n", err.message);
    return -1;
}

/* Trains by the flags; returns the exit status. */
static int run(int argc, char **argv, DataParallel *parallel, const Engine *alone)
{
    RecipeFlags f;
    recipe_defaults(&f, NULL);
    f.maker = &CONVNET_MAKER, f.recipe.parallel = &parallel->parallel;
    const char *out = "parameters.txt", *by = "processes", *resume = NULL, *keep = NULL;
    ArgSpec extra[4 + DATA_PARALLEL_FLAGS] = {
        {"out", ARG_STRING, &out, 0, 0, "where rank 0 writes the parameters"},
        {"by", ARG_STRING, &by, 0, 0, "processes, or alone"},
        {"resume", ARG_STRING, &resume, 0, 0, SAVED_RUN_RESUME_HELP},
        {"keep-first", ARG_STRING, &keep, 0, 0, "save the first epoch's model"}};
    data_parallel_flags(parallel, &f.recipe, extra + 4);
    NnError err;
    int status = recipe_parse(argc, argv, &f, extra, sizeof extra / sizeof *extra,
                              "chapter 11's training, compared", &err);
    First first = {keep, f.maker, parallel->rank};
    Checkpoint checkpoint = {keep_first, &first, 1};
    if (keep != NULL) f.recipe.checkpoint = &checkpoint;
    Model *start = NULL;
    if (status == ARGS_OK && resume != NULL && (start = saved_run_start(&f, resume, &err)) == NULL)
        status = ARGS_ERROR;
    f.recipe.start = start;
    MnistSet train, test;
    if (status == ARGS_OK && mnist_load_both(f.data_dir, &train, &test, NULL, &err) != 0)
        status = ARGS_ERROR;
    if (status != ARGS_OK) {
        model_free(start);
        fprintf(stderr, "parallel-steps rank %d: %s\n", parallel->rank, err.message);
        return 2;
    }
    int by_itself = by[0] == 'a';
    if (by_itself) f.recipe.parallel = NULL;
    RecipeResult result;
    Model *model = recipe_train(&f.recipe, by_itself ? alone : &parallel->engine, &train, &test,
                                NULL, &result);
    status = model == NULL ? 1 : 0;
    if (model != NULL && parallel->rank == 0 && write_parameters(model, out) != 0) status = 1;
    if (model != NULL && !by_itself && parallel->parallel.agree(&parallel->parallel, model) != 0)
        status = 1;
    if (parallel->rank == 0)
        printf("summed %zu numbers in %.3f s\n", parallel->reduced, parallel->reduce_seconds);
    model_free(model), model_free(start);
    mnist_free(&train), mnist_free(&test);
    return status;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    ConvEngine conv;
    conv_engine_init(&conv);
    DataParallel parallel;
    data_parallel_init(&parallel, &conv.engine);
    int status = run(argc, argv, &parallel, &conv.engine);
    data_parallel_release(&parallel);
    conv_engine_release(&conv);
    if (status != 0) MPI_Abort(MPI_COMM_WORLD, status);
    MPI_Finalize();
    return 0;
}
