# torture.mk - automake fragment: loom's MTTCG torture tests.
#
# Include it from the top-level Makefile.am after tests/guest/guest.mk,
# whose compiler flags, common start-up code and link script it reuses:
#
#     include $(srcdir)/tests/torture/torture.mk
#
# Provided:
#   TORTURE_ELFS        the test ELFs (tests/torture/<name>.elf)
#   TORTURE_SHORT_ELFS  short builds of some (tests/torture/<name>-short.elf)
#   TORTURE_BROKEN_ELFS broken builds run-weak-broken.sh expects to fail
#   TORTURE_DIST_FILES  sources, list, runner and docs to distribute
#   torture-tests       phony target: build all test ELFs
#   check-torture       phony target: build them and run the runner
#                       (LOOM=... overrides the emulator, default ./loom)
#
# To add a test: add tests/torture/<name>.elf to TORTURE_ELFS, its
# source to TORTURE_DIST_FILES, and a line to torture.list.

TORTURE_SRCDIR = $(srcdir)/tests/torture

TORTURE_ELFS = \
	tests/torture/amo.elf \
	tests/torture/locks.elf \
	tests/torture/mp.elf \
	tests/torture/mp-tso.elf \
	tests/torture/smc.elf \
	tests/torture/flush.elf

TORTURE_DIST_FILES = \
	tests/torture/README.md \
	tests/torture/torture.list \
	tests/torture/torture.mk \
	tests/torture/torture.h \
	tests/torture/mp-common.h \
	tests/torture/run-torture.sh \
	tests/torture/run-weak-broken.sh \
	tests/torture/amo.S \
	tests/torture/locks.S \
	tests/torture/mp.S \
	tests/torture/mp-tso.S \
	tests/torture/smc.S \
	tests/torture/flush.S

$(TORTURE_ELFS): tests/torture/%.elf: $(TORTURE_SRCDIR)/%.S \
		$(TORTURE_SRCDIR)/torture.h $(TORTURE_SRCDIR)/mp-common.h \
		$(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/torture
	$(AM_V_GEN)$(GUEST_BUILD) -I$(TORTURE_SRCDIR) $<

# Short builds (ITERS=5000) for the exclusive-section runs: every AMO or
# LR/SC window there stops the other vCPUs, which under ThreadSanitizer
# costs milliseconds; 4 harts x 5000 rounds still contend on every word.
TORTURE_SHORT_ELFS = tests/torture/amo-short.elf tests/torture/locks-short.elf
$(TORTURE_SHORT_ELFS): tests/torture/%-short.elf: $(TORTURE_SRCDIR)/%.S \
		$(TORTURE_SRCDIR)/torture.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/torture
	$(AM_V_GEN)$(GUEST_BUILD) -I$(TORTURE_SRCDIR) -DITERS=5000 $<

# Broken on purpose, for run-weak-broken.sh (the interpreter's weak=on
# must make them fail), with a tenth of the rounds: mp without its
# fences and .rl/.aq (TORTURE_BREAK=1), locks whose LR/SC lock is
# released without fence rw,w (TORTURE_NOFENCE), and mp-tso as it is
# (broken by -accel tcg,mb-insert=off when it runs).
TORTURE_BROKEN_ELFS = tests/torture/mp-nofence.elf tests/torture/locks-nofence.elf \
	tests/torture/mp-tso-short.elf
tests/torture/mp-nofence.elf: $(TORTURE_SRCDIR)/mp.S $(TORTURE_SRCDIR)/torture.h \
		$(TORTURE_SRCDIR)/mp-common.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/torture
	$(AM_V_GEN)$(GUEST_BUILD) -I$(TORTURE_SRCDIR) -DTORTURE_BREAK=1 -DROUNDS=200000 $<
tests/torture/mp-tso-short.elf: $(TORTURE_SRCDIR)/mp-tso.S $(TORTURE_SRCDIR)/torture.h \
		$(TORTURE_SRCDIR)/mp-common.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/torture
	$(AM_V_GEN)$(GUEST_BUILD) -I$(TORTURE_SRCDIR) -DROUNDS=200000 $<
tests/torture/locks-nofence.elf: $(TORTURE_SRCDIR)/locks.S $(TORTURE_SRCDIR)/torture.h \
		$(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/torture
	$(AM_V_GEN)$(GUEST_BUILD) -I$(TORTURE_SRCDIR) -DTORTURE_NOFENCE -DITERS=100000 $<

torture-tests: $(TORTURE_ELFS) $(TORTURE_SHORT_ELFS) $(TORTURE_BROKEN_ELFS)

check-torture: $(TORTURE_ELFS) $(TORTURE_SHORT_ELFS) $(TORTURE_BROKEN_ELFS)
	LOOM="$${LOOM:-./loom}" $(SHELL) $(TORTURE_SRCDIR)/run-torture.sh tests/torture
	LOOM="$${LOOM:-./loom}" $(SHELL) $(TORTURE_SRCDIR)/run-weak-broken.sh tests/torture

.PHONY: torture-tests check-torture
