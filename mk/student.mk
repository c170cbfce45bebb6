# mk/student.mk: grading a student's module, STUDENT_<module>=<file> (README.md, "For instructors").
#
# Each STUDENT_ variable is checked before anything is built, and refused with one line saying
# why: a module that lib/ does not have (with the names close to it), a module that comes after
# the chapters CH tests, a file that is missing or unreadable. The file is then copied, whatever
# its path holds (spaces, quotes), to $(STUDENT_SRC)/<module>.c at every run, compared first so
# that an unchanged file is not rebuilt; the build names only that copy, so a submission deleted
# or moved later never breaks a later grading.

ALL_MODULES := $(LIB_$(lastword $(NUMBERS)))

# $(call introduced_in,MODULE): the chapter whose LIB_ line first names MODULE.
introduced_in = $(firstword $(foreach n,$(NUMBERS),$(if $(filter $(1),$(LIB_$(n))),$(n))))

# $(call close_to,NAME): the modules NAME may have meant (case, a .c, a letter more or less).
close_to = $(shell printf '%s\n' $(ALL_MODULES) | awk -v w=$(call shell_quote,$(1)) \
    'BEGIN { w = tolower(w); sub(/\.c$$/, "", w) } \
     $$0 == w || index(w, $$0) == 1 || index($$0, w) == 1 || substr($$0, 1, 4) == substr(w, 1, 4)' \
    | paste -sd, - | sed 's/,/, /g')

# $(call check_student,MODULE): nothing, or stops make saying what is wrong with STUDENT_MODULE.
check_student = $(strip \
    $(if $(filter $(1),$(ALL_MODULES)),, \
        $(error STUDENT_$(1): lib/ has no module "$(1)"$(if $(call close_to,$(1)),; did you mean \
            $(call close_to,$(1))?,; the modules are $(ALL_MODULES)))) \
    $(if $(filter $(1),$(LIB_$(CH))),, \
        $(error STUDENT_$(1): lib/$(1).c comes in chapter $(call introduced_in,$(1)), and CH=$(CH) \
            tests chapters 01 to $(CH) only: use CH=$(call introduced_in,$(1)) or later)) \
    $(if $(STUDENT_$(1)),,$(error STUDENT_$(1) is empty: give the student's file)) \
    $(if $(shell test -f $(call shell_quote,$(STUDENT_$(1))) && test -r $(call shell_quote,$(STUDENT_$(1))) && echo ok),, \
        $(error STUDENT_$(1)=$(STUDENT_$(1)): no such readable file (check the path; quote it if \
            it holds spaces))))

$(foreach m,$(STUDENT_MODULES),$(call check_student,$(m)))

# The copy, refreshed at every run; rebuilt from only when the student's file changed.
$(foreach m,$(STUDENT_MODULES),$(eval \
$(STUDENT_SRC)/$(m).c: FORCE ; @mkdir -p $$(@D) && \
    { cmp -s -- $(call shell_quote,$(STUDENT_$(m))) $$@ || cp -- $(call shell_quote,$(STUDENT_$(m))) $$@; }))

# The chapter that introduces MODULE (make -s chapter-of MODULE=backprop: 04), for mk/grade.sh.
chapter-of:
	@echo $(call introduced_in,$(MODULE))
.PHONY: chapter-of
