/* libfuzzer.c: the entry point libFuzzer calls with each input, handing it
 * to the target named at build time (-DFUZZ_TARGET=fuzz_pgm; see fuzz.h). */
#include "fuzz.h"

#ifndef FUZZ_TARGET
#error "build with -DFUZZ_TARGET=fuzz_<name> (make fuzz does)"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    return FUZZ_TARGET(data, n);
}
