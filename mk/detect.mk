# mk/detect.mk: what the compiler can do, found out rather than assumed. Included by the Makefile.
#
# OPENMP is 1 when $(CC) compiles and links an OpenMP program (clang: omp.h and libomp are there),
# else 0: one thread, and one line saying why. ARCH is -march=native when $(CC) takes it, else
# nothing: the compiler's own default target (on x86-64, SSE2 only), and one line saying so. What
# the user says wins and is not probed: OPENMP= and CFLAGS= on the command line or in the
# environment, ARCH= on the command line (an ARCH in the environment names other things).
# Each probe compiles a few lines from stdin to /dev/null, so reading the Makefile writes nothing.
# The answers are exported with the compiler they belong to: the makes this make runs reuse them
# and print nothing again.

# $(call cc_builds,FLAGS,LINES): y when $(CC) FLAGS compiles and links the program LINES.
cc_builds = $(shell printf '%s\n' $(2) | $(CC) $(1) -x c - -o /dev/null >/dev/null 2>&1 && echo y)
EMPTY_PROGRAM := 'int main(void) { return 0; }'
OMP_PROGRAM   := '\#include <omp.h>' 'int main(void) { return omp_get_max_threads() < 1; }'
CC_NAME := $(notdir $(firstword $(CC)))

ifneq ($(NN_PROBED_CC),$(CC))
NN_PROBED_OMP :=
NN_PROBED_ARCH :=
endif
export NN_PROBED_CC := $(CC)

# Both at once first: where the compiler takes both, as most do, one compile answers.
ifeq ($(origin OPENMP)$(origin ARCH)$(origin CFLAGS)$(NN_PROBED_OMP)$(NN_PROBED_ARCH),undefinedundefinedfile)
ifneq ($(call cc_builds,-fopenmp -march=native,$(OMP_PROGRAM)),)
NN_PROBED_OMP := -fopenmp
NN_PROBED_ARCH := -march=native
endif
endif

# The OpenMP flag: -fopenmp, or else -fopenmp-simd (chapter 09's `omp simd` hints without
# threads), or else none (and the hints are then unknown pragmas, not errors).
ifeq ($(origin OPENMP),undefined)
ifeq ($(NN_PROBED_OMP),)
NN_PROBED_OMP := $(if $(call cc_builds,-fopenmp,$(OMP_PROGRAM)),-fopenmp)
ifeq ($(NN_PROBED_OMP),)
OMP_REFUSED := $(if $(call cc_builds,-fopenmp,$(EMPTY_PROGRAM)),omp.h or libomp missing,-fopenmp refused)
NN_PROBED_OMP := $(if $(call cc_builds,-fopenmp-simd,$(EMPTY_PROGRAM)),-fopenmp-simd,none)
$(shell echo '$(CC_NAME): no OpenMP here ($(OMP_REFUSED)): building with OPENMP=0, one thread' >&2)
endif
endif
OPENMP := $(if $(filter -fopenmp,$(NN_PROBED_OMP)),1,0)
endif
export NN_PROBED_OMP
OMP_SIMD := $(if $(filter none,$(NN_PROBED_OMP)),-Wno-unknown-pragmas,-fopenmp-simd)

# The target CPU, asked for only when CFLAGS is the Makefile's (the user's CFLAGS hold their own).
ifneq ($(origin ARCH),command line)
ifeq ($(origin CFLAGS),file)
ifeq ($(NN_PROBED_ARCH),)
NN_PROBED_ARCH := $(if $(call cc_builds,-march=native,$(EMPTY_PROGRAM)),-march=native,default)
ifeq ($(NN_PROBED_ARCH),default)
$(shell echo '$(CC_NAME): -march=native refused: building for its default target (ARCH=)' >&2)
endif
endif
ARCH := $(filter-out default,$(NN_PROBED_ARCH))
endif
endif
export NN_PROBED_ARCH
