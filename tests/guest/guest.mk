# guest.mk - automake fragment: loom's bare-metal RISC-V guest tests.
#
# Include it from the top-level (non-recursive) Makefile.am:
#
#     include $(srcdir)/tests/guest/guest.mk
#
# configure must AC_SUBST RISCV_CC (riscv64-unknown-elf-gcc, or empty when
# the cross compiler is missing).  Nothing here is built by default: the
# including Makefile.am decides, e.g.
#
#     if HAVE_RISCV_CC
#     check_DATA += $(GUEST_TEST_ELFS)
#     endif
#     EXTRA_DIST += $(GUEST_DIST_FILES)
#     CLEANFILES += $(GUEST_CLEANFILES)
#
# Provided:
#   GUEST_TEST_ELFS    every test ELF (tests/guest/<name>.elf, build tree)
#   GUEST_DIST_FILES   sources, list, runner and docs to distribute
#   GUEST_CLEANFILES   what "make clean" should remove
#   guest-tests        phony target: build all test ELFs
#   check-guest        phony target: build them and run the runner
#                      (LOOM=... overrides the emulator, default ./loom)
#
# Each ELF = common.S + <name>.S, linked with link.ld.  To add a test,
# add its name to GUEST_TEST_NAMES, GUEST_TEST_ELFS, GUEST_DIST_FILES,
# copy one of the rules below, and list it in tests.list.
# Every rule refuses to run (with a message) when RISCV_CC is empty.

GUEST_SRCDIR = $(srcdir)/tests/guest

GUEST_CFLAGS = -march=rv64ima_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	-nostdlib -nostartfiles -static -mno-relax \
	-I$(GUEST_SRCDIR) -T $(GUEST_SRCDIR)/link.ld

# Tests of extensions beyond the base set (C, Zba/Zbb/Zbs, Zihintpause)
# are assembled for them; Zicond is written as .insn (binutils 2.40 lacks it).
GUEST_CFLAGS_EXT = $(GUEST_CFLAGS) \
	-march=rv64imac_zicsr_zifencei_zba_zbb_zbs_zihintpause

GUEST_COMMON_DEPS = $(GUEST_SRCDIR)/common.S $(GUEST_SRCDIR)/testmacros.h \
	$(GUEST_SRCDIR)/link.ld

# Fails with a clear message when there is no cross compiler.
GUEST_NEED_CC = if test -z "$(RISCV_CC)"; then \
	echo "error: RISCV_CC is empty (no riscv64-unknown-elf-gcc): cannot build $@" >&2; \
	exit 1; fi

GUEST_BUILD = $(RISCV_CC) $(GUEST_CFLAGS) -o $@ $(GUEST_SRCDIR)/common.S
GUEST_BUILD_EXT = $(RISCV_CC) $(GUEST_CFLAGS_EXT) -o $@ $(GUEST_SRCDIR)/common.S
# F and D tests (rvf, rvd)
GUEST_BUILD_FP = $(RISCV_CC) $(GUEST_CFLAGS) -march=rv64imafd_zicsr_zifencei \
	-o $@ $(GUEST_SRCDIR)/common.S
# F, D and C together (misaligned_ldst: FP and compressed loads and stores)
GUEST_BUILD_FPC = $(RISCV_CC) $(GUEST_CFLAGS) -march=rv64imafdc_zicsr_zifencei \
	-o $@ $(GUEST_SRCDIR)/common.S

GUEST_TEST_NAMES = \
	rv64i_alu \
	rv64i_branch \
	rv64i_mem \
	rv64m \
	rv64a \
	csr \
	counters \
	traps \
	fence_i \
	smc-patch \
	smc-same-tb \
	smc-alias \
	smc-xhart \
	timer_irq \
	misaligned \
	misaligned_ldst \
	misaligned_io \
	sdtrig \
	spec_strict \
	msip_irq \
	plic_rtc \
	smp_counter \
	smp_pause \
	smp_atomics \
	lrsc_aba \
	rvc \
	rvc_page \
	tb_page2 \
	tb_many \
	zb \
	ext_strict \
	priv_modes \
	priv_vm \
	priv_tlb \
	priv_pmp \
	rvf \
	rvd \
	rvf-mem \
	rvd-mem

GUEST_TEST_ELFS = \
	tests/guest/rv64i_alu.elf \
	tests/guest/rv64i_branch.elf \
	tests/guest/rv64i_mem.elf \
	tests/guest/rv64m.elf \
	tests/guest/rv64a.elf \
	tests/guest/csr.elf \
	tests/guest/counters.elf \
	tests/guest/traps.elf \
	tests/guest/fence_i.elf \
	tests/guest/smc-patch.elf \
	tests/guest/smc-same-tb.elf \
	tests/guest/smc-alias.elf \
	tests/guest/smc-xhart.elf \
	tests/guest/timer_irq.elf \
	tests/guest/misaligned.elf \
	tests/guest/misaligned_ldst.elf \
	tests/guest/misaligned_io.elf \
	tests/guest/sdtrig.elf \
	tests/guest/spec_strict.elf \
	tests/guest/msip_irq.elf \
	tests/guest/plic_rtc.elf \
	tests/guest/smp_counter.elf \
	tests/guest/smp_pause.elf \
	tests/guest/smp_atomics.elf \
	tests/guest/lrsc_aba.elf \
	tests/guest/rvc.elf \
	tests/guest/rvc_page.elf \
	tests/guest/tb_page2.elf \
	tests/guest/tb_many.elf \
	tests/guest/zb.elf \
	tests/guest/ext_strict.elf \
	tests/guest/priv_modes.elf \
	tests/guest/priv_vm.elf \
	tests/guest/priv_tlb.elf \
	tests/guest/priv_pmp.elf \
	tests/guest/rvf.elf \
	tests/guest/rvd.elf \
	tests/guest/rvf-mem.elf \
	tests/guest/rvd-mem.elf

GUEST_DIST_FILES = \
	tests/guest/README.md \
	tests/guest/tests.list \
	tests/guest/run-guest-tests.sh \
	tests/guest/guest.mk \
	tests/guest/link.ld \
	tests/guest/testmacros.h \
	tests/guest/common.S \
	tests/guest/rv64i_alu.S \
	tests/guest/rv64i_branch.S \
	tests/guest/rv64i_mem.S \
	tests/guest/rv64m.S \
	tests/guest/rv64a.S \
	tests/guest/csr.S \
	tests/guest/counters.S \
	tests/guest/traps.S \
	tests/guest/fence_i.S \
	tests/guest/smc-patch.S \
	tests/guest/smc-same-tb.S \
	tests/guest/smc-alias.S \
	tests/guest/smc-xhart.S \
	tests/guest/timer_irq.S \
	tests/guest/misaligned.S \
	tests/guest/misaligned_ldst.S \
	tests/guest/misaligned_io.S \
	tests/guest/sdtrig.S \
	tests/guest/spec_strict.S \
	tests/guest/msip_irq.S \
	tests/guest/plic_rtc.S \
	tests/guest/smp_counter.S \
	tests/guest/smp_pause.S \
	tests/guest/smp_atomics.S \
	tests/guest/lrsc_aba.S \
	tests/guest/rvc.S \
	tests/guest/rvc_page.S \
	tests/guest/tb_page2.S \
	tests/guest/tb_many.S \
	tests/guest/zb.S \
	tests/guest/ext_strict.S \
	tests/guest/priv.h \
	tests/guest/priv_modes.S \
	tests/guest/priv_vm.S \
	tests/guest/priv_tlb.S \
	tests/guest/priv_pmp.S \
	tests/guest/fptest.h \
	tests/guest/rvf.S \
	tests/guest/rvd.S

GUEST_CLEANFILES = $(GUEST_TEST_ELFS)

guest-tests: $(GUEST_TEST_ELFS)

check-guest: $(GUEST_TEST_ELFS)
	LOOM="$${LOOM:-./loom}" $(SHELL) $(GUEST_SRCDIR)/run-guest-tests.sh tests/guest

.PHONY: guest-tests check-guest

tests/guest/rv64i_alu.elf: $(GUEST_SRCDIR)/rv64i_alu.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/rv64i_alu.S

tests/guest/rv64i_branch.elf: $(GUEST_SRCDIR)/rv64i_branch.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/rv64i_branch.S

tests/guest/rv64i_mem.elf: $(GUEST_SRCDIR)/rv64i_mem.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/rv64i_mem.S

tests/guest/rv64m.elf: $(GUEST_SRCDIR)/rv64m.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/rv64m.S

tests/guest/rv64a.elf: $(GUEST_SRCDIR)/rv64a.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/rv64a.S

tests/guest/csr.elf: $(GUEST_SRCDIR)/csr.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/csr.S

tests/guest/counters.elf: $(GUEST_SRCDIR)/counters.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/counters.S

tests/guest/traps.elf: $(GUEST_SRCDIR)/traps.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/traps.S

tests/guest/smc-patch.elf: $(GUEST_SRCDIR)/smc-patch.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/smc-patch.S

tests/guest/smc-same-tb.elf: $(GUEST_SRCDIR)/smc-same-tb.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/smc-same-tb.S

tests/guest/smc-alias.elf: $(GUEST_SRCDIR)/smc-alias.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/smc-alias.S

tests/guest/smc-xhart.elf: $(GUEST_SRCDIR)/smc-xhart.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/smc-xhart.S

tests/guest/fence_i.elf: $(GUEST_SRCDIR)/fence_i.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/fence_i.S

tests/guest/timer_irq.elf: $(GUEST_SRCDIR)/timer_irq.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/timer_irq.S

tests/guest/misaligned.elf: $(GUEST_SRCDIR)/misaligned.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/misaligned.S

tests/guest/misaligned_ldst.elf: $(GUEST_SRCDIR)/misaligned_ldst.S $(GUEST_SRCDIR)/priv.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD_FPC) $(GUEST_SRCDIR)/misaligned_ldst.S

tests/guest/misaligned_io.elf: $(GUEST_SRCDIR)/misaligned_io.S $(GUEST_SRCDIR)/priv.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/misaligned_io.S

tests/guest/sdtrig.elf: $(GUEST_SRCDIR)/sdtrig.S $(GUEST_SRCDIR)/priv.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD_FP) $(GUEST_SRCDIR)/sdtrig.S

tests/guest/spec_strict.elf: $(GUEST_SRCDIR)/spec_strict.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/spec_strict.S

tests/guest/msip_irq.elf: $(GUEST_SRCDIR)/msip_irq.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/msip_irq.S

tests/guest/plic_rtc.elf: $(GUEST_SRCDIR)/plic_rtc.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/plic_rtc.S

tests/guest/smp_counter.elf: $(GUEST_SRCDIR)/smp_counter.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/smp_counter.S

tests/guest/smp_pause.elf: $(GUEST_SRCDIR)/smp_pause.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/smp_pause.S

tests/guest/smp_atomics.elf: $(GUEST_SRCDIR)/smp_atomics.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/smp_atomics.S

tests/guest/lrsc_aba.elf: $(GUEST_SRCDIR)/lrsc_aba.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/lrsc_aba.S

tests/guest/rvc.elf: $(GUEST_SRCDIR)/rvc.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD_EXT) $(GUEST_SRCDIR)/rvc.S

tests/guest/rvc_page.elf: $(GUEST_SRCDIR)/rvc_page.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD_EXT) $(GUEST_SRCDIR)/rvc_page.S

tests/guest/tb_page2.elf: $(GUEST_SRCDIR)/tb_page2.S $(GUEST_SRCDIR)/priv.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD_EXT) $(GUEST_SRCDIR)/tb_page2.S

tests/guest/tb_many.elf: $(GUEST_SRCDIR)/tb_many.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/tb_many.S

tests/guest/zb.elf: $(GUEST_SRCDIR)/zb.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD_EXT) $(GUEST_SRCDIR)/zb.S

tests/guest/ext_strict.elf: $(GUEST_SRCDIR)/ext_strict.S $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD_EXT) $(GUEST_SRCDIR)/ext_strict.S

tests/guest/priv_modes.elf: $(GUEST_SRCDIR)/priv_modes.S $(GUEST_SRCDIR)/priv.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/priv_modes.S

tests/guest/priv_vm.elf: $(GUEST_SRCDIR)/priv_vm.S $(GUEST_SRCDIR)/priv.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/priv_vm.S

tests/guest/priv_tlb.elf: $(GUEST_SRCDIR)/priv_tlb.S $(GUEST_SRCDIR)/priv.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/priv_tlb.S

tests/guest/priv_pmp.elf: $(GUEST_SRCDIR)/priv_pmp.S $(GUEST_SRCDIR)/priv.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD) $(GUEST_SRCDIR)/priv_pmp.S

tests/guest/rvf.elf: $(GUEST_SRCDIR)/rvf.S $(GUEST_SRCDIR)/fptest.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD_FP) $(GUEST_SRCDIR)/rvf.S

tests/guest/rvd.elf: $(GUEST_SRCDIR)/rvd.S $(GUEST_SRCDIR)/fptest.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD_FP) $(GUEST_SRCDIR)/rvd.S

# rvf and rvd with every FP operand loaded from memory (fptest.h)
tests/guest/rvf-mem.elf: $(GUEST_SRCDIR)/rvf.S $(GUEST_SRCDIR)/fptest.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD_FP) -DGUEST_FP_OPERANDS_MEM $(GUEST_SRCDIR)/rvf.S

tests/guest/rvd-mem.elf: $(GUEST_SRCDIR)/rvd.S $(GUEST_SRCDIR)/fptest.h $(GUEST_COMMON_DEPS)
	@$(GUEST_NEED_CC)
	@$(MKDIR_P) tests/guest
	$(AM_V_GEN)$(GUEST_BUILD_FP) -DGUEST_FP_OPERANDS_MEM $(GUEST_SRCDIR)/rvd.S
