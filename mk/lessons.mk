# mk/lessons.mk: `make test-long-lessons`, the lessons' long runs on the full MNIST set (the
# output blocks that `make test` skips unless NN_SLOW_LESSONS=1), in two lanes side by side.
# Included by the Makefile.
#
# Chapters 05 to 07 train with chapter 01's loops on one core; chapters 08 to 11's runs share
# no file with them (each lesson writes its own logs and models under build/), so the two lanes
# run at once and take about half the time of NN_SLOW_LESSONS=1 make test's lessons, one after
# the other. Each lane's suites run in order, as a lesson's blocks build on each other (chapter
# 08's predict reads the model its training saved).
LESSON_LANES := "05 lesson,06 lesson,07 lesson" "08 lesson,09 lesson,10 lesson,11 lesson"
LESSON_RUNNER = $(filter %/suites-float-ch$(CH) %/suites-double-ch$(CH),$(RUNNERS))

test-long-lessons: deps
	@$(MAKE) --no-print-directory run-long-lessons

run-long-lessons: $(TEST_NEEDS)
	@rm -f '$(LESSON_TALLY)'; lanes=$$(mktemp -d); pids=""; n=0; \
	    for lane in $(LESSON_LANES); do n=$$((n + 1)); \
	        ( IFS=,; for suite in $$lane; do \
	            CK_RUN_SUITE="$$suite" NN_SLOW_LESSONS=1 $(LESSON_RUNNER) || exit 1; done \
	        ) >"$$lanes/$$n" 2>&1 & pids="$$pids $$!"; done; \
	    failed=0; for pid in $$pids; do wait $$pid || failed=1; done; \
	    for lane in $$lanes/*; do cat "$$lane"; done; rm -rf "$$lanes"; \
	    awk -f tests/support/lesson-tally.awk '$(LESSON_TALLY)'; exit $$failed

.PHONY: test-long-lessons run-long-lessons
