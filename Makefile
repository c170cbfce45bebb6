# Makefile: builds the library, the chapter programs and the tests; `make help` lists every target.
#
# Variables you may set on the command line:
#   CC, CFLAGS, LDFLAGS   the compiler and your flags (the warnings below are always on)
#   ARCH=-march=x86-64    the target CPU (default: -march=native, if $(CC) takes it)
#   OPENMP=0              one thread, no OpenMP (default: 1, if $(CC) builds with -fopenmp)
#   REAL=double           build with double instead of float (lib/real.h)
#   SANITIZE=1            AddressSanitizer + UndefinedBehaviorSanitizer, built in build/sanitize/
#   CH=04                 `make test` runs the suites of chapters 01..04 only
#   STUDENT_<module>=F    build with the student's file F in place of lib/<module>.c,
#                         in build/student/ (README.md, "For instructors")
#   FUZZ_SECONDS=60       how long `make fuzz` runs each fuzz target

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

REAL     ?= float
# ARCH: -march=native when the compiler takes it (mk/detect.mk finds out, below).
CFLAGS   ?= -O3 $(ARCH) -g
LDFLAGS  ?=
SANITIZE ?= 0

# ---- the chapters, and the lib modules each one adds ------------------------------------------
CHAPTERS := 01-matrices 02-forward-pass 03-softmax 04-backprop 05-sgd 06-deeper \
            07-better-training 08-using-the-network 09-speed 10-convolution 11-many-machines
NUMBERS  := $(foreach c,$(CHAPTERS),$(firstword $(subst -, ,$(c))))

LIB_01 := fail matrix timer
LIB_02 := $(LIB_01) error rng file mnist dense relu net
LIB_03 := $(LIB_02) softmax loss
LIB_04 := $(LIB_03) backprop gradcheck backprop_check
LIB_05 := $(LIB_04) args progress output trainlog report epoch sgd evaluate inspect curve
LIB_06 := $(LIB_05) layer model model_sgd
LIB_07 := $(LIB_06) weight_decay schedule optimizer dropout early_stop recipe recipe_flags recipe_run
LIB_08 := $(LIB_07) model_file pgm digitize picture saved_run
LIB_09 := $(LIB_08) transpose gemm fast_layer speed_run
LIB_10 := $(LIB_09) im2col conv pool conv_layer convnet conv_check feature_maps
# Chapter 11 trains with MPI: built only where mpicc is found (`make deps` installs OpenMPI);
# elsewhere `make` builds chapters 01..10 and `make test` says that chapter 11 was skipped.
MPICC      := $(shell command -v mpicc 2>/dev/null)
NO_MPI     := chapter 11 needs MPI: make deps installs OpenMPI
LIB_11     := $(LIB_10) $(if $(MPICC),data_parallel)
MPI_CFLAGS := $(if $(MPICC),$(shell $(MPICC) --showme:compile 2>/dev/null))
MPI_LIBS   := $(if $(MPICC),$(shell $(MPICC) --showme:link 2>/dev/null))
# $(call mpi_libs,MODULES): MPI's libraries when the modules need them.
mpi_libs = $(if $(filter data_parallel,$(1)),$(MPI_LIBS))

# libpng, when pkg-config finds it, lets lib/picture.c read PNG pictures (NN_HAVE_PNG); without
# it everything builds the same, and predict says, for a PNG, which package to install.
PNG_CFLAGS := $(if $(shell pkg-config --exists libpng 2>/dev/null && echo y),$(shell pkg-config --cflags libpng) -DNN_HAVE_PNG)
PNG_LIBS   := $(if $(PNG_CFLAGS),$(shell pkg-config --libs libpng))

# ---- where things go ------------------------------------------------------------------------
STUDENT_VARS := $(filter STUDENT_%,$(.VARIABLES))
STUDENT_MODULES := $(STUDENT_VARS:STUDENT_%=%)
# VALGRIND_BUILD=1 is `make valgrind`'s own build, in build/valgrind/ (see there).
BUILD := build$(if $(filter 1,$(SANITIZE)),/sanitize)$(if $(VALGRIND_BUILD),/valgrind)$(if $(STUDENT_VARS),/student)
# The students' files, copied here (mk/student.mk) so that the build never names their paths.
STUDENT_SRC := $(BUILD)/submitted
ifeq ($(filter $(REAL),float double),)
$(error REAL=$(REAL): the scalar type must be float or double)
endif

WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# No fused multiply-adds behind our back: gcc and clang then compute the same bits. Math
# functions need not set errno (nothing reads it), so sqrt can be one vector instruction:
# the same results, not -ffast-math.
EXACT := -ffp-contract=off -fno-math-errno
DEFS := -D_POSIX_C_SOURCE=200809L $(PNG_CFLAGS)
# Only the tests name the source tree and the build by their paths: a program finds data/, plots/
# and build/logs/ from the folder it runs in (the top of the source tree), or by its flags.
TEST_DEFS := -DNN_SOURCE_DIR='"$(CURDIR)"' -DNN_BUILD_DIR='"$(abspath $(BUILD))"'
SANITIZERS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN  := $(if $(filter 1,$(SANITIZE)),$(SANITIZERS))
REAL_DEFS_float  :=
REAL_DEFS_double := -DNN_REAL_DOUBLE
# OpenMP shares lib/gemm.c's blocks among the cores (chapter 09); OPENMP=0 builds without it
# (its `omp simd` hints stay: -fopenmp-simd honours them without threads). mk/detect.mk sets
# OPENMP, OMP_SIMD and ARCH from what $(CC) takes, and says so when it falls back.
include mk/detect.mk
OMP  := $(if $(filter 1,$(OPENMP)),-fopenmp,$(OMP_SIMD))
COMPILE = $(CC) $(WARN) $(EXACT) $(DEFS) -Ilib $(CPPFLAGS) $(CFLAGS) $(SAN) $(OMP)
# A student's file (mk/student.mk) is compiled with the same warnings, shown but not fatal.
STUDENT_COMPILE = $(filter-out -Werror,$(COMPILE))
LINK    = $(CC) $(CFLAGS) $(SAN) $(OMP) $(LDFLAGS)

# $(call shell_quote,TEXT): TEXT as one shell word.
shell_quote = '$(subst ','\'',$(1))'

# $(call stamp,FILE,TEXT) makes a rule that writes TEXT to FILE when FILE is missing or holds
# other text, so that whatever depends on FILE is rebuilt exactly when the compiler, the flags or
# a list of sources changes. Reading the Makefile only compares: `make help`, `make -n` write
# nothing; the rule writes, when something that depends on FILE is built.
stamp_differs = $(shell printf '%s\n' $(call shell_quote,$(2)) | cmp -s - $(1) 2>/dev/null || echo yes)
define stamp_rule
$(1): $(if $(call stamp_differs,$(1),$(2)),FORCE)
	@mkdir -p $$(@D) && printf '%s\n' $(call shell_quote,$(2)) >$$@
endef
stamp = $(eval $(call stamp_rule,$(1),$(2)))
.PHONY: FORCE
FORCE:

# Objects of one scalar type live in $(BUILD)/obj/<type>/; a stamp there holds the flags.
obj_dir = $(BUILD)/obj/$(1)
$(foreach r,float double,$(call stamp,$(call obj_dir,$(r))/flags,$(COMPILE) $(REAL_DEFS_$(r)) $(TEST_DEFS) | $(LINK) $(foreach v,$(STUDENT_VARS),$(v)=$($(v)))))

# $(call lib_objs,TYPE,MODULES): the object of each module, the student's where one is swapped in.
lib_obj  = $(if $(STUDENT_$(2)),$(call obj_dir,$(1))/student/$(2).o,$(call obj_dir,$(1))/lib/$(2).o)
lib_objs = $(foreach m,$(2),$(call lib_obj,$(1),$(m)))
# $(call own_objs,TYPE,MODULES): the library's own objects, never a student's.
own_objs = $(foreach m,$(2),$(call obj_dir,$(1))/lib/$(m).o)

# `make V=1` shows each command in full; otherwise one short line per file.
Q = $(if $(V),,@)
say = $(if $(V),,@printf '  %-5s %s\n' $(1) $(2);)

define compile_rules # $(1) = float | double
$(call obj_dir,$(1))/%.o: %.c $(call obj_dir,$(1))/flags
	@mkdir -p $$(@D)
	$$(call say,CC,$$<)$$(COMPILE) $$(REAL_DEFS_$(1)) -MMD -MP -c $$< -o $$@
$(foreach m,$(STUDENT_MODULES),
$(call obj_dir,$(1))/student/$(m).o: $(STUDENT_SRC)/$(m).c $(call obj_dir,$(1))/flags
	@mkdir -p $$(@D)
	$$(call say,CC,$$<)$$(STUDENT_COMPILE) $$(REAL_DEFS_$(1)) -MMD -MP -c $$< -o $$@
)
endef
$(foreach r,float double,$(eval $(call compile_rules,$(r))))

# ---- the chapter programs -------------------------------------------------------------------
# Chapter 04's program checks gradients, so it builds in double whatever REAL says.
TYPE_04 := double
program = $(BUILD)/ch$(1)
# The programs of a float and a double build share their names: relink when REAL changes.
$(call stamp,$(BUILD)/real,$(REAL))
define chapter_rules # $(1) = 05-sgd, $(2) = 05, $(3) = the scalar type
$(call program,$(1)): $(call obj_dir,$(3))/chapters/$(1)/main.o $(call lib_objs,$(3),$(LIB_$(2))) $(BUILD)/real
	$$(call say,LINK,$$@)$$(LINK) $$(filter %.o,$$^) $$(PNG_LIBS) $(call mpi_libs,$(LIB_$(2))) -lm -o $$@
ch$(2): $(call program,$(1))
run-ch$(2): $(call program,$(1))
	$(call program,$(1))
.PHONY: ch$(2) run-ch$(2)
endef
number = $(firstword $(subst -, ,$(1)))
# The chapters this machine builds: all of them, or, without mpicc, all but chapter 11.
BUILT_CHAPTERS := $(if $(MPICC),$(CHAPTERS),$(filter-out 11-%,$(CHAPTERS)))
$(foreach c,$(BUILT_CHAPTERS),$(eval $(call chapter_rules,$(c),$(call number,$(c)),$(or $(TYPE_$(call number,$(c))),$(REAL)))))
PROGRAMS := $(foreach c,$(BUILT_CHAPTERS),$(call program,$(c)))
ifeq ($(MPICC),)
ch11 run-ch11:
	@echo "make $@: $(NO_MPI)" >&2; exit 1
.PHONY: ch11 run-ch11
endif
# MPI's headers for the code that calls it; chapter 11's tests run it as parallel-steps, in
# double (tests/mpi/parallel_steps.c).
$(foreach r,float double,$(call obj_dir,$(r))/lib/data_parallel.o $(call obj_dir,$(r))/chapters/11-many-machines/main.o $(call obj_dir,$(r))/tests/mpi/parallel_steps.o): COMPILE += $(MPI_CFLAGS)
PARALLEL_STEPS := $(BUILD)/tests/parallel-steps
$(PARALLEL_STEPS): $(call obj_dir,double)/tests/mpi/parallel_steps.o $(call lib_objs,double,$(LIB_11))
	@mkdir -p $(@D)
	$(call say,LINK,$@)$(LINK) $^ $(PNG_LIBS) $(MPI_LIBS) -lm -o $@

# Chapter 08 has a second program beside its own: predict, which reads digits with a saved model.
# It links chapter 10's modules, so that it reads a convolutional network's file too.
PREDICT := $(BUILD)/predict
$(PREDICT): $(call obj_dir,$(REAL))/chapters/08-using-the-network/predict.o $(call lib_objs,$(REAL),$(LIB_10)) $(BUILD)/real
	$(call say,LINK,$@)$(LINK) $(filter %.o,$^) $(PNG_LIBS) -lm -o $@
ch08: $(PREDICT)
PROGRAMS += $(PREDICT)

# Chapter 09 has a second program too: train, chapter 08's trainer on the fast products.
TRAIN := $(BUILD)/train
$(TRAIN): $(call obj_dir,$(REAL))/chapters/09-speed/train.o $(call lib_objs,$(REAL),$(LIB_09)) $(BUILD)/real
	$(call say,LINK,$@)$(LINK) $(filter %.o,$^) $(PNG_LIBS) -lm -o $@
ch09: $(TRAIN)
PROGRAMS += $(TRAIN)

all: $(PROGRAMS)

# ---- the tests ------------------------------------------------------------------------------
CH ?= $(lastword $(NUMBERS))
ifeq ($(filter $(CH),$(NUMBERS)),)
$(error CH=$(CH): no such chapter; use one of $(NUMBERS))
endif
UPTO := $(wordlist 1,$(patsubst 0%,%,$(CH)),$(NUMBERS))
include mk/student.mk
# Gradient checks need double precision: they always build in double (chapter 04 shows why).
GRADIENT_SUITES := $(wildcard tests/check_*_gradients.c)
# The checks of the checks (deliberately wrong versions of modules, tests/check_NN_checker.c) test
# the library's own code: their runner links no student's module.
CHECKER_SUITES := $(wildcard tests/check_*_checker.c)
SUITES   := $(filter-out $(if $(MPICC),,tests/check_11_%),$(foreach n,$(UPTO),$(wildcard tests/check_$(n)_*.c)))
SUPPORT  := $(wildcard tests/support/*.c)
# The fuzz targets (tests/fuzz/), linked into the runner that replays their inputs, with the
# modules of chapter 10 that CH leaves out: the model file's target reads convolutional networks.
FUZZ_SOURCES := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_MODULES := $(filter-out $(LIB_$(CH)),$(LIB_10))
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

# $(call runner,TYPE,SUITE_FILES,NAME): a test program running the given suites.
suite_fn = $(patsubst tests/check_%.c,suite_%,$(1))
define runner_rules # $(1) = type, $(2) = suite files, $(3) = name, $(4) = own_objs, or lib_objs
$(call stamp,$(BUILD)/tests/$(3).suites,$(call suite_fn,$(2)))
$(BUILD)/tests/$(3).o: tests/runner.c $(BUILD)/tests/$(3).suites $(call obj_dir,$(1))/flags
	@mkdir -p $$(@D)
	$$(call say,CC,$$@)$$(COMPILE) $$(REAL_DEFS_$(1)) $$(CHECK_CFLAGS) '-DSUITES=$(foreach f,$(call suite_fn,$(2)),SUITE($(f)))' -c $$< -o $$@
$(BUILD)/tests/$(3): $(BUILD)/tests/$(3).o $(patsubst %.c,$(call obj_dir,$(1))/%.o,$(2) $(SUPPORT) $(if $(filter tests/check_08_fuzzed.c,$(2)),$(FUZZ_SOURCES))) $(call $(or $(4),lib_objs),$(1),$(LIB_$(CH))) $(if $(filter tests/check_08_fuzzed.c,$(2)),$(call own_objs,$(1),$(FUZZ_MODULES)))
	$$(call say,LINK,$$@)$$(LINK) $$^ $$(CHECK_LIBS) $$(PNG_LIBS) $(call mpi_libs,$(LIB_$(CH))) -lm -o $$@
endef
$(call obj_dir,float)/tests/%.o $(call obj_dir,double)/tests/%.o: COMPILE += $(CHECK_CFLAGS) $(TEST_DEFS)
CHECKERS := $(filter $(CHECKER_SUITES),$(SUITES))
RUNNERS := $(if $(CHECKERS),$(BUILD)/tests/checker-double-ch$(CH))
$(if $(CHECKERS),$(eval $(call runner_rules,double,$(CHECKERS),checker-double-ch$(CH),own_objs)))
ifeq ($(REAL),float)
RUNNERS += $(if $(filter $(GRADIENT_SUITES),$(SUITES)),$(BUILD)/tests/gradients-double-ch$(CH)) \
           $(BUILD)/tests/suites-float-ch$(CH)
$(if $(filter $(GRADIENT_SUITES),$(SUITES)),$(eval $(call runner_rules,double,$(filter $(GRADIENT_SUITES),$(SUITES)),gradients-double-ch$(CH))))
$(eval $(call runner_rules,float,$(filter-out $(GRADIENT_SUITES) $(CHECKER_SUITES),$(SUITES)),suites-float-ch$(CH)))
else
RUNNERS += $(BUILD)/tests/suites-double-ch$(CH)
$(eval $(call runner_rules,double,$(filter-out $(CHECKER_SUITES),$(SUITES)),suites-double-ch$(CH)))
endif

# Sanitized code runs three to four times slower: its tests get four times their time limits.
SLOWER := $(if $(filter 1,$(SANITIZE)),export CK_TIMEOUT_MULTIPLIER=$${CK_TIMEOUT_MULTIPLIER:-4};)

# Each lesson output block's fate, which run-tests sums up in its last line (tests/support/lesson.h).
LESSON_TALLY := $(BUILD)/tests/lesson-blocks.tsv

# `make test` first installs what is missing, then builds and runs the tests in a second make,
# which finds Check with pkg-config now that it is there.
test: deps
	@$(MAKE) --no-print-directory run-tests
# What the tests run: the runners, and the programs of the chapters asked for.
TEST_NEEDS = $(RUNNERS) $(foreach c,$(BUILT_CHAPTERS),$(if $(filter $(call number,$(c)),$(UPTO)),$(call program,$(c)))) \
             $(if $(filter 08,$(UPTO)),$(PREDICT)) $(if $(filter 09,$(UPTO)),$(TRAIN)) \
             $(if $(filter 11,$(UPTO)),$(if $(MPICC),$(PARALLEL_STEPS) $(BUILD)/ch11-scaling))
run-tests: $(TEST_NEEDS)
	@rm -f '$(LESSON_TALLY)'; failed=0; $(SLOWER) \
	    for runner in $(RUNNERS); do echo "== $$runner"; $$runner || failed=1; done; \
	    if [ -f '$(LESSON_TALLY)' ]; then awk -f tests/support/lesson-tally.awk '$(LESSON_TALLY)'; fi; \
	    $(if $(filter 11,$(UPTO)),$(if $(MPICC),,echo "chapter 11 skipped: $(NO_MPI)";)) \
	    exit $$failed

# ---- fuzzing, valgrind, the benchmarks, arm64: mk/fuzz.mk, mk/valgrind.mk, mk/bench.mk, mk/arm64.mk
include mk/fuzz.mk mk/valgrind.mk mk/bench.mk mk/arm64.mk
# ---- chapter 11's measurements and scaling model (where mpicc is found): mk/mpi.mk
include mk/mpi.mk
# ---- the lessons' long runs, two at a time: mk/lessons.mk
include mk/lessons.mk

# ---- data, running, plots, grading ----------------------------------------------------------
deps:
	@sh .ci/deps.sh

data:
	@sh data/fetch.sh

# The whole story in one command: a network trained and saved, the example digits read with the
# saved model, the pictures of the run drawn. NET=dense (the default): chapter 07's recipe on
# chapter 09's products (build/train), in seconds; NET=conv: chapter 10's convolutional network
# (build/ch10-convolution), in minutes.
NET ?= dense
RUN_TRAIN_dense := $(TRAIN)
RUN_MODEL_dense := build/model.nn
RUN_LOG_dense   := build/logs/ch09.tsv
RUN_TRAIN_conv  := $(call program,10-convolution)
RUN_MODEL_conv  := build/model-conv.nn
RUN_LOG_conv    := build/logs/ch10.tsv
ifneq ($(filter run,$(MAKECMDGOALS)),)
ifeq ($(RUN_TRAIN_$(NET)),)
$(error NET=$(NET): no such network; use NET=dense (the default: chapter 07's recipe, seconds) or NET=conv (chapter 10's convolutional network, minutes))
endif
endif
run: deps all
	@sh data/fetch.sh || echo "note: continuing with the bundled sample of MNIST (data/sample/)"
	$(RUN_TRAIN_$(NET))
	$(PREDICT) --model $(RUN_MODEL_$(NET)) chapters/08-using-the-network/digits/*.pgm
	@$(MAKE) --no-print-directory plots LOG=$(RUN_LOG_$(NET))

# Logs always go to build/logs/, whatever the build variant: plots read the latest run, the
# epoch log written last (LOG= names another). plots/draw.sh checks each file a picture reads
# before gnuplot draws it, and says which program to run when there is none.
epoch_logs = $(filter-out %.steps.tsv %.weights.tsv %.confusion.tsv %.worst.tsv %.worst-images.tsv %.maps.tsv,$(1))
LOG ?= $(or $(firstword $(call epoch_logs,$(shell ls -t build/logs/ch*.tsv 2>/dev/null))),build/logs/ch05.tsv)
# compare.png shows the runs of the last `make sweep`, or else the latest run of each chapter.
COMPARED = $(or $(call epoch_logs,$(sort $(wildcard build/logs/sweep/*.tsv))),$(call epoch_logs,$(sort $(wildcard build/logs/ch[0-9][0-9].tsv))))
plots: export NN_LOG = $(LOG)
plots:
	@sh plots/draw.sh "$(BUILD)/plots" "$$NN_LOG"
	@sh plots/draw.sh --compare $(BUILD)/plots $(COMPARED)

# A learning-rate sweep of chapter 05's network, one log per rate, for plots/compare.gp.
SWEEP_LRS ?= 0.01 0.05 0.2 0.5 1
SWEEP_EPOCHS ?= 5
sweep: $(call program,05-sgd)
	@rm -rf build/logs/sweep
	@mkdir -p build/logs/sweep
	@for lr in $(SWEEP_LRS); do out=build/logs/sweep/lr-$$lr.out; \
	    $(call program,05-sgd) --lr $$lr --epochs $(SWEEP_EPOCHS) --curve never \
	        --log build/logs/sweep/lr-$$lr.tsv >$$out 2>&1; \
	    echo "learning rate $$lr: $$(grep -h 'final:\|diverged' $$out | head -n 1)"; done
	@$(MAKE) --no-print-directory plots

# The figures the READMEs show (plots/figures/), redrawn from a fresh run of chapter 05's defaults.
figures: $(call program,05-sgd)
	$(call program,05-sgd) --curve never
	@sh plots/draw.sh $(BUILD)/plots build/logs/ch05.tsv
	cp $(BUILD)/plots/loss.png $(BUILD)/plots/weights.png plots/figures/

# The gradient check table, in double (chapter 04's program) and in float, to show why float fails.
gradcheck: $(call program,04-backprop) $(BUILD)/gradcheck-float
	@status=0; $(call program,04-backprop) || status=1; $(BUILD)/gradcheck-float; exit $$status
$(BUILD)/gradcheck-float: $(call obj_dir,float)/chapters/04-backprop/main.o $(call lib_objs,float,$(LIB_04))
	$(call say,LINK,$@)$(LINK) $^ -lm -o $@

# A class graded at once: `make grade SUBMISSIONS=folder [MODULE=backprop]` builds and tests
# each submission apart, two at a time (mk/grade.sh): $(BUILD)/grade/grades.csv, one row per
# student, and $(BUILD)/grade/<student>/report.txt (README.md, "For instructors").
grade: export GRADE_SUBMISSIONS = $(SUBMISSIONS)
grade: export GRADE_MODULE = $(MODULE)
grade: export GRADE_OUT = $(BUILD)/grade
grade: deps
	@sh mk/grade.sh "$$GRADE_SUBMISSIONS" "$$GRADE_MODULE" 2

# Every C file in the repository's own style (.clang-format), as Debian's clang-format reads it:
# each line it would change is reported, and the check fails. The example class's submissions
# (tests/grading/class/) are the students' own, left as they wrote them.
FORMAT_SOURCES = $(filter-out tests/grading/class/%,$(shell find lib chapters tests -name '*.[ch]'))
format-check:
	@command -v clang-format >/dev/null 2>&1 || { echo "make format-check: clang-format is not" \
	    "installed: apt-get install clang-format (Fedora: clang-tools-extra; macOS: brew" \
	    "install clang-format)" >&2; exit 1; }
	$(Q)clang-format --dry-run -Werror $(sort $(FORMAT_SOURCES)) && echo "make format-check:" \
	    "the $(words $(FORMAT_SOURCES)) C files are as .clang-format wants them"

# The build folder asked for: build/ (all of it), or BUILD=, or build/sanitize/ with SANITIZE=1.
# Never a folder that holds the source tree (BUILD=. or BUILD=..).
clean:
	$(if $(filter $(patsubst %/,%,$(abspath $(BUILD)))/%,$(CURDIR)/),$(error make clean: BUILD=$(BUILD) \
	    holds the source tree, so it is not removed; name a build folder, such as BUILD=build))
	rm -rf $(call shell_quote,$(BUILD))

help:
	@echo "make               build the library and every chapter program into build/"
	@echo "make chNN          build one chapter's program (make ch05), or: make -C chapters/05-sgd"
	@echo "make ch11          chapter 11, where mpicc is found: mpirun -np 2 ./build/ch11-many-machines"
	@echo "make test          install what is missing, build and run every test suite (CH=04: up to 04)"
	@echo "make test-long-lessons  the lessons' long runs on the full MNIST set, two at a time"
	@echo "make run           fetch MNIST, build, train and save the dense network (seconds), read the example digits, draw the plots"
	@echo "make run NET=conv  the same with chapter 10's convolutional network (minutes): build/model-conv.nn"
	@echo "make data          download and verify the four MNIST files into data/"
	@echo "make deps          install check, pkg-config, gnuplot and OpenMPI if missing (apt-get, dnf, pacman, brew)"
	@echo "make plots         draw every picture of the latest run (LOG=) into build/plots/"
	@echo "make figures       retrain chapter 05 and redraw the README figures in plots/figures/"
	@echo "make sweep         train chapter 05 at several learning rates (SWEEP_LRS=), draw them"
	@echo "make gradcheck     print every backprop formula's gradient check, in double and float"
	@echo "make bench         time the matrix products, a training epoch and chapter 10's layers"
	@echo "make bench-conv    time chapter 10's layers and an epoch, and PyTorch's beside them"
	@echo "make bench-recipe  time make run's training on one and two threads, and PyTorch's"
	@echo "make bench-phases  time each phase of chapter 09's training step, on one and two threads"
	@echo "make bench-mpi     chapter 11: MPI's α and β here, 1, 2, 4 processes, the model to 1,024"
	@echo "make ch09-flags    one loop built with -O2, -O3, $(ARCH), -ffp-contract=fast"
	@echo "make ch09-asm      the vector instructions the compiler made of that loop"
	@echo "make valgrind      run chapter 08, predict and the tests under valgrind: no leak, no error"
	@echo "make test-arm64    the tests of chapters 01-04 and 09's products, built for arm64, under qemu"
	@echo "make fuzz          fuzz every parser of outside input, FUZZ_SECONDS (60) each (clang)"
	@echo "make format-check  check every C file against .clang-format (clang-format)"
	@echo "make clean         remove the build folder: build/, or BUILD="
	@echo "make help          this list"
	@echo "variables: CC CFLAGS ARCH OPENMP=0 LDFLAGS REAL=double SANITIZE=1 CH=NN STUDENT_<module>=file.c FUZZ_SECONDS NET=conv"

.PHONY: all test run-tests deps data run plots sweep figures gradcheck grade format-check clean help

# What each object's source includes (-MMD), for every build in $(BUILD), fuzzing's too.
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
