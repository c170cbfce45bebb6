/* bench_allreduce.c: chapter 11's measure of MPI between two processes on this machine
 * (make bench-mpi). For messages of 8 bytes to 16 MB it times a ping-pong (half a round
 * trip: one message's time) and an MPI_Allreduce of that many bytes of float, and fits the
 * α-β model T(n) = α + n/β to each by least squares, relative to T (each size counting alike:
 * plain least squares would hear only the largest messages); prints α (s) and β (bytes/s)
 * and writes the times to the file given (make bench-mpi: build/bench-mpi-sweep.tsv). Run with
 * mpirun -np 2. Timings are only worth something on a quiet machine. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

enum { SMALLEST = 8, LARGEST = 16 << 20, SIZES = 22 }; /* 8 B, 16 B, ..., 16 MB */

/* Seconds of one message of n bytes: half of a round trip, the best of a few runs of reps. */
static double ping_pong(char *buffer, int n, int rank, int reps)
{
    double best = 1e30;
    for (int run = 0; run < 3; run++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (int i = 0; i < reps; i++) {
            if (rank == 0) {
                MPI_Send(buffer, n, MPI_CHAR, 1, 0, MPI_COMM_WORLD);
                MPI_Recv(buffer, n, MPI_CHAR, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            } else if (rank == 1) {
                MPI_Recv(buffer, n, MPI_CHAR, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(buffer, n, MPI_CHAR, 0, 0, MPI_COMM_WORLD);
            }
        }
        double t = (MPI_Wtime() - start) / reps / 2;
        best = t < best ? t : best;
    }
    return best;
}

/* Seconds of one MPI_Allreduce of n bytes of float, in place: the best of a few runs. */
static double all_reduce(char *buffer, int n, int reps)
{
    double best = 1e30;
    for (int run = 0; run < 3; run++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (int i = 0; i < reps; i++)
            MPI_Allreduce(MPI_IN_PLACE, buffer, n / 4, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        double t = (MPI_Wtime() - start) / reps;
        MPI_Allreduce(MPI_IN_PLACE, &t, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        best = t < best ? t : best;
    }
    return best;
}

/* α and 1/β minimising Σ ((α + n_i/β - T_i) / T_i)²: a line through (1/T_i, n_i/T_i) ↦ 1,
 * the normal equations of two unknowns. */
static void fit(const double *n, const double *T, int count, double *alpha, double *beta)
{
    double aa = 0, ab = 0, bb = 0, a1 = 0, b1 = 0;
    for (int i = 0; i < count; i++) {
        double a = 1 / T[i], b = n[i] / T[i]; /* the row (1/T, n/T) of the scaled problem */
        aa += a * a, ab += a * b, bb += b * b, a1 += a, b1 += b;
    }
    double det = aa * bb - ab * ab;
    *alpha = (a1 * bb - b1 * ab) / det;
    double inverse_beta = (aa * b1 - ab * a1) / det;
    *beta = 1 / inverse_beta;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size != 2 || argc != 2) {
        if (rank == 0) fprintf(stderr, "usage: mpirun -np 2 bench-allreduce OUT.tsv\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    char *buffer = calloc(LARGEST, 1);
    if (buffer == NULL) MPI_Abort(MPI_COMM_WORLD, 1);
    double n[SIZES], pp[SIZES], ar[SIZES];
    for (int i = 0; i < SIZES; i++) {
        int bytes = SMALLEST << i;
        int reps = bytes < (1 << 16) ? 1000 : (1 << 26) / bytes + 5;
        n[i] = bytes;
        pp[i] = ping_pong(buffer, bytes, rank, reps);
        ar[i] = all_reduce(buffer, bytes, reps);
    }
    free(buffer);
    int status = 0;
    if (rank == 0) {
        FILE *out = fopen(argv[1], "w");
        if (out == NULL) {
            perror(argv[1]);
            status = 1;
        } else {
            fprintf(out, "bytes\tping-pong s\tall-reduce s\n");
            for (int i = 0; i < SIZES; i++) fprintf(out, "%.0f\t%.6g\t%.6g\n", n[i], pp[i], ar[i]);
            status = fclose(out) == 0 ? 0 : 1;
        }
        double alpha, beta;
        fit(n, pp, SIZES, &alpha, &beta);
        printf("ping-pong, 2 processes, shared memory: alpha %.3g s, beta %.3g bytes/s\n", alpha,
               beta);
        fit(n, ar, SIZES, &alpha, &beta);
        printf("all-reduce, 2 processes, shared memory: alpha %.3g s, beta %.3g bytes/s\n", alpha,
               beta);
    }
    MPI_Finalize();
    return status;
}
