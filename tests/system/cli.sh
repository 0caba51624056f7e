#!/bin/bash
# Command-line behaviour: bad input gets one clear line and exit status 1
# (never a crash), help and listings work, and -d mttcg explains the
# thread-mode decision.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
BUILD=${LOOM_BUILDDIR:-.}
SRC=${LOOM_SRCDIR:-.}
. "$(dirname "$0")/tap.sh"



# expect_output DESC PATTERN ARGS...: exit 0, PATTERN in stdout+stderr
expect_output() {
    local desc=$1 pat=$2; shift 2
    timeout 60 "$LOOM" "$@" </dev/null >"$tmp/out" 2>&1
    local st=$?
    if [ "$st" -eq 0 ] && grep -q -- "$pat" "$tmp/out"; then
        ok "$desc"
    else
        fail "$desc" "exit $st, want output matching: $pat" "got: $(head -c 400 "$tmp/out")"
    fi
}

# expect_pass DESC ARGS...: exit 0 (the guest passed), nothing printed
expect_pass() {
    local desc=$1; shift
    timeout 20 "$LOOM" "$@" </dev/null >"$tmp/out" 2>&1
    local st=$?
    if [ "$st" -eq 0 ] && [ ! -s "$tmp/out" ]; then
        ok "$desc"
    else
        fail "$desc" "exit $st" "$(head -c 300 "$tmp/out")"
    fi
}

# le VALUE BYTES: VALUE as BYTES little-endian bytes, on stdout
le() {
    local v=$1 i
    for ((i = 0; i < $2; i++)); do
        printf "\\x$(printf %02x $(((v >> (8 * i)) & 255)))"
    done
}

# elf_header MACHINE ENTRY PHNUM, elf_phdr OFFSET PADDR FILESZ MEMSZ: an
# ELF64 executable's header (program headers right after it) and one
# PT_LOAD program header, on stdout
elf_header() {
    printf '\177ELF\2\1\1'; le 0 9
    le 2 2; le "$1" 2; le 1 4; le "$2" 8; le 64 8; le 0 8; le 0 4
    le 64 2; le 56 2; le "$3" 2; le 64 2; le 0 2; le 0 2
}
elf_phdr() {
    le 1 4; le 7 4; le "$1" 8; le "$2" 8; le "$2" 8; le "$3" 8; le "$4" 8; le 4096 8
}

# mkelf FILE MACHINE ENTRY CODEFILE [PADDR FILESZ MEMSZ]...: an ELF whose
# segments all load CODEFILE's bytes (which follow the program headers)
mkelf() {
    local out=$1 mach=$2 entry=$3 code=$4 off
    shift 4
    off=$((64 + 56 * $# / 3))
    {
        elf_header "$mach" "$entry" $(($# / 3))
        while [ $# -ge 3 ]; do
            elf_phdr "$off" "$1" "$2" "$3"
            shift 3
        done
        cat "$code"
    } >"$out"
}

echo "1..80"

# a guest that passes at once: li a0,0x5555; lui t0,0x100; sw a0,0(t0)
printf '\x37\x55\x00\x00\x1b\x05\x55\x55\xb7\x02\x10\x00\x23\xa0\xa2\x00\x6f\x00\x00\x00' >"$tmp/pass.bin"
# an illegal instruction (all zeros) with mtvec left at its reset value
printf '\x00\x00\x00\x00' >"$tmp/illegal.bin"

expect_error "unknown machine" "unknown machine 'nosuch': try -M help" -M nosuch -kernel "$tmp/pass.bin"
# the Arm board is listed whether or not its front-end is there
expect_output "-M help lists arm-virt" "^arm-virt  *Arm virt board (GICv2 or GICv3, PL011 UART, generic timer, PL031 RTC" -M help
expect_error "-smp 0" "^loom: -smp 0" -smp 0 -kernel "$tmp/pass.bin"
expect_error "-smp beyond the machine" "machine virt supports 1 to 8 CPUs" -smp 9 -kernel "$tmp/pass.bin"
expect_error "-smp garbage" "give a number of vCPUs" -smp lots -kernel "$tmp/pass.bin"
expect_error "missing kernel file" "cannot read /nonexistent" -kernel /nonexistent
head -c 100 "$BUILD/tests/guest/rv64i_alu.elf" >"$tmp/trunc.elf" 2>/dev/null ||
    printf '\177ELF\2\1\1' >"$tmp/trunc.elf"
expect_error "truncated ELF" "trunc.elf: truncated" -kernel "$tmp/trunc.elf"
{ printf '\177ELF\1\1\1'; head -c 57 /dev/zero; } >"$tmp/elf32"
expect_error "32-bit ELF" "not a 64-bit little-endian ELF" -kernel "$tmp/elf32"
: >"$tmp/empty.bin"
expect_error "empty image" "is empty" -kernel "$tmp/empty.bin"
mkelf "$tmp/ok.elf" 243 0x80000000 "$tmp/pass.bin" 0x80000000 20 20
expect_pass "a minimal riscv64 ELF runs" -kernel "$tmp/ok.elf"
mkelf "$tmp/x86.elf" 62 0x80000000 "$tmp/pass.bin" 0x80000000 20 20
expect_error "ELF for x86-64" \
    "x86.elf: an ELF for x86-64 (e_machine 62), but front-end riscv64 runs RISC-V (e_machine 243): build the guest for riscv64\$" \
    -kernel "$tmp/x86.elf"
mkelf "$tmp/overlap.elf" 243 0x80000000 "$tmp/pass.bin" 0x80000000 20 20 0x80000010 0 0x100
expect_error "ELF segments that overlap" \
    "overlap.elf: segments 0 (0x80000000-0x80000013) and 1 (0x80000010-0x8000010f) overlap: rebuild the image\$" \
    -kernel "$tmp/overlap.elf"
# 1100 program headers: the pass code, then the same zero-fill 1099 times
nph=1100
elf_phdr $((64 + 56 * nph)) 0x80100000 0 0x1000 >"$tmp/ph1"
for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$tmp/ph1" "$tmp/ph1" >"$tmp/ph2"; mv "$tmp/ph2" "$tmp/ph1"; done
{
    elf_header 243 0x80000000 $nph
    elf_phdr $((64 + 56 * nph)) 0x80000000 20 20
    cat "$tmp/ph1"; head -c $((56 * (nph - 1 - 1024))) "$tmp/ph1"
    cat "$tmp/pass.bin"
} >"$tmp/many.elf"
expect_error "ELF with 1100 program headers" \
    "many.elf: 1100 ELF program headers, more than the 1024 a guest image may have: rebuild the image\$" \
    -kernel "$tmp/many.elf"
mkelf "$tmp/odd.elf" 243 0x80000001 "$tmp/pass.bin" 0x80000000 20 20
expect_error "odd ELF entry" \
    "odd.elf: entry point 0x80000001 is not aligned to 2 bytes, as riscv64 instructions are" \
    -kernel "$tmp/odd.elf"
expect_error "nothing to run" "nothing to run: give -kernel FILE or -bios FILE"
expect_error "unknown option" "unknown option '-frobnicate'" -frobnicate 1
expect_error "missing argument" "option -kernel needs an argument" -kernel
expect_error "bad thread mode" "thread=sometimes is not valid" -accel tcg,thread=sometimes -kernel "$tmp/pass.bin"
expect_error "bad accelerator" "only the tcg accelerator exists" -accel kvm -kernel "$tmp/pass.bin"
expect_error "bad -m" "give a RAM size" -m lots -kernel "$tmp/pass.bin"
expect_error "-m whose MiB overflow 64 bits" "^loom: -m 17592186044416: RAM size is out of range: give 1M to 1T\$" \
    -m 17592186044416 -kernel "$tmp/pass.bin"
expect_error "unknown log item" "unknown log item 'frob'" -d frob -kernel "$tmp/pass.bin"
expect_error "bad -dfilter range" "bad range '0x10..0x5': give START..END" \
    -dfilter 0x80000000+4,0x10..0x5 -kernel "$tmp/pass.bin"
printf '[machine]\ninclude=nosuchboard\n' >"$tmp/badinc.machine"
expect_error "machine include of an unknown machine" \
    "badinc.machine:2: include=nosuchboard: unknown machine 'nosuchboard'" \
    -M "$tmp/badinc.machine" -kernel "$tmp/pass.bin"
expect_error "unknown CPU model" "unknown riscv64 CPU model 'pentium': try -cpu help" -cpu pentium -kernel "$tmp/pass.bin"
expect_error "unknown device type" "no device plugin 'nosuch'" -device nosuch -kernel "$tmp/pass.bin"
expect_error "plugin for another ABI major" \
    "plugin device-badmajor.so was built for ABI 3.0, this loom provides 2.0: rebuild the plugin" \
    --plugin-path "$BUILD/tests/fixtures" -device badmajor -kernel "$tmp/pass.bin"
expect_error "plugin for a newer ABI minor" \
    "plugin device-newminor.so was built for ABI 2.1, this loom provides 2.0" \
    --plugin-path "$BUILD/tests/fixtures" -device newminor -kernel "$tmp/pass.bin"
expect_error "device property error names the key" "has no property 'colour'" \
    -device ns16550a,reg=0x10001000,colour=red -kernel "$tmp/pass.bin"

# RAM starts and ends on a page boundary (an odd RAM base was an odd boot pc)
printf '[machine]\ninclude=virt\nram-base=0x80000001\n' >"$tmp/oddbase.machine"
expect_error "machine file with an odd ram-base" \
    "oddbase.machine:3: \[machine\] ram-base 0x80000001 is not a multiple of the page size (4 KiB): align it\$" \
    -M "$tmp/oddbase.machine" -kernel "$tmp/pass.bin"
expect_error "-m that is not a whole number of pages" \
    "^loom: -m: RAM size 1049600 bytes is not a multiple of the page size (4 KiB): round it\$" \
    -m 1025K -kernel "$tmp/pass.bin"

# include=virt finds virt by name (its max-cpus), under the new name
printf '[machine]\ninclude=virt\nname=my-virt\n' >"$tmp/inc.machine"
expect_error "machine file including virt by name" "machine my-virt supports 1 to 8 CPUs" \
    -M "$tmp/inc.machine" -smp 9 -bios none -kernel "$tmp/pass.bin"
expect_output "-h" "usage: loom" -h
# the core names no guest: the firmware and CPU models are the machine's
"$LOOM" -h >"$tmp/help" 2>&1
if grep -q "default = the machine's default firmware" "$tmp/help" &&
   ! grep -qiE 'riscv|rv64|opensbi' "$tmp/help"; then
    ok "-h names no guest-specific firmware or CPU"
else
    fail "-h names no guest-specific firmware or CPU" "$(grep -iE 'riscv|rv64|opensbi|firmware' "$tmp/help")"
fi
expect_output "--version" "plugin ABI 2.0" --version
timeout 20 "$LOOM" -kernel "$tmp/pass.bin" </dev/null >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 0 ] && [ ! -s "$tmp/out" ]; then
    ok "raw guest passes through the finisher: exit 0, silent"
else
    fail "raw guest passes through the finisher: exit 0, silent" "exit $st" "$(head -c 300 "$tmp/out")"
fi

# thread-mode decisions
expect_output "thread=multi: 4 vCPU threads" "chose multi-threaded mode: 4 vCPU threads" \
    -M virt -smp 4 --accel tcg,thread=multi -d mttcg -bios none -kernel "$tmp/pass.bin"
expect_output "thread=single: one thread" "chose single-threaded mode: 1 thread runs 4 vCPUs" \
    -M virt -smp 4 --accel tcg,thread=single -d mttcg -bios none -kernel "$tmp/pass.bin"
expect_output "default: multi, with the reason" \
    "chose multi-threaded mode: 4 vCPU threads (thread=auto: the front-end supports MTTCG" \
    -M virt -smp 4 -d mttcg -bios none -kernel "$tmp/pass.bin"

# a front-end that hands the core bad IR: one line naming plugin and op
expect_error "front-end plugin emitting bad IR" \
    "^loom: plugin frontend-badir.so emitted a bad IR op br (op 1 of the TB): label 99 was not made by loom_ir_label_new (0 labels): fix the plugin\$" \
    --plugin-path "$BUILD/tests/fixtures" -M "$SRC/tests/fixtures/machines/badir.machine" \
    -bios none -kernel "$tmp/pass.bin"

# IR a back-end cannot translate at all (a global the x86_64 back-end
# cannot load whole): one line naming both plugins, not a flush loop
if [ "$("$LOOM" -accel help 2>/dev/null | grep -c '^x86_64 ')" -ge 1 ]; then
    expect_error "IR the back-end cannot translate stops loom" \
        "^loom: plugin backend-x86_64.so cannot translate the TB at pc 0x80000000 that plugin frontend-oddglobal.so built: fix one of the plugins (see -d op_opt)\$" \
        --plugin-path "$BUILD/tests/fixtures" -M "$SRC/tests/fixtures/machines/oddglobal.machine" \
        -accel tcg,backend=x86_64 -bios none -kernel "$tmp/pass.bin"
else
    skip_ok "IR the back-end cannot translate stops loom" "no x86_64 back-end on this host"
fi

# a front-end without MTTCG support (tests/fixtures/frontend-nomttcg.c):
# single by default and silent; thread=multi runs multi with exactly one
# warning line naming the front-end and the risk
nomttcg=(--plugin-path "$BUILD/tests/fixtures" -M "$SRC/tests/fixtures/machines/nomttcg.machine"
         -smp 2 -bios none -kernel "$tmp/pass.bin")
timeout 20 "$LOOM" "${nomttcg[@]}" -d mttcg </dev/null >"$tmp/out" 2>&1
st=$?
desc="front-end without MTTCG: single by default, no warning"
if [ "$st" -eq 0 ] && grep -qF "mttcg: chose single-threaded mode: 1 thread runs 2 vCPUs round-robin (thread=auto: the front-end does not support MTTCG)" "$tmp/out" &&
   ! grep -q "warning" "$tmp/out"; then
    ok "$desc"
else
    fail "$desc" "exit $st" "$(head -c 600 "$tmp/out")"
fi
timeout 20 "$LOOM" "${nomttcg[@]}" --accel tcg,thread=multi -d mttcg </dev/null >"$tmp/out" 2>"$tmp/err"
st=$?
desc="front-end without MTTCG, thread=multi: runs multi with one warning line"
want="loom: warning: front-end nomttcg does not declare MTTCG support: running it multi-threaded as requested may break the guest (use --accel tcg,thread=single)"
if [ "$st" -eq 0 ] && [ "$(grep -c warning "$tmp/err")" -eq 1 ] && grep -qxF "$want" "$tmp/err" &&
   grep -qF "mttcg: chose multi-threaded mode: 2 vCPU threads (thread=multi requested)" "$tmp/err"; then
    ok "$desc"
else
    fail "$desc" "exit $st" "$(head -c 600 "$tmp/err")"
fi
expect_error "bad ztso= value" \
    "^loom: -cpu: riscv64 CPU property 'ztso' needs on or off: write ztso=on or ztso=off\$" \
    -cpu rv64,ztso=maybe -kernel "$tmp/pass.bin"
expect_error "unknown CPU property names ztso, misaligned and lrsc" \
    "^loom: -cpu: riscv64 CPU model 'rv64' has no property 'tso': use one of 'csufd', ztso (=on|off), misaligned (=on|off) or lrsc (=cmpxchg|strict)\$" \
    -cpu rv64,tso=on -kernel "$tmp/pass.bin"
expect_error "bad misaligned= value" \
    "^loom: -cpu: riscv64 CPU property 'misaligned' needs on or off: write misaligned=on or misaligned=off\$" \
    -cpu rv64,misaligned=trap -kernel "$tmp/pass.bin"
expect_error "bad lrsc= value" \
    "^loom: -cpu: riscv64 CPU property 'lrsc' is cmpxchg (the default) or strict: write lrsc=strict or lrsc=cmpxchg\$" \
    -cpu rv64,lrsc=aba -kernel "$tmp/pass.bin"
expect_error "bad atomics= value" \
    "^loom: -accel: atomics=yes is not valid: give host or exclusive\$" \
    -accel tcg,atomics=yes -kernel "$tmp/pass.bin"
expect_error "bad mb-insert= value" \
    "^loom: -accel: mb-insert=sometimes is not valid: give on or off\$" \
    -accel tcg,mb-insert=sometimes -kernel "$tmp/pass.bin"
# back-end options (the interpreter's weak-memory mode)
expect_error "unknown -accel option names the back-end's" \
    "^loom: -accel: unknown option 'frob': valid ones are thread, tb-size, backend, opt, atomics, mb-insert, wx and back-end interp's weak=on|off, weak-seed=N\$" \
    -accel tcg,backend=interp,frob=1 -kernel "$tmp/pass.bin"
expect_error "bad weak= value" "^loom: -accel: weak=maybe is not valid: give on or off\$" \
    -accel tcg,backend=interp,weak=maybe -kernel "$tmp/pass.bin"
expect_error "bad weak-seed= value" \
    "^loom: -accel: weak-seed=12x is not valid: give a number, e.g. weak-seed=42\$" \
    -accel tcg,backend=interp,weak-seed=12x -kernel "$tmp/pass.bin"
expect_output "weak=on runs a guest" "barriers inserted" -d mttcg \
    -accel tcg,backend=interp,weak=on,weak-seed=0x10 -bios none -kernel "$tmp/pass.bin"

# empty option strings and empty list elements: one line, never a crash
expect_error "-M ''" "^loom: -machine '': no machine name: give one, e.g. -M virt" -M '' -kernel "$tmp/pass.bin"
expect_error "-accel ''" "^loom: -accel '': only the tcg accelerator exists" -accel '' -kernel "$tmp/pass.bin"
expect_error "-cpu ''" "^loom: -cpu '': no CPU model: give one, e.g. -cpu rv64" -cpu '' -kernel "$tmp/pass.bin"
expect_error "-device ''" "^loom: -device '': no device type: give one" -device '' -kernel "$tmp/pass.bin"
expect_error "-device ,help" "^loom: -device '': no device type: give one" -device ,help
expect_error "-dfilter ,,," "^loom: -dfilter ,,,: empty range (a stray comma)" -dfilter ,,, -kernel "$tmp/pass.bin"
expect_error "-dfilter ''" "^loom: -dfilter: no range: give START..END" -dfilter '' -kernel "$tmp/pass.bin"
# interrupt line numbers are unsigned decimal or hex, below the input count
expect_error "negative interrupt line" "interrupt line 'plic.-1': device plic has 97 inputs (0\.\.96)\$" \
    -device ns16550a,reg=0x10001000,irq=plic.-1 -kernel "$tmp/pass.bin"
expect_error "interrupt line beyond unsigned long" \
    "interrupt line 'plic.99999999999999999999999': device plic has 97 inputs (0\.\.96)\$" \
    -device ns16550a,reg=0x10001000,irq=plic.99999999999999999999999 -kernel "$tmp/pass.bin"
expect_error "device without interrupt inputs" "interrupt line 'uart0.0': device uart0 has no interrupt inputs\$" \
    -device ns16550a,reg=0x10001000,irq=uart0.0 -kernel "$tmp/pass.bin"
# a trailing comma after the CPU model is accepted (nothing to apply)
expect_pass "-cpu rv64, is rv64" -cpu rv64, -kernel "$tmp/pass.bin"

# -semihosting is a flag: a riscv64 guest runs as without it
expect_pass "-semihosting takes no argument" -semihosting -kernel "$tmp/pass.bin"
# aarch64 semihosting: adr x1, block; mov w0, #0x20 (SYS_EXIT_EXTENDED);
# hlt #0xf000; block: ADP_Stopped_ApplicationExit, subcode 7
{ le 0x10000061 4; le 0x52800400 4; le 0xd45e0000 4; le 0x20026 8; le 7 8; } >"$tmp/a64exit.bin"
a64=(-M "$SRC/tests/fixtures/machines/aarch64-bare.machine")
timeout 20 "$LOOM" "${a64[@]}" -semihosting -kernel "$tmp/a64exit.bin" </dev/null >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 7 ]; then
    ok "aarch64 -semihosting SYS_EXIT_EXTENDED: exit status = the subcode"
else
    fail "aarch64 -semihosting SYS_EXIT_EXTENDED: exit status = the subcode" "exit $st, want 7" \
         "$(head -c 300 "$tmp/out")"
fi
# the same with another reason: status 1
{ le 0x10000061 4; le 0x52800400 4; le 0xd45e0000 4; le 0x20023 8; le 0 8; } >"$tmp/a64exit1.bin"
timeout 20 "$LOOM" "${a64[@]}" -semihosting -kernel "$tmp/a64exit1.bin" </dev/null >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 1 ]; then
    ok "aarch64 -semihosting exit for another reason: status 1"
else
    fail "aarch64 -semihosting exit for another reason: status 1" "exit $st, want 1" \
         "$(head -c 300 "$tmp/out")"
fi

# aarch64 PSCI SYSTEM_OFF on HVC #0 (loom's own PSCI): loom exits 0,
# the second vCPU still off: movz x0, #8; movk x0, #0x8400, lsl #16;
# hvc #0; b .
{ le 0xd2800100 4; le 0xf2b08000 4; le 0xd4000002 4; le 0x14000000 4; } >"$tmp/a64off.bin"
timeout 20 "$LOOM" "${a64[@]}" -smp 2 -kernel "$tmp/a64off.bin" </dev/null >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 0 ] && [ ! -s "$tmp/out" ]; then
    ok "aarch64 PSCI SYSTEM_OFF: loom exits 0"
else
    fail "aarch64 PSCI SYSTEM_OFF: loom exits 0" "exit $st" "$(head -c 300 "$tmp/out")"
fi

# machine options: arm-virt's gic-version (machines/arm-virt.machine)
gicv4="^loom: -machine: gic-version=4 is not valid for machine arm-virt: give gic-version=2 or 3\$"
expect_error "-M arm-virt,gic-version=4" "$gicv4" -M arm-virt,gic-version=4 -kernel "$tmp/pass.bin"
expect_error "-machine gic-version=4 after -M arm-virt" "$gicv4" \
    -M arm-virt -machine gic-version=4 -kernel "$tmp/pass.bin"
expect_error "an option arm-virt does not have" \
    "^loom: -machine: machine arm-virt has no option 'gic': valid ones are dumpdtb=FILE, gic-version=2|3\$" \
    -M arm-virt,gic=3 -kernel "$tmp/pass.bin"
expect_error "gic-version for a machine without it" \
    "^loom: -machine: machine virt has no option 'gic-version': valid ones are dumpdtb=FILE\$" \
    -M virt,gic-version=3 -kernel "$tmp/pass.bin"
expect_error "a machine option without a value" \
    "^loom: -machine arm-virt,gic-version: 'gic-version' is not an option: give OPTION=VALUE (-M arm-virt,help lists the machine's)\$" \
    -M arm-virt,gic-version -kernel "$tmp/pass.bin"
expect_output "-M arm-virt,help lists gic-version" \
    "^  gic-version=2|3 .*(GICv3, arm_gicv3, up to 123) (default: 2)\$" -M arm-virt,help
# [machine if gic-version=3]: a GICv3 serves up to 123 vCPUs, a GICv2 8
expect_error "-M arm-virt -smp 9" "^loom: -smp 9: machine arm-virt supports 1 to 8 CPUs\$" \
    -M arm-virt -smp 9 -kernel "$tmp/pass.bin"
if "$LOOM" -M "arm-virt,gic-version=3,dumpdtb=$tmp/smp9.dtb" -smp 9 </dev/null >"$tmp/out" 2>&1 &&
   grep -q -a "cpu@8" "$tmp/smp9.dtb"; then
    ok "-M arm-virt,gic-version=3 -smp 9"
else
    fail "-M arm-virt,gic-version=3 -smp 9" "$(head -c 300 "$tmp/out")"
fi
# the choice reaches the device tree: GICv2 by default (as QEMU virt), v3 on request
for v in "" ",gic-version=2" ",gic-version=3"; do
    want="arm,cortex-a15-gic"
    [ "$v" = ",gic-version=3" ] && want="arm,gic-v3"
    rm -f "$tmp/gic.dtb"
    if "$LOOM" -M "arm-virt$v,dumpdtb=$tmp/gic.dtb" </dev/null >"$tmp/out" 2>&1 &&
       grep -q -a "$want" "$tmp/gic.dtb" &&
       [ "$(grep -c -a -e arm,gic-v3 -e arm,cortex-a15-gic "$tmp/gic.dtb")" -eq 1 ]; then
        ok "-M arm-virt$v: the device tree's GIC is $want"
    else
        fail "-M arm-virt$v: the device tree's GIC is $want" "$(head -c 300 "$tmp/out")"
    fi
done

# an illegal instruction with no handler: the guest loops in its own trap
# path; loom keeps running until killed, it does not crash
timeout 3 "$LOOM" -kernel "$tmp/illegal.bin" </dev/null >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 124 ]; then
    ok "illegal instruction without a handler: guest loops, no host crash"
else
    fail "illegal instruction without a handler: guest loops, no host crash" \
         "exit $st (want 124: still running when timeout stopped it)" "$(head -c 300 "$tmp/out")"
fi

echo "# cli: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
