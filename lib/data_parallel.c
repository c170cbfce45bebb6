/* data_parallel.c: a batch shared among processes, gradients summed with MPI
 * (data_parallel.h). */
#include "data_parallel.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"

#ifdef NN_REAL_DOUBLE
#define MPI_NN_REAL MPI_DOUBLE
#else
#define MPI_NN_REAL MPI_FLOAT
#endif

const char *const DATA_PARALLEL_OVERLAP_NAMES[] = {"on", "off", NULL};

size_t data_parallel_start(size_t m, int r, int N)
{
    return m * (size_t)r / (size_t)N;
}

static int overlapping(const DataParallel *d)
{
    return d->overlap.index == 0;
}

/* Layer l's gradients of this process's share weighted, (m_r/m) dW_r and
 * (m_r/m) db_r, and their sums over the processes, in place, every process
 * getting them: done, or started (overlap) into layer l's two requests. */
static void start_sums(DataParallel *d, Layer *layer, size_t l)
{
    real share = (real)d->share / (real)d->m;
    Matrix *sums[2] = {layer->dW, layer->db}; /* dW (n×k) = Σ_r (m_r/m) dW_r, db likewise */
    MPI_Request *pending = (MPI_Request *)d->pending + 2 * l;
    double start = MPI_Wtime();
    for (size_t t = 0; t < 2; t++) {
        int n = (int)(sums[t]->rows * sums[t]->cols);
        mat_scale(sums[t], share);
        if (overlapping(d))
            MPI_Iallreduce(MPI_IN_PLACE, sums[t]->data, n, MPI_NN_REAL, MPI_SUM, MPI_COMM_WORLD,
                           &pending[t]);
        else
            MPI_Allreduce(MPI_IN_PLACE, sums[t]->data, n, MPI_NN_REAL, MPI_SUM, MPI_COMM_WORLD);
        d->reduced += (size_t)n;
    }
    d->reduce_seconds += MPI_Wtime() - start;
}

/* Layer l's step, once its sums are in (overlap: waiting for them). */
static void step_when_summed(DataParallel *d, Layer *layer, size_t l, const Update *update)
{
    if (overlapping(d)) {
        double start = MPI_Wtime();
        MPI_Waitall(2, (MPI_Request *)d->pending + 2 * l, MPI_STATUSES_IGNORE);
        d->reduce_seconds += MPI_Wtime() - start;
    }
    if (update != NULL) update->rows(update->rule, layer, l, 0, layer->W->rows);
}

/* After layer l's backward pass: its sums, then the steps due. Blocking:
 * layer l's. Overlap: none until the first layer's pass is done (the sums
 * of the layers above travel meanwhile, MPI_Testall moving them on), then
 * every layer's, top to bottom, as each one's sums are in. */
static void reduce_and_step(DataParallel *d, Model *model, size_t l, const Update *update)
{
    start_sums(d, &model->layers[l], l);
    if (overlapping(d) && l > 0) {
        int done;
        MPI_Testall((int)(2 * (model->count - l)), (MPI_Request *)d->pending + 2 * l, &done,
                    MPI_STATUSES_IGNORE);
        return;
    }
    for (size_t k = overlapping(d) ? model->count : l + 1; k-- > l;)
        step_when_summed(d, &model->layers[k], k, update);
}

static void parallel_gather(const ModelOps *ops, Matrix *X, Matrix *Y, const MnistSet *set,
                            const Batch *batch)
{
    const DataParallel *d = ((const ParallelOps *)ops)->parallel; /* ops is the first member */
    d->inner->gather(d->inner, X, Y, set, batch);
}

static void parallel_forward(const ModelOps *ops, Model *model, size_t l, const Matrix *input)
{
    const DataParallel *d = ((const ParallelOps *)ops)->parallel;
    d->inner->forward(d->inner, model, l, input);
}

/* The engine's backward pass with no update (dW_r, db_r and dX, W not yet
 * changed), then the sum and the step. */
static void parallel_backward(const ModelOps *ops, Model *model, size_t l, const Matrix *input,
                              Matrix *dX, const Update *update)
{
    DataParallel *d = ((const ParallelOps *)ops)->parallel;
    d->inner->backward(d->inner, model, l, input, dX, NULL);
    reduce_and_step(d, model, l, update);
}

/* A process whose share of a batch is empty (a last batch smaller than N):
 * gradients zero, it still joins every layer's sum and takes the step. */
static void step_without_examples(DataParallel *d, ModelTrainer *t)
{
    const Update *update = &t->update;
    if (d->columns.dropout != NULL) dropout_draw_share(d->columns.dropout, 0); /* in step */
    if (update->begin != NULL) update->begin(update->rule);
    for (size_t l = t->model->count; l-- > 0;) {
        Layer *layer = &t->model->layers[l];
        mat_fill(layer->dW, 0), mat_fill(layer->db, 0);
        reduce_and_step(d, t->model, l, update);
    }
}

/* This process's share of the batch and of the batch after it. */
static Batch share_of(const DataParallel *d, const Batch *b)
{
    size_t j0 = data_parallel_start(b->m, d->rank, d->size);
    size_t j1 = data_parallel_start(b->m, d->rank + 1, d->size);
    size_t n0 = data_parallel_start(b->next_m, d->rank, d->size);
    size_t n1 = data_parallel_start(b->next_m, d->rank + 1, d->size);
    return (Batch){b->index + j0, j1 - j0, b->next + n0, n1 - n0};
}

/* model_step on this process's share; returns the whole batch's mean loss
 * and adds its right guesses, summed over the processes. */
static double parallel_step(const Parallel *p, void *trainer, const Batch *batch, size_t *correct)
{
    DataParallel *d = (DataParallel *)p; /* p is d's first member */
    Batch mine = share_of(d, batch);
    d->m = batch->m, d->share = mine.m;
    d->columns.first = data_parallel_start(batch->m, d->rank, d->size);
    d->columns.whole = batch->m; /* dropout's masks: this process's columns of the batch */
    size_t right = 0;
    double loss = 0;
    if (mine.m > 0)
        loss = model_step(trainer, &mine, &right);
    else
        step_without_examples(d, trainer);
    double sums[2] = {loss * (double)mine.m, (double)right}; /* m_r·L_r, right guesses */
    MPI_Allreduce(MPI_IN_PLACE, sums, 2, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    *correct += (size_t)sums[1];
    return sums[0] / (double)batch->m; /* L = Σ_r m_r·L_r / m */
}

static int parallel_refuses(const Parallel *p, const Recipe *r, NnError *err)
{
    const DataParallel *d = (const DataParallel *)p;
    if (r->batch < (size_t)d->size)
        return nn_error(err, "--batch %zu: fewer examples than the %d processes sharing each batch",
                        r->batch, d->size);
    return 0;
}

/* Whether A differs from rank 0's A, by every bit. */
static int differs_from_first(const Matrix *A)
{
    size_t n = A->rows * A->cols;
    real *first = nn_alloc(n, sizeof *first, "rank 0's parameters");
    memcpy(first, A->data, n * sizeof *first);
    MPI_Bcast(first, (int)n, MPI_NN_REAL, 0, MPI_COMM_WORLD);
    int differs = memcmp(first, A->data, n * sizeof *first) != 0;
    free(first);
    return differs;
}

static int parallel_agree(const Parallel *p, const Model *model)
{
    const DataParallel *d = (const DataParallel *)p;
    int differs = 0;
    for (size_t l = 0; l < model->count; l++)
        differs |= differs_from_first(model->layers[l].W) | differs_from_first(model->layers[l].b);
    int differing = differs;
    MPI_Allreduce(MPI_IN_PLACE, &differing, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (differs) fprintf(stderr, "rank %d: its parameters differ from rank 0's\n", d->rank);
    if (d->rank == 0 && differing == 0)
        printf("parameters: the same on all %d processes, bit for bit\n", d->size);
    if (d->rank == 0 && differing != 0)
        printf("parameters: DIFFERENT from rank 0's on %d of %d processes\n", differing, d->size);
    return differing == 0 ? 0 : -1;
}

void data_parallel_init(DataParallel *d, const Engine *engine)
{
    *d = (DataParallel){
        .parallel = {.step = parallel_step, .refuses = parallel_refuses, .agree = parallel_agree},
        .engine = *engine,
        .ops = {{parallel_gather, parallel_forward, parallel_backward}, d},
        .inner = engine->train,
        .overlap = {DATA_PARALLEL_OVERLAP_NAMES, 0}};
    d->parallel.share = &d->columns;
    MPI_Request *pending = nn_alloc(2 * MODEL_MAX_SIZES, sizeof *pending, "the sums in flight");
    for (size_t i = 0; i < 2 * MODEL_MAX_SIZES; i++) pending[i] = MPI_REQUEST_NULL;
    d->pending = pending;
    MPI_Comm_rank(MPI_COMM_WORLD, &d->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &d->size);
    d->parallel.helper = d->rank != 0;
    d->engine.train = &d->ops.ops;
}

void data_parallel_flags(DataParallel *d, Recipe *r, ArgSpec flags[DATA_PARALLEL_FLAGS])
{
    static const char overlap[] =
        "each layer's all-reduce started as its backward pass ends (off: summed there, blocking)";
    static const char warmup[] = "epochs over which α rises linearly to --lr (0: none)";
    flags[0] = (ArgSpec){"overlap", ARG_CHOICE, &d->overlap, 0, 0, overlap};
    flags[1] = (ArgSpec){"warmup", ARG_SIZE, &r->warmup, 0, 100000, warmup};
}

void data_parallel_release(DataParallel *d)
{
    free(d->pending);
    d->pending = NULL;
}

double ring_allreduce_seconds(size_t N, double bytes, double alpha, double beta)
{
    double hops = 2 * (double)(N - 1); /* N-1 steps to sum, N-1 to share */
    return hops * alpha + hops / (double)N * bytes / beta;
}

double predicted_epoch_seconds(size_t N, size_t steps, double step_seconds, double bytes,
                               double alpha, double beta)
{
    return (double)steps *
           (step_seconds / (double)N + ring_allreduce_seconds(N, bytes, alpha, beta));
}
