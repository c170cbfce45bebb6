# mk/arm64.mk: `make test-arm64`, the tests of chapters 01-04 and chapter 09's products (suites
# "09 gemm" and "09 fast") built for 64-bit ARM and run under qemu-user, so that the library, and
# lib/gemm.c's portable tile (which GCC turns into NEON's 128-bit vectors there), are proven on a
# second architecture. Included by the Makefile; .ci/arm64 installs what it needs and runs it.
#
# Built apart, in build/arm64/ (ARM64_BUILD=), by Debian's cross compiler, without -march=native
# (the build machine's CPU is not the target's), against Debian's arm64 packages of Check
# (multiarch: dpkg --add-architecture arm64). The programs run as if they were native: the tests
# start other programs through /bin/sh (the lessons run the chapter programs, "09 fast" runs
# train and predict), so the kernel must hand arm64 programs to qemu (binfmt_misc, registered by
# .ci/arm64). They must find Debian's arm64 libc, in /lib/aarch64-linux-gnu: never point qemu at
# the cross compiler's copy (qemu -L /usr/aarch64-linux-gnu, QEMU_LD_PREFIX), whose loader is
# another build of glibc than the libc.so.6 that Check pulls in; mixed, every fork()ed child
# spins forever in glibc's fork code, and so does each test, which Check runs in a child.
ARM64_BUILD ?= build/arm64
ARM64_CC ?= aarch64-linux-gnu-gcc
ARM64_PKG_CONFIG := /usr/lib/aarch64-linux-gnu/pkgconfig
ARM64_MAKE = PKG_CONFIG_LIBDIR=$(ARM64_PKG_CONFIG) $(MAKE) --no-print-directory \
    BUILD=$(ARM64_BUILD) CC=$(ARM64_CC) CFLAGS='-O3 -g' REAL=float SANITIZE=0
# The suites it runs, one process each: every suite of chapters 01-04 but "01 build" and
# "04 grading", which run make and test what it builds for this machine (x86 code, which the
# native `make test` tests), and chapter 09's products. A name no suite has fails ("Checks: 0").
ARM64_SUITES_04 := 01 documents,01 fail,01 matrices,01 lesson,02 fetch,02 forward pass,\
    02 inputs,02 mnist,02 rng,02 lesson,03 softmax and loss,03 lesson,04 precision,04 lesson
ARM64_SUITES_09 := 09 gemm,09 fast
# The programs the lessons of chapters 01-04 run, and those "09 fast" runs.
ARM64_04 := $(addprefix $(ARM64_BUILD)/,ch01-matrices ch02-forward-pass ch03-softmax ch04-backprop)
ARM64_09 := $(addprefix $(ARM64_BUILD)/,ch08-using-the-network ch09-speed predict train)

# Every suite runs, whatever failed before it; the target fails if any did. Emulated code is
# slower: the tests get four times their time limits, as under the sanitizers. qemu writes a
# core file into the source tree for each test that aborts on purpose unless core files are off.
test-arm64:
	@command -v $(ARM64_CC) >/dev/null 2>&1 && \
	    PKG_CONFIG_LIBDIR=$(ARM64_PKG_CONFIG) pkg-config --exists check || { echo "make" \
	    "test-arm64: needs $(ARM64_CC) and Check for arm64: run sh .ci/arm64 as root, or" \
	    "dpkg --add-architecture arm64 && apt-get update && apt-get install" \
	    "gcc-aarch64-linux-gnu check:arm64 libsubunit-dev:arm64 libgomp1:arm64" \
	    "qemu-user-static" >&2; exit 1; }
	@[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || { echo "make test-arm64: the kernel" \
	    "does not run arm64 programs: register qemu with binfmt_misc (sh .ci/arm64 does, as" \
	    "root)" >&2; exit 1; }
	@rm -f $(ARM64_BUILD)/tests/lesson-blocks.tsv; ulimit -c 0; failed=0; \
	    export CK_TIMEOUT_MULTIPLIER=$${CK_TIMEOUT_MULTIPLIER:-4}; \
	    suites() { runner=$(ARM64_BUILD)/tests/$$1; IFS=,; set -- $$2; unset IFS; \
	        for suite; do suite=$${suite# }; echo "== $$runner: $$suite"; \
	            out=$$(CK_RUN_SUITE="$$suite" $$runner 2>&1) || failed=1; echo "$$out"; \
	            case $$out in *"Checks: 0,"*) failed=1;; esac; done; }; \
	    $(ARM64_MAKE) CH=04 $(addprefix $(ARM64_BUILD)/tests/,suites-float-ch04 \
	        gradients-double-ch04 checker-double-ch04) $(ARM64_04) || failed=1; \
	    $(ARM64_MAKE) CH=09 $(ARM64_BUILD)/tests/suites-float-ch09 $(ARM64_09) || failed=1; \
	    suites suites-float-ch04 '$(ARM64_SUITES_04)'; \
	    suites gradients-double-ch04 '04 gradients'; \
	    suites checker-double-ch04 '02 checker,04 checker'; \
	    suites suites-float-ch09 '$(ARM64_SUITES_09)'; exit $$failed

.PHONY: test-arm64
