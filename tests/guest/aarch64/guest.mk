# guest.mk - automake fragment: loom's bare-metal AArch64 guest tests.
#
#     include $(srcdir)/tests/guest/aarch64/guest.mk
#
# configure AC_SUBSTs AARCH64_CC (aarch64-linux-gnu-gcc, or empty when
# the cross compiler is missing).  Provided:
#   A64_GUEST_ELFS        every test ELF (tests/guest/aarch64/<name>.elf)
#   A64_GUEST_DIST_FILES  sources, list, runner, inputs and outputs
#   a64-guest-tests       phony: build the ELFs
#
# Each ELF = start.S + <name>.S, linked with link.ld at 0x40000000.  To
# add a test: its ELF in A64_GUEST_ELFS, its source in
# A64_GUEST_DIST_FILES, its line in tests.list.

A64_GUEST_SRCDIR = $(srcdir)/tests/guest/aarch64

A64_GUEST_CFLAGS = -march=armv8-a -nostdlib -nostartfiles -static \
	-Wl,--build-id=none -I$(A64_GUEST_SRCDIR) -T $(A64_GUEST_SRCDIR)/link.ld

A64_GUEST_DEPS = $(A64_GUEST_SRCDIR)/start.S $(A64_GUEST_SRCDIR)/a64.h \
	$(A64_GUEST_SRCDIR)/link.ld

A64_GUEST_ELFS = \
	tests/guest/aarch64/harness.elf \
	tests/guest/aarch64/smp_start.elf \
	tests/guest/aarch64/gic_sgi.elf \
	tests/guest/aarch64/gicv3_irq.elf \
	tests/guest/aarch64/timer_irq.elf \
	tests/guest/aarch64/uart_irq.elf \
	tests/guest/aarch64/pl011_echo.elf \
	tests/guest/aarch64/pl011_regs.elf

A64_GUEST_DIST_FILES = tests/guest/aarch64/guest.mk tests/guest/aarch64/tests.list \
	tests/guest/aarch64/run-guest-tests.sh tests/guest/aarch64/start.S \
	tests/guest/aarch64/a64.h tests/guest/aarch64/link.ld \
	tests/guest/aarch64/harness.S \
	tests/guest/aarch64/smp_start.S \
	tests/guest/aarch64/gic_sgi.S \
	tests/guest/aarch64/gicv3_irq.S tests/guest/aarch64/gicv3_irq.out \
	tests/guest/aarch64/timer_irq.S \
	tests/guest/aarch64/uart_irq.S \
	tests/guest/aarch64/pl011_echo.S \
	tests/guest/aarch64/pl011_regs.S \
	tests/guest/aarch64/harness.out tests/guest/aarch64/uart_irq.out \
	tests/guest/aarch64/pl011_echo.in tests/guest/aarch64/pl011_echo.out \
	tests/guest/aarch64/pl011_regs.in

A64_GUEST_NEED_CC = if test -z "$(AARCH64_CC)"; then \
	echo "error: AARCH64_CC is empty (no aarch64-linux-gnu-gcc): cannot build $@" >&2; \
	exit 1; fi

a64-guest-tests: $(A64_GUEST_ELFS)
.PHONY: a64-guest-tests

$(A64_GUEST_ELFS): tests/guest/aarch64/%.elf: $(A64_GUEST_SRCDIR)/%.S $(A64_GUEST_DEPS)
	@$(A64_GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest/aarch64
	$(AM_V_GEN)$(AARCH64_CC) $(A64_GUEST_CFLAGS) -o $@ $(A64_GUEST_SRCDIR)/start.S $<
