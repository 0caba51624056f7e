# demo.mk - automake fragment: loom's bare-metal demo programs.
#
# Include it from the top-level (non-recursive) Makefile.am:
#
#     include $(srcdir)/demos/demo.mk
#
# configure must AC_SUBST RISCV_CC (riscv64-unknown-elf-gcc, or empty).
# Nothing is built by default; the including Makefile.am decides, e.g.
#
#     if HAVE_RISCV_CC
#     noinst_DATA += $(DEMO_ELFS)
#     endif
#     EXTRA_DIST += $(DEMO_DIST_FILES)
#     CLEANFILES += $(DEMO_CLEANFILES)
#
# Provided:
#   DEMO_ELFS          demos/smp-demo.elf (build tree)
#   DEMO_DIST_FILES    sources and docs to distribute
#   DEMO_CLEANFILES    what "make clean" should remove
#   demos              phony target: build the demo ELFs
#   run-demo           phony target: run smp-demo on $(LOOM) (default
#                      ./loom) with -smp 4
# "make DEMO_EXTRA_CFLAGS=-DNHARTS=8 demos" changes the build-time knobs
# (see demos/README.md); the rule refuses to run when RISCV_CC is empty.

DEMO_SRCDIR = $(srcdir)/demos

DEMO_EXTRA_CFLAGS =
DEMO_CFLAGS = -O2 -Wall -Wextra -ffreestanding -fno-builtin \
	-march=rv64ima_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	-nostdlib -nostartfiles -static -mno-relax \
	-T $(DEMO_SRCDIR)/link.ld $(DEMO_EXTRA_CFLAGS)

DEMO_ELFS = demos/smp-demo.elf

DEMO_DIST_FILES = \
	demos/README.md \
	demos/demo.mk \
	demos/link.ld \
	demos/start.S \
	demos/smp-demo.c

DEMO_CLEANFILES = $(DEMO_ELFS)

demos: $(DEMO_ELFS)

run-demo: $(DEMO_ELFS)
	"$${LOOM:-./loom}" -M virt -smp 4 -bios none -kernel demos/smp-demo.elf -nographic

.PHONY: demos run-demo

demos/smp-demo.elf: $(DEMO_SRCDIR)/smp-demo.c $(DEMO_SRCDIR)/start.S \
		$(DEMO_SRCDIR)/link.ld
	@if test -z "$(RISCV_CC)"; then \
	  echo "error: RISCV_CC is empty (no riscv64-unknown-elf-gcc): cannot build $@" >&2; \
	  exit 1; fi
	@$(MKDIR_P) demos
	$(AM_V_GEN)$(RISCV_CC) $(DEMO_CFLAGS) -o $@ \
	  $(DEMO_SRCDIR)/start.S $(DEMO_SRCDIR)/smp-demo.c
