/* Chapter 11: many machines.
 *
 * Trains chapter 07's recipe with N processes at once, data-parallel
 * (lib/data_parallel.h): every process holds the model and the data, takes
 * its share of every batch through chapter 09's fast step (or chapter 10's
 * convolutions: --layers as chapter 10 takes them), and the gradients are
 * summed with MPI_Allreduce before every update, so every process keeps the
 * same parameters. Rank 0 alone prints, logs and saves, as chapter 08's
 * program does (lib/saved_run.c); at the end every process checks that its
 * parameters are rank 0's, bit for bit. A process that fails (a bad flag,
 * missing data) takes the job down with MPI_Abort, saying which rank; one
 * killed outright is mpirun's to report, and it ends the job. Each layer's
 * all-reduce travels while the layers below compute (--overlap off: not).
 * --save-every N saves the model every N epochs, and --resume FILE starts
 * a run from one: its parameters, the optimizer and the shuffles anew.
 * Build and run: make ch11 && mpirun -np 2 ./build/ch11-many-machines
 * (--help lists the flags; as root, OpenMPI wants --allow-run-as-root). */
#include <fcntl.h>
#include <mpi.h>
#include <stdio.h>
#include <unistd.h>

#include "conv_layer.h"
#include "convnet.h"
#include "data_parallel.h"
#include "saved_run.h"

/* The processes, which the defaults below hand the recipe: set once in
 * main, before the flags are read. */
static DataParallel *processes;

/* Chapter 11's defaults over chapter 07's: the layers may be convolutions
 * (chapter 10's words), the processes share the step, --overlap chooses how
 * they sum, --warmup raises the rate over the first epochs, and a run can be
 * resumed (--resume, --save-every). */
static void parallel_defaults(RecipeFlags *f)
{
    static ArgSpec flags[DATA_PARALLEL_FLAGS];
    data_parallel_flags(processes, &f->recipe, flags);
    f->maker = &CONVNET_MAKER;
    f->recipe.parallel = &processes->parallel;
    f->program_flags = flags, f->program_flag_count = DATA_PARALLEL_FLAGS;
    f->resumable = 1;
}

/* Every process but rank 0 trains silently: its standard output goes to
 * /dev/null (its errors still show). */
static void silence(void)
{
    int null = open("/dev/null", O_WRONLY);
    if (null < 0) return;
    fflush(stdout);
    dup2(null, STDOUT_FILENO);
    close(null);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    ConvEngine conv;
    conv_engine_init(&conv);
    DataParallel parallel;
    data_parallel_init(&parallel, &conv.engine);
    processes = &parallel;
    if (parallel.rank != 0) silence();
    char name[64];
    snprintf(name, sizeof name, "ch11-many-machines rank %d", parallel.rank);
    const SavedRun program = {
        .program = name,
        .chapter = "11",
        .log_path = "build/logs/ch11.tsv",
        .about = "Trains chapter 07's recipe on MNIST with several processes (mpirun -np N), "
                 "the gradients averaged with MPI, and saves the model.",
        .engine = &parallel.engine,
        .save_path = "build/model-parallel.nn",
        .defaults = parallel_defaults,
    };
    int status = saved_run_main(argc, argv, &program);
    if (status == 0 && parallel.reduced > 0)
        printf("all-reduce: %.1f MB of gradients summed over the %d processes, %.2f s\n",
               (double)(parallel.reduced * sizeof(real)) / 1e6, parallel.size,
               parallel.reduce_seconds);
    data_parallel_release(&parallel);
    conv_engine_release(&conv);
    if (status != 0) {
        fprintf(stderr, "%s: failed (exit status %d): taking the job down\n", name, status);
        /* The others may be failing too (a bad flag, a diverging loss): each is given a moment
         * to say why before the job ends, whichever rank ends it first. */
        sleep(2);
        MPI_Abort(MPI_COMM_WORLD, status);
    }
    MPI_Finalize();
    return 0;
}
