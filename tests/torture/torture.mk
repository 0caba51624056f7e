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
#   A64_TORTURE_ELFS, A64_TORTURE_SHORT_ELFS, A64_TORTURE_BROKEN_ELFS
#                       the AArch64 tests (tests/torture/aarch64), built
#                       with AARCH64_CC; a64-torture-tests and
#                       check-a64-torture as above
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

# The AArch64 torture tests (tests/torture/README.md, "AArch64"), built
# with AARCH64_CC (configure: aarch64-linux-gnu-gcc, empty without one):
# <name>.S + tests/guest/aarch64-isa/common.S + aarch64/lib.S, linked
# with tests/guest/aarch64-isa/link.ld.  To add one: its ELF in
# A64_TORTURE_ELFS, its source in TORTURE_DIST_FILES, a line in
# aarch64/torture.list.
A64_TORTURE_SRCDIR = $(TORTURE_SRCDIR)/aarch64
A64_ISA_SRCDIR = $(srcdir)/tests/guest/aarch64-isa

A64_TORTURE_ELFS = \
	tests/torture/aarch64/excl.elf \
	tests/torture/aarch64/lse.elf \
	tests/torture/aarch64/mp.elf \
	tests/torture/aarch64/smc.elf \
	tests/torture/aarch64/tlbi.elf \
	tests/torture/aarch64/flush.elf

# Short builds for the exclusive-section runs (every atomic stops the
# other vCPUs), and the broken builds run-weak-broken.sh expects to fail
# under weak=on: excl without its release and acquire, mp without its
# barriers (STR for STLR, LDR for LDAR) and with a fifth of the rounds.
A64_TORTURE_SHORT_ELFS = tests/torture/aarch64/excl-short.elf \
	tests/torture/aarch64/lse-short.elf
A64_TORTURE_BROKEN_ELFS = tests/torture/aarch64/excl-nofence.elf \
	tests/torture/aarch64/mp-nofence.elf

TORTURE_DIST_FILES += \
	tests/torture/aarch64/torture.list \
	tests/torture/aarch64/run-torture.sh \
	tests/torture/aarch64/run-weak-broken.sh \
	tests/torture/aarch64/torture-a64.h \
	tests/torture/aarch64/lib.S \
	tests/torture/aarch64/excl.S \
	tests/torture/aarch64/lse.S \
	tests/torture/aarch64/mp.S \
	tests/torture/aarch64/smc.S \
	tests/torture/aarch64/tlbi.S \
	tests/torture/aarch64/flush.S

A64_TORTURE_DEPS = $(A64_TORTURE_SRCDIR)/torture-a64.h $(A64_TORTURE_SRCDIR)/lib.S \
	$(A64_ISA_SRCDIR)/a64.h $(A64_ISA_SRCDIR)/common.S $(A64_ISA_SRCDIR)/link.ld
A64_TORTURE_NEED_CC = if test -z "$(AARCH64_CC)"; then \
	echo "error: AARCH64_CC is empty (no aarch64-linux-gnu-gcc): cannot build $@" >&2; \
	exit 1; fi
# followed by the test's own flags and source ($<)
A64_TORTURE_BUILD = $(AARCH64_CC) -march=armv8.3-a -nostdlib -nostartfiles -static \
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-I$(A64_ISA_SRCDIR) -I$(A64_TORTURE_SRCDIR) -T $(A64_ISA_SRCDIR)/link.ld \
	-o $@ $(A64_ISA_SRCDIR)/common.S $(A64_TORTURE_SRCDIR)/lib.S

$(A64_TORTURE_ELFS): tests/torture/aarch64/%.elf: $(A64_TORTURE_SRCDIR)/%.S $(A64_TORTURE_DEPS)
	@$(A64_TORTURE_NEED_CC)
	@$(MKDIR_P) tests/torture/aarch64
	$(AM_V_GEN)$(A64_TORTURE_BUILD) $<
$(A64_TORTURE_SHORT_ELFS): tests/torture/aarch64/%-short.elf: $(A64_TORTURE_SRCDIR)/%.S $(A64_TORTURE_DEPS)
	@$(A64_TORTURE_NEED_CC)
	@$(MKDIR_P) tests/torture/aarch64
	$(AM_V_GEN)$(A64_TORTURE_BUILD) -DITERS=5000 $<
tests/torture/aarch64/excl-nofence.elf: $(A64_TORTURE_SRCDIR)/excl.S $(A64_TORTURE_DEPS)
	@$(A64_TORTURE_NEED_CC)
	@$(MKDIR_P) tests/torture/aarch64
	$(AM_V_GEN)$(A64_TORTURE_BUILD) -DTORTURE_NOFENCE $<
tests/torture/aarch64/mp-nofence.elf: $(A64_TORTURE_SRCDIR)/mp.S $(A64_TORTURE_DEPS)
	@$(A64_TORTURE_NEED_CC)
	@$(MKDIR_P) tests/torture/aarch64
	$(AM_V_GEN)$(A64_TORTURE_BUILD) -DTORTURE_BREAK=1 -DROUNDS=200000 $<

a64-torture-tests: $(A64_TORTURE_ELFS) $(A64_TORTURE_SHORT_ELFS) $(A64_TORTURE_BROKEN_ELFS)

check-a64-torture: a64-torture-tests
	LOOM="$${LOOM:-./loom}" $(SHELL) $(A64_TORTURE_SRCDIR)/run-torture.sh tests/torture/aarch64
	LOOM="$${LOOM:-./loom}" $(SHELL) $(A64_TORTURE_SRCDIR)/run-weak-broken.sh tests/torture/aarch64

.PHONY: a64-torture-tests check-a64-torture

.PHONY: torture-tests check-torture
