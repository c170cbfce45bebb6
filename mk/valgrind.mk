# mk/valgrind.mk: `make valgrind`, no leak and no memory error in a chapter program and in the
# tests. Included by the Makefile.
#
# Built apart, in build/valgrind/, without -march=native: valgrind cannot run AVX-512.
# A leak that is definite or indirect (memory nothing points to any more) is an error; memory
# still reachable at exit is not (Check's own bookkeeping, stdio's buffers).
VALGRIND := valgrind --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=1 -q
# The suites it runs, in one process each (CK_FORK=no, so that valgrind sees the tests' memory),
# "suite" or "suite/test case": all but the ones that stop on purpose (a bug caught by
# NN_REQUIRE: in one process that would stop the rest), the gradient checks, the lessons (they
# run the programs, checked above), the training of 08 digits (over 5 minutes under valgrind) and
# 09 gemm (its reference products take 8 minutes there; the sanitizer build runs it).
VALGRIND_SUITES ?= 01 fail,02 forward pass,02 mnist/loading,02 mnist/malformed files,02 rng,\
    03 softmax and loss,05 sgd,05 output,05 plots,06 model,07 training,08 files,08 faults,08 flags,\
    08 fuzzed,08 pictures,08 png/files,\
    09 fast,10 conv/sizes,10 conv/convolution,10 conv/max pooling,10 files,10 pictures
valgrind: deps
	@command -v valgrind >/dev/null 2>&1 || { echo "make valgrind: valgrind is not installed:" \
	    "apt-get install valgrind" >&2; exit 1; }
	@$(MAKE) --no-print-directory VALGRIND_BUILD=1 CFLAGS='-O2 -g' SANITIZE=0 CH=10 run-valgrind

# Inside that second make, $(BUILD) is build/valgrind/ (the Makefile's VALGRIND_BUILD).
VG = $(BUILD)
run-valgrind: all $(RUNNERS)
	@rm -rf $(VG)/run && mkdir -p $(VG)/run
	@echo "== valgrind: ch08-using-the-network, a small network on the sample, saved"
	$(VALGRIND) $(VG)/ch08-using-the-network --data data/sample --layers 784,32,10 --epochs 2 \
	    --curve never --log $(VG)/run/ch08.tsv --save $(VG)/run/model.nn >/dev/null
	@echo "== valgrind: predict, reading two example digits with it"
	$(VALGRIND) $(VG)/predict --model $(VG)/run/model.nn chapters/08-using-the-network/digits/3.pgm \
	    chapters/08-using-the-network/digits/7.pgm >/dev/null
	@echo "== valgrind: ch10-convolution, a small convolutional network on the sample, saved"
	$(VALGRIND) $(VG)/ch10-convolution --data data/sample --layers 784,conv4k5,pool2,conv4k3,10 \
	    --epochs 1 --curve never --log $(VG)/run/ch10.tsv --save $(VG)/run/model-conv.nn >/dev/null
	@echo "== valgrind: predict, reading an example digit with it"
	$(VALGRIND) $(VG)/predict --model $(VG)/run/model-conv.nn \
	    chapters/08-using-the-network/digits/3.pgm >/dev/null
	@echo "== valgrind: the test suites $(VALGRIND_SUITES), in one process (CK_FORK=no)"
	@suites='$(VALGRIND_SUITES)'; IFS=,; for entry in $$suites; do \
	    entry=$${entry# }; suite=$${entry%%/*}; tcase=$${entry#"$$suite"}; \
	    if [ -n "$$tcase" ]; then export CK_RUN_CASE="$${tcase#/}"; else unset CK_RUN_CASE; fi; \
	    CK_FORK=no CK_RUN_SUITE="$$suite" $(VALGRIND) $(VG)/tests/suites-float-ch10 \
	        >$(VG)/run/suite.out || exit 1; \
	    echo "$$entry: $$(grep '%: Checks' $(VG)/run/suite.out || echo passed)"; done

.PHONY: valgrind run-valgrind
