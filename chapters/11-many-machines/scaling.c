/* Chapter 11: the scaling model, beyond the one machine we have.
 *
 * Predicts the epoch time of data-parallel training on N = 1..1024
 * processes with the α-β model of lib/data_parallel.h: every step, the
 * compute of one process divided by N (the global batch fixed), plus one
 * ring all-reduce of every gradient, 2(N-1)·α + 2(N-1)/N · bytes/β. It does
 * so for the dense network (784-256-128-10) and chapter 10's LeNet, their
 * bytes the models' parameter counts in float, and for four networks: this
 * machine's shared memory (α and β measured by `make bench-mpi`, given as
 * flags), 10 and 100 Gb/s Ethernet and InfiniBand HDR (typical figures,
 * below). It writes, for plots/scaling.gp, one block per model and network:
 * N, the predicted epoch time, the efficiency T(1)/(N·T(N)) and the
 * all-reduce time; and prints where each efficiency falls below one half.
 * Build and run: make ch11-scaling (make bench-mpi runs it with the figures
 * it measured). */
#include <stdio.h>

#include "args.h"
#include "convnet.h"
#include "data_parallel.h"
#include "epoch.h"
#include "output.h"

/* A network between the processes: its latency α (s) and bandwidth β (B/s). */
typedef struct {
    const char *name;
    double alpha, beta;
} Network;

/* A model: its layers (chapter 10's words), and one process's compute per step. */
typedef struct {
    const char *name, *layers;
    double step_seconds;
} Workload;

enum { MOST_PROCESSES = 1024 };

/* Model w on network n, N = 1..MOST_PROCESSES, as a block of out; returns
 * the first N whose efficiency is below 1/2 (0: none). */
static size_t write_block(FILE *out, const Workload *w, const Network *n, size_t steps)
{
    double bytes = (double)CONVNET_MAKER.parameters(w->layers) * sizeof(float);
    double one = predicted_epoch_seconds(1, steps, w->step_seconds, bytes, n->alpha, n->beta);
    size_t half = 0;
    fprintf(out, "N\t%s, %s\t%s, %s\t%s, %s\n", w->name, n->name, w->name, n->name, w->name,
            n->name);
    for (size_t N = 1; N <= MOST_PROCESSES; N++) {
        double epoch = predicted_epoch_seconds(N, steps, w->step_seconds, bytes, n->alpha, n->beta);
        double efficiency = one / ((double)N * epoch);
        if (half == 0 && efficiency < 0.5) half = N;
        fprintf(out, "%zu\t%.6g\t%.6g\t%.6g\n", N, epoch, efficiency,
                ring_allreduce_seconds(N, bytes, n->alpha, n->beta));
    }
    fprintf(out, "\n\n"); /* gnuplot's next index */
    return half;
}

/* Every model on every network into path, a line each on stdout; -1 with err. */
static int write_all(const char *path, const Workload *w, size_t workloads, const Network *n,
                     size_t networks, size_t steps, NnError *err)
{
    Output o;
    if (output_open(&o, path, err) != 0) return -1;
    fprintf(o.out, "# chapter 11's scaling model: N, epoch s, efficiency, all-reduce s per step\n");
    for (size_t i = 0; i < workloads; i++)
        for (size_t j = 0; j < networks; j++) {
            size_t half = write_block(o.out, &w[i], &n[j], steps);
            printf("%-8s %-36s efficiency below 1/2 from N = %s%zu\n", w[i].name, n[j].name,
                   half == 0 ? "(never, up to) " : "", half == 0 ? (size_t)MOST_PROCESSES : half);
        }
    return output_close(&o, err);
}

int main(int argc, char **argv)
{
    double alpha = 1e-6, beta = 5e9, dense_step = 1e-3, conv_step = 3e-2;
    size_t batch = 64, images = 50000;
    const char *out = "build/scaling.tsv";
    const ArgSpec specs[] = {
        {"alpha", ARG_DOUBLE, &alpha, 1e-12, 1, "this machine's latency α, seconds"},
        {"beta", ARG_DOUBLE, &beta, 1e3, 1e13, "this machine's bandwidth β, bytes per second"},
        {"dense-step", ARG_DOUBLE, &dense_step, 1e-9, 1e3,
         "one process's seconds per step, dense 784-256-128-10"},
        {"conv-step", ARG_DOUBLE, &conv_step, 1e-9, 1e3, "one process's seconds per step, LeNet"},
        {"batch", ARG_SIZE, &batch, 1, 1e6, "the global batch m"},
        {"images", ARG_SIZE, &images, 1, 1e9, "training images per epoch"},
        {"out", ARG_STRING, &out, 0, 0, "where to write the table, for plots/scaling.gp"},
    };
    NnError err;
    int status = args_parse(argc, argv, specs, sizeof specs / sizeof specs[0],
                            "Chapter 11's α-β model of data-parallel training, N = 1..1024.", &err);
    if (status != ARGS_OK) {
        if (status == ARGS_ERROR) fprintf(stderr, "ch11-scaling: %s\n", err.message);
        return status == ARGS_HELP ? 0 : 2;
    }
    char here[64];
    snprintf(here, sizeof here, "this machine (%.3g us, %.3g GB/s)", alpha * 1e6, beta / 1e9);
    /* Typical figures, β the line rate: 10 GbE through the kernels' TCP, about 50 us
     * ("kernel-to-kernel latency ... around 50 microseconds", WWT, "The basics of
     * high-performance networking"); 100 GbE 10 us, between TCP's and kernel bypass's (MPI
     * over 40 GbE with Cisco's usNIC: 1.93 us half round trip, Cisco's blog "MPI over 40Gb
     * Ethernet"); InfiniBand HDR, 200 Gb/s, about 1 us (RDMA sends: 0.8 us for 32 bytes). */
    const Network networks[] = {{here, alpha, beta},
                                {"10 Gb/s Ethernet (50 us, 1.25 GB/s)", 50e-6, 1.25e9},
                                {"100 Gb/s Ethernet (10 us, 12.5 GB/s)", 10e-6, 12.5e9},
                                {"InfiniBand HDR (1 us, 25 GB/s)", 1e-6, 25e9}};
    const Workload workloads[] = {{"dense", "784,256,128,10", dense_step},
                                  {"LeNet", "784,conv20k5,pool2,conv50k5,pool2,500,10", conv_step}};
    size_t steps = epoch_steps(images, batch);
    printf("%zu steps of %zu per epoch; dense %zu parameters, LeNet %zu (float)\n", steps, batch,
           CONVNET_MAKER.parameters(workloads[0].layers),
           CONVNET_MAKER.parameters(workloads[1].layers));
    if (write_all(out, workloads, 2, networks, 4, steps, &err) != 0) {
        fprintf(stderr, "ch11-scaling: %s\n", err.message);
        return 1;
    }
    printf("wrote %s\n", out);
    return 0;
}
