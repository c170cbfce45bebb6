# mk/mpi.mk: chapter 11's measurements and model, where mpicc is found: `make bench-mpi`
# (mk/bench-mpi.sh: MPI's α and β here, the program on 1, 2 and 4 processes, the model to
# 1,024 drawn) and `make ch11-scaling` (chapters/11-many-machines/scaling.c). Included by the
# Makefile.
ifneq ($(MPICC),)
SCALING := $(BUILD)/ch11-scaling
$(SCALING): $(call obj_dir,$(REAL))/chapters/11-many-machines/scaling.o $(call lib_objs,$(REAL),$(LIB_11)) $(BUILD)/real
	$(call say,LINK,$@)$(LINK) $(filter %.o,$^) $(PNG_LIBS) $(MPI_LIBS) -lm -o $@
$(call obj_dir,$(REAL))/tests/mpi/bench_allreduce.o: COMPILE += $(MPI_CFLAGS)
$(BUILD)/bench-allreduce: $(call obj_dir,$(REAL))/tests/mpi/bench_allreduce.o
	$(call say,LINK,$@)$(LINK) $^ $(MPI_LIBS) -o $@
ch11-scaling: $(SCALING)
# IMAGES: the training split of $(BENCH_MPI_DATA) (50,000 of MNIST's 60,000), for the model's
# steps per epoch.
BENCH_MPI_DATA ?= data
BENCH_MPI_IMAGES ?= 50000
bench-mpi: $(BUILD)/bench-allreduce $(call program,11-many-machines) $(SCALING)
	sh mk/bench-mpi.sh $(BUILD) $(BENCH_MPI_DATA) $(BENCH_MPI_IMAGES) build
else
ch11-scaling bench-mpi:
	@echo "make $@: $(NO_MPI)" >&2; exit 1
endif
.PHONY: ch11-scaling bench-mpi
