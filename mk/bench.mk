# mk/bench.mk: the measurements: `make bench` (the matrix products, a training epoch, chapter 10's
# layers), bench-conv, bench-recipe, bench-phases, and chapter 09's ch09-flags and ch09-asm.
# Included by the Makefile.

# OpenBLAS, when installed, only for make bench's comparison: nothing else links it.
CBLAS_FLAGS := $(shell pkg-config --cflags openblas 2>/dev/null)
CBLAS_LIBS  := $(shell pkg-config --libs openblas 2>/dev/null)
bench: $(BUILD)/bench-matrix $(BUILD)/bench-conv
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BUILD)/bench-matrix
	OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 $(BUILD)/bench-matrix
	OMP_NUM_THREADS=1 $(BUILD)/bench-conv
	OMP_NUM_THREADS=2 $(BUILD)/bench-conv
$(call obj_dir,$(REAL))/tests/bench/bench_matrix.o: COMPILE += $(CBLAS_FLAGS) $(if $(CBLAS_LIBS),-DNN_HAVE_CBLAS)
$(BUILD)/bench-matrix: $(call obj_dir,$(REAL))/tests/bench/bench_matrix.o $(call obj_dir,$(REAL))/tests/bench/peak.o $(call lib_objs,$(REAL),$(LIB_09)) $(BUILD)/real
	$(call say,LINK,$@)$(LINK) $(filter %.o,$^) $(CBLAS_LIBS) $(PNG_LIBS) -lm -o $@


# Where chapter 09's step spends its time: each phase of the yardstick step in µs (the gather,
# each layer's forward and backward pass, the rest), on one thread and two.
bench-phases: $(BUILD)/bench-phases
	OMP_NUM_THREADS=1 $(BUILD)/bench-phases
	OMP_NUM_THREADS=2 $(BUILD)/bench-phases
$(BUILD)/bench-phases: $(call obj_dir,$(REAL))/tests/bench/bench_phases.o $(call lib_objs,$(REAL),$(LIB_09)) $(BUILD)/real
	$(call say,LINK,$@)$(LINK) $(filter %.o,$^) $(PNG_LIBS) -lm -o $@

# Chapter 10's network: its convolution layers' GFLOP/s and one training epoch, ours on one thread
# and two (make bench runs these too), then PyTorch's (tests/bench/conv_torch.py) beside them, when
# a Python with torch is found.
bench-conv: $(BUILD)/bench-conv
	OMP_NUM_THREADS=1 $(BUILD)/bench-conv
	OMP_NUM_THREADS=2 $(BUILD)/bench-conv
	@if [ -n "$(TORCH_PYTHON)" ]; then for t in 1 2; do \
	    $(TORCH_PYTHON) tests/bench/conv_torch.py data $$t || exit 1; done; \
	else echo "  PyTorch: no Python with torch here (Debian: apt-get install python3-torch)"; fi
$(BUILD)/bench-conv: $(call obj_dir,$(REAL))/tests/bench/bench_conv.o $(call obj_dir,$(REAL))/tests/bench/peak.o $(call lib_objs,$(REAL),$(LIB_10)) $(BUILD)/real
	$(call say,LINK,$@)$(LINK) $(filter %.o,$^) $(PNG_LIBS) -lm -o $@

# Chapter 07's recipe as `make run` trains it (build/train, one thread and two), and the same
# recipe in PyTorch beside it (tests/bench/recipe_torch.py) when a Python with torch is found
# (Debian: apt-get install python3-torch). About two minutes.
TORCH_PYTHON = $(firstword $(foreach p,python3 /usr/bin/python3,$(if $(shell $(p) -c 'import torch' 2>/dev/null && echo y),$(p))))
bench-recipe: $(TRAIN)
	@echo "chapter 07's recipe, 784-256-128-10, 15 epochs, on the full MNIST set:"
	@for t in 1 2; do out=$$(OMP_NUM_THREADS=$$t $(TRAIN) --curve never \
	    --log build/logs/bench/recipe.tsv --save build/bench-recipe.nn) || exit 1; \
	    echo "$$out" | sed -n "s|^final: |  build/train, $$t thread(s): |p"; done
	@if [ -n "$(TORCH_PYTHON)" ]; then for t in 1 2; do \
	    $(TORCH_PYTHON) tests/bench/recipe_torch.py data $$t || exit 1; done; \
	else echo "  PyTorch: no Python with torch here (Debian: apt-get install python3-torch)"; fi

# Chapter 09: one loop (chapters/09-speed/flags.c) built with each set of flags (ARCH: the
# target the build found, -march=native where the compiler takes it), and the
# instructions the compiler made of its inner loop.
CH09_FLAGS := "-O2" "-O3" "-O3 $(ARCH)" "-O3 $(ARCH) -ffp-contract=fast"
ch09-flags:
	@mkdir -p $(BUILD)/flags
	@echo "i-k-j with restrict, (128×784)·(784×64), GFLOP/s:       float double"
	@for f in $(CH09_FLAGS); do \
	    $(CC) $(WARN) -ffp-contract=off $$f chapters/09-speed/flags.c -o $(BUILD)/flags/ikj && \
	    $(BUILD)/flags/ikj "$(CC) $$f" || exit 1; done
ch09-asm:
	@echo "vector arithmetic in flags.c at -O3 $(ARCH) -ffp-contract=fast (count, instruction, register):"
	@$(CC) $(WARN) -O3 $(ARCH) -ffp-contract=fast -S -o - chapters/09-speed/flags.c | \
	    grep -oE 'v(fmadd|mul|add)[0-9a-z]*p[sd]\s.*%[xyz]mm' | \
	    sed -E 's/^([a-z0-9]+)\s.*%([xyz]mm)$$/\1 \2/' | sort | uniq -c | sort -rn

.PHONY: bench bench-conv bench-recipe bench-phases ch09-flags ch09-asm
