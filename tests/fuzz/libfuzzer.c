/* libfuzzer.c: the entry point libFuzzer calls with each input, handing it
 * to the target named at build time (-DFUZZ_TARGET=fuzz_pgm; see fuzz.h),
 * and, for a target that has one, the custom mutator libFuzzer calls to make
 * each next input: libFuzzer's own mutation, then the target's reshaping. */
#include "fuzz.h"

#ifndef FUZZ_TARGET
#error "build with -DFUZZ_TARGET=fuzz_<name> (make fuzz does)"
#endif

/* FUZZ_PASTE(a, b) is a and b made one name, after each is expanded. */
#define FUZZ_PASTE_NAMES(a, b) a##b
#define FUZZ_PASTE(a, b)       FUZZ_PASTE_NAMES(a, b)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    return FUZZ_TARGET(data, n);
}

/* FUZZ_MUTATOR_fuzz_pgm, not defined, is 0 here. */
#if FUZZ_PASTE(FUZZ_MUTATOR_, FUZZ_TARGET)
size_t LLVMFuzzerMutate(uint8_t *data, size_t n, size_t most);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t n, size_t most, unsigned int seed);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t n, size_t most, unsigned int seed)
{
    return FUZZ_PASTE(FUZZ_TARGET, _mutate)(data, LLVMFuzzerMutate(data, n, most), most, seed);
}
#endif
