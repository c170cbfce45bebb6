/* peak.h: the core's peak rate of multiply-adds, measured, for `make bench`.
 *
 * A loop of fused multiply-adds on vector registers only, with enough
 * independent accumulators that the core can start one every time its FMA
 * units are free: nothing to load, nothing to wait for, so its rate is the
 * most any product can reach. In float, counting 2 flops (a multiply and an
 * add) per multiply-add, as the products' GFLOP/s do. */
#ifndef NN_PEAK_H
#define NN_PEAK_H

/* What the loop runs on in this build, e.g. "AVX-512 FMA, 12 accumulators of
 * 16 floats": the widest vectors the compiler was told the CPU has. */
const char *peak_kind(void);

/* GFLOP/s of `threads` copies of the loop at once, one per thread (OpenMP;
 * one copy without it), the median of five timings of at least 0.1 s. */
double peak_gflops(int threads);

/* The peak the benches' rates are shares of, printed with how it was
 * measured: the loop's on as many threads as gemm uses, in the scalar type (a
 * register holds half as many doubles as floats, and the core does as many
 * FMAs on it a cycle: half the flops). Warns when the threads did not each
 * get a core. */
double peak_of_threads(void);

#endif
