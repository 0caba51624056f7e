# bench.mk - automake fragment: the benchmarks against QEMU (bench/).
#
# Include it from the top-level (non-recursive) Makefile.am:
#
#     include $(srcdir)/bench/bench.mk
#
# configure must AC_SUBST RISCV_CC (riscv64-unknown-elf-gcc, or empty) and
# AARCH64_CC (aarch64-linux-gnu-gcc, or empty).
# Provided:
#   BENCH_ELFS         bench/guests/intbench.elf, scalebench.elf,
#                      amobench-1.elf, -2, -4, fpbench.elf and, built for
#                      AArch64, intbench-a64.elf and fpbench-a64.elf
#                      (build tree)
#   BENCH_DIST_FILES   sources, script and docs to distribute
#   BENCH_CLEANFILES   what "make clean" should remove
#   bench-guests       phony target: the guest programs bench/run needs
#                      (the bench guests and the demo)
#   bench              phony target: build everything, then run bench/run
#                      (BENCH_ARGS="-n 5 --only intbench" passes options)
# Nothing is built by "make" or "make check": timings are never tests.

BENCH_SRCDIR = $(srcdir)/bench

BENCH_EXTRA_CFLAGS =
BENCH_CFLAGS = -O2 -Wall -Wextra -ffreestanding -fno-builtin \
	-march=rv64imac_zicsr -mabi=lp64 -mcmodel=medany \
	-nostdlib -nostartfiles -static -mno-relax \
	-T $(BENCH_SRCDIR)/guests/link.ld $(BENCH_EXTRA_CFLAGS)

BENCH_ELFS = bench/guests/intbench.elf bench/guests/scalebench.elf \
	bench/guests/amobench-1.elf bench/guests/amobench-2.elf \
	bench/guests/amobench-4.elf bench/guests/intbench-a64.elf \
	bench/guests/fpbench.elf bench/guests/fpbench-a64.elf

# fpbench: hardware FP on both ISAs, no contraction of a * b + c (so
# that its checksum is the same on both), sqrt without errno (no libm)
BENCH_FP_FLAGS = -ffp-contract=off -fno-math-errno
BENCH_RV_FP_CFLAGS = -O2 -Wall -Wextra -ffreestanding -fno-builtin \
	-march=rv64imafdc_zicsr -mabi=lp64d -mcmodel=medany \
	-nostdlib -nostartfiles -static -mno-relax \
	-T $(BENCH_SRCDIR)/guests/link.ld $(BENCH_FP_FLAGS) $(BENCH_EXTRA_CFLAGS)
BENCH_A64_FP_CFLAGS = -O2 -Wall -Wextra -ffreestanding -fno-builtin \
	-nostdlib -nostartfiles -static \
	-Wl,--no-warn-rwx-segments -Wl,--build-id=none -T $(BENCH_SRCDIR)/guests/link-a64.ld \
	$(BENCH_FP_FLAGS) $(BENCH_EXTRA_CFLAGS)

# AArch64: integer registers only (-mgeneral-regs-only), so that the
# integer benchmark measures the same integer work on both ISAs
BENCH_A64_CFLAGS = -O2 -Wall -Wextra -ffreestanding -fno-builtin \
	-mgeneral-regs-only -nostdlib -nostartfiles -static \
	-Wl,--no-warn-rwx-segments -Wl,--build-id=none -T $(BENCH_SRCDIR)/guests/link-a64.ld \
	$(BENCH_EXTRA_CFLAGS)

# every bench guest starts through smp-start.S (a stack per hart)
BENCH_SMP_DEPS = $(BENCH_SRCDIR)/guests/smp-start.S \
	$(BENCH_SRCDIR)/guests/guest.h $(BENCH_SRCDIR)/guests/link.ld

BENCH_DIST_FILES = \
	bench/README.md \
	bench/bench.mk \
	bench/run \
	bench/guests/link.ld \
	bench/guests/intbench.c \
	bench/guests/fpbench.c \
	bench/guests/smp-start.S \
	bench/guests/a64-start.S \
	bench/guests/link-a64.ld \
	bench/guests/guest.h \
	bench/guests/scalebench.c \
	bench/guests/amobench.c

BENCH_CLEANFILES = $(BENCH_ELFS)

# the first line of every multi-hart guest's recipe
BENCH_NEED_CC = \
	if test -z "$(RISCV_CC)"; then \
	  echo "error: RISCV_CC is empty (no riscv64-unknown-elf-gcc): cannot build $@" >&2; \
	  exit 1; fi; \
	$(MKDIR_P) bench/guests
BENCH_SMP_CC = $(RISCV_CC) $(BENCH_CFLAGS) $(BENCH_SRCDIR)/guests/smp-start.S

bench/guests/intbench.elf: $(BENCH_SRCDIR)/guests/intbench.c $(BENCH_SMP_DEPS)
	@$(BENCH_NEED_CC)
	$(AM_V_GEN)$(BENCH_SMP_CC) $(BENCH_SRCDIR)/guests/intbench.c -o $@

bench/guests/scalebench.elf: $(BENCH_SRCDIR)/guests/scalebench.c $(BENCH_SMP_DEPS)
	@$(BENCH_NEED_CC)
	$(AM_V_GEN)$(BENCH_SMP_CC) $(BENCH_SRCDIR)/guests/scalebench.c -o $@

bench/guests/amobench-1.elf: $(BENCH_SRCDIR)/guests/amobench.c $(BENCH_SMP_DEPS)
	@$(BENCH_NEED_CC)
	$(AM_V_GEN)$(BENCH_SMP_CC) -DNHARTS=1 $(BENCH_SRCDIR)/guests/amobench.c -o $@

bench/guests/amobench-2.elf: $(BENCH_SRCDIR)/guests/amobench.c $(BENCH_SMP_DEPS)
	@$(BENCH_NEED_CC)
	$(AM_V_GEN)$(BENCH_SMP_CC) -DNHARTS=2 $(BENCH_SRCDIR)/guests/amobench.c -o $@

bench/guests/amobench-4.elf: $(BENCH_SRCDIR)/guests/amobench.c $(BENCH_SMP_DEPS)
	@$(BENCH_NEED_CC)
	$(AM_V_GEN)$(BENCH_SMP_CC) -DNHARTS=4 $(BENCH_SRCDIR)/guests/amobench.c -o $@

bench/guests/intbench-a64.elf: $(BENCH_SRCDIR)/guests/intbench.c \
		$(BENCH_SRCDIR)/guests/a64-start.S $(BENCH_SRCDIR)/guests/guest.h \
		$(BENCH_SRCDIR)/guests/link-a64.ld
	@if test -z "$(AARCH64_CC)"; then \
	  echo "error: AARCH64_CC is empty (no aarch64-linux-gnu-gcc): cannot build $@" >&2; \
	  exit 1; fi; \
	$(MKDIR_P) bench/guests
	$(AM_V_GEN)$(AARCH64_CC) $(BENCH_A64_CFLAGS) $(BENCH_SRCDIR)/guests/a64-start.S \
	  $(BENCH_SRCDIR)/guests/intbench.c -o $@

bench/guests/fpbench.elf: $(BENCH_SRCDIR)/guests/fpbench.c $(BENCH_SMP_DEPS)
	@$(BENCH_NEED_CC)
	$(AM_V_GEN)$(RISCV_CC) $(BENCH_RV_FP_CFLAGS) $(BENCH_SRCDIR)/guests/smp-start.S \
	  $(BENCH_SRCDIR)/guests/fpbench.c -o $@

bench/guests/fpbench-a64.elf: $(BENCH_SRCDIR)/guests/fpbench.c \
		$(BENCH_SRCDIR)/guests/a64-start.S $(BENCH_SRCDIR)/guests/guest.h \
		$(BENCH_SRCDIR)/guests/link-a64.ld
	@if test -z "$(AARCH64_CC)"; then \
	  echo "error: AARCH64_CC is empty (no aarch64-linux-gnu-gcc): cannot build $@" >&2; \
	  exit 1; fi; \
	$(MKDIR_P) bench/guests
	$(AM_V_GEN)$(AARCH64_CC) $(BENCH_A64_FP_CFLAGS) $(BENCH_SRCDIR)/guests/a64-start.S \
	  $(BENCH_SRCDIR)/guests/fpbench.c -o $@

bench-guests: $(BENCH_ELFS) $(DEMO_ELFS)

bench: loom $(plugin_PROGRAMS) bench-guests
	bash $(BENCH_SRCDIR)/run --loom ./loom $(BENCH_ARGS)

.PHONY: bench bench-guests
