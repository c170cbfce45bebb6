# chapter.mk: lets a chapter build from its own folder (`make -C chapters/05-sgd`, or `make`
# inside it). Each chapter's Makefile sets CH to its number and includes this file; the
# work is done by the top-level Makefile, so there is one set of rules and one build/.
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)

all:
	$(MAKE) -C $(TOP) ch$(CH)
run: all
	$(MAKE) -C $(TOP) --no-print-directory run-ch$(CH)
test:
	$(MAKE) -C $(TOP) test CH=$(CH)
clean:
	$(MAKE) -C $(TOP) clean
.PHONY: all run test clean
