/* data_parallel.h: chapter 11, one model trained by N processes at once,
 * each on its share of every batch, the gradients averaged with MPI.
 *
 * Every process (rank r of N) holds the whole model and the whole training
 * set, and shuffles with the same seed: each step's batch of m examples is
 * the same everywhere, and rank r computes on its own share of it,
 *     examples j0 = r·m/N up to j1 = (r+1)·m/N (not included), m_r = j1 - j0
 * (m/N each, ±1 when N does not divide m, as on a last, smaller batch).
 * Its forward and backward passes are the engine's (chapter 09's fast step,
 * chapter 10's convolutions), on X (784×m_r): each layer's dW_r (n×k) and
 * db_r (n×1) are the gradients of the mean loss over its m_r examples. The
 * gradient of the whole batch's mean is their weighted sum,
 *     dW (n×k) = Σ_r (m_r/m) · dW_r,    db (n×1) = Σ_r (m_r/m) · db_r
 * one MPI_Allreduce (a sum, in place, every process getting the result)
 * per tensor, as soon as the layer's backward pass has made it, before its
 * update. Every process then takes the same step on the same numbers, and
 * the parameters stay identical on every rank; the batch's loss and right
 * guesses are summed the same way, so that every process sees the loss of
 * the whole batch and stops at the same step if it diverges. N processes
 * with batches of m/N compute what one process computes with batches of m,
 * the sums in another order: equal within rounding.
 *
 * Each process takes its layer's update whole, once the sum is in: the
 * update's rows are called once per layer, on one thread, while the
 * products inside each process's backward pass still share the cores
 * (OMP_NUM_THREADS). Plain SGD is not folded into the product of dW
 * (chapter 09): dW must exist to be summed. Dropout is exact: every
 * process draws the masks of the whole batch, the random numbers one
 * process draws (the same numbers also shuffle, so the processes stay in
 * step), and keeps its own columns j0..j1-1 (dropout.h's DropoutShare).
 * Evaluation is every process's own, on the whole sets: the same model
 * gives the same numbers everywhere.
 *
 * Overlap (the default; --overlap off to compare): each layer's two sums
 * are started with MPI_Iallreduce as soon as its backward pass has made dW
 * and db, and travel while the layers below compute theirs; the updates
 * wait (MPI_Waitall) for them after the first layer's backward pass, top
 * to bottom as before. Updating later changes nothing: a layer's dX = Wᵀ·dZ
 * for the layer below is computed in its own backward pass, from W not yet
 * updated, and no other layer reads its W. The sums are the blocking ones:
 * bit for bit when MPI adds in the same order (OpenMPI picks its blocking
 * and non-blocking algorithms apart; on 3 processes or more they may add
 * the terms in another order, equal within rounding; the test pins both).
 * On by default since it computes the same step and can only hide time;
 * MPI moves the sums on only inside MPI calls here (no progress thread),
 * so each layer's backward pass ends with an MPI_Testall on those in
 * flight. */
#ifndef NN_DATA_PARALLEL_H
#define NN_DATA_PARALLEL_H

#include <stddef.h>

#include "args.h"
#include "dropout.h"
#include "model.h"
#include "model_sgd.h"
#include "recipe.h"

typedef struct DataParallel DataParallel;

/* The engine's training ops with the sum over processes after each layer's
 * backward pass. */
typedef struct {
    ModelOps ops; /* first: the model's layer loops call these */
    DataParallel *parallel;
} ParallelOps;

struct DataParallel {
    Parallel parallel; /* first: the recipe's hooks (recipe.h) find the rest here */
    Engine engine;     /* what to train with: the engine's, with ops for training */
    ParallelOps ops;
    const ModelOps *inner; /* the engine's training ops */
    int rank, size;        /* r, N */
    size_t m, share;       /* the step's batch m and this process's share m_r */
    DropoutShare columns;  /* j0 and m, for the run's dropout */
    ArgChoice overlap;     /* --overlap: on (index 0), each layer's sums started at once and
                            * waited for before its update, or off */
    void *pending;         /* MPI_Request[2·MODEL_MAX_SIZES]: layer l's dW, db sums in flight */
    double reduce_seconds; /* spent in the gradients' sums (overlap: waiting for them) */
    size_t reduced;        /* numbers summed over the processes, every step every parameter */
};

/* --overlap's words, "on" (the default) first. */
extern const char *const DATA_PARALLEL_OVERLAP_NAMES[];

/* Chapter 11's own flags, for recipe_parse: --overlap (d's) and --warmup
 * (r's: the linear scaling rule's warm-up, lib/schedule.h). */
enum { DATA_PARALLEL_FLAGS = 2 };
void data_parallel_flags(DataParallel *d, Recipe *r, ArgSpec flags[DATA_PARALLEL_FLAGS]);

/* A data-parallel run of engine among the processes of MPI_COMM_WORLD
 * (MPI_Init done); the recipe uses it when its `parallel` is &d->parallel.
 * It points into itself: do not copy it. */
void data_parallel_init(DataParallel *d, const Engine *engine);
void data_parallel_release(DataParallel *d);

/* The first example of process r's share of a batch of m among N: r·m/N. */
size_t data_parallel_start(size_t m, int r, int N);

/* Chapter 11's model of the time, beyond this machine (the α-β model): a
 * message of n bytes between two processes takes α + n/β seconds (α the
 * latency, β the bandwidth in bytes per second). A ring all-reduce of
 * `bytes` among N processes cuts them into N pieces and takes 2(N-1) steps,
 * each sending one piece to the next process (N-1 to sum, N-1 to share the
 * sums):
 *     T_ar(N) = 2(N-1)·α + 2(N-1)/N · bytes/β      (0 for N = 1)
 * Its bytes term hardly grows with N: the ring's point. */
double ring_allreduce_seconds(size_t N, double bytes, double alpha, double beta);

/* An epoch of `steps` steps on N processes, one process taking
 * step_seconds to compute a step of the global batch: the compute divided
 * by N (the global batch fixed, each process computing m/N of it, as fast
 * per example as one), then one all-reduce of every gradient per step, not
 * overlapped:  steps · (step_seconds/N + T_ar(N)). */
double predicted_epoch_seconds(size_t N, size_t steps, double step_seconds, double bytes,
                               double alpha, double beta);

#endif
