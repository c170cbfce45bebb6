# mk/fuzz.mk: `make fuzz`, libFuzzer on every parser of outside input (tests/fuzz/fuzz.h), built
# with clang in $(BUILD)/fuzz/ (build/fuzz/). Included by the Makefile.
#
# Each target runs FUZZ_SECONDS on a copy, in $(BUILD)/fuzz/corpus/, of its committed seeds and past
# crashes, so that what it finds never lands in tests/. A crash stops `make fuzz` naming the
# input that caused it: fix the bug, then commit the input under tests/fuzz/regressions/<target>/.
FUZZ_TARGETS := idx model_file pgm png flags
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_FLAGS   := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# One thread: -fopenmp-simd keeps chapter 09's `omp simd` hints and drops its threads; at -O1
# clang does not vectorise those loops, and would say so (-Wpass-failed) in the middle of fuzzing.
FUZZ_COMPILE  = $(FUZZ_CC) $(WARN) $(EXACT) $(DEFS) -Ilib $(FUZZ_FLAGS) -fopenmp-simd \
                -Wno-pass-failed -fsanitize=fuzzer-no-link
ifneq ($(filter fuzz fuzz-build,$(MAKECMDGOALS)),)
$(call stamp,$(FUZZ_DIR)/flags,$(FUZZ_COMPILE))
endif

$(FUZZ_DIR)/obj/%.o: %.c $(FUZZ_DIR)/flags
	@mkdir -p $(@D)
	$(call say,CC,$<)$(FUZZ_COMPILE) -MMD -MP -c $< -o $@
$(FUZZ_DIR)/obj/libfuzzer-%.o: tests/fuzz/libfuzzer.c $(FUZZ_DIR)/flags
	@mkdir -p $(@D)
	$(call say,CC,$@)$(FUZZ_COMPILE) -DFUZZ_TARGET=fuzz_$* -c $< -o $@
$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/libfuzzer-%.o $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o \
                    $(patsubst %,$(FUZZ_DIR)/obj/lib/%.o,$(LIB_10))
	$(call say,LINK,$@)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $^ $(PNG_LIBS) -lm -o $@

.PRECIOUS: $(FUZZ_DIR)/obj/%.o $(FUZZ_DIR)/obj/libfuzzer-%.o
fuzz-build: fuzz-tools $(foreach t,$(FUZZ_TARGETS),$(FUZZ_DIR)/fuzz_$(t))

# Says what to install when clang or its libFuzzer is missing, before any compiling.
fuzz-tools:
	@command -v $(FUZZ_CC) >/dev/null 2>&1 || { echo "make fuzz: $(FUZZ_CC) is not installed:" \
	    "fuzzing needs clang and libFuzzer: apt-get install clang libclang-rt-dev" >&2; exit 1; }
	@mkdir -p $(FUZZ_DIR) && printf '%s\n' '#include <stddef.h>' \
	    'int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n) { return d == NULL && n; }' \
	    >$(FUZZ_DIR)/probe.c
	@$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $(FUZZ_DIR)/probe.c -o $(FUZZ_DIR)/probe \
	    2>/dev/null || { echo "make fuzz: $(FUZZ_CC) cannot link libFuzzer (-fsanitize=fuzzer):" \
	    "install its runtime: apt-get install libclang-rt-dev" >&2; exit 1; }

# libFuzzer's last lines give the figures: "#N DONE cov: C ft: F corp: ..." and the executions.
fuzz: fuzz-build
	@failed=0; for t in $(FUZZ_TARGETS); do \
	    corpus=$(FUZZ_DIR)/corpus/$$t; crashes=$(FUZZ_DIR)/crashes/$$t; \
	    rm -rf $$corpus; mkdir -p $$corpus $$crashes; \
	    cp tests/fuzz/corpus/$$t/* $$corpus/; \
	    if [ -d tests/fuzz/regressions/$$t ]; then cp tests/fuzz/regressions/$$t/* $$corpus/; fi; \
	    dict=tests/fuzz/$$t.dict; [ -f $$dict ] && dict=-dict=$$dict || dict=; \
	    echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	    if $(FUZZ_DIR)/fuzz_$$t $$corpus $$dict -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	        -close_fd_mask=1 -print_final_stats=1 -artifact_prefix=$$crashes/ \
	        >$(FUZZ_DIR)/$$t.log 2>&1; then \
	        grep -E '^#[0-9]+[[:space:]]+DONE' $(FUZZ_DIR)/$$t.log | tail -n 1; \
	        grep -E 'stat::(number_of_executed_units|average_exec_per_sec)' $(FUZZ_DIR)/$$t.log; \
	    else \
	        failed=1; tail -n 40 $(FUZZ_DIR)/$$t.log; \
	        echo "fuzz_$$t FAILED: the input that did it: $$(sed -n 's/.*Test unit written to //p' $(FUZZ_DIR)/$$t.log)"; \
	        echo "(the whole log: $(FUZZ_DIR)/$$t.log; replay: $(FUZZ_DIR)/fuzz_$$t FILE)"; \
	    fi; \
	done; exit $$failed

.PHONY: fuzz fuzz-build fuzz-tools
