#!/bin/bash
# run-torture.sh - run loom's MTTCG torture tests, print TAP.
#
# Usage: run-torture.sh [ELF_DIR]
#
# Every test in torture.list runs under each back-end loom has (interp,
# x86_64...) in each thread mode (single, multi):
#
#   timeout $TORTURE_TIMEOUT $LOOM -M virt -smp $SMP \
#       -accel tcg,thread=$MODE,backend=$BACKEND \
#       -bios none -kernel $ELF_DIR/$NAME.elf -nographic [extra args]
#
# A run passes when the emulator exits with status 0 (the guest wrote
# PASS to the sifive_test finisher; on AArch64 it exited 0 through
# semihosting), its output holds no
# ThreadSanitizer/AddressSanitizer report, and, for tests flagged
# "flushes", -d jit reports at least one full code-buffer flush (for
# "exclusive", at least one exclusive section; "weak" runs only on the
# interp back-end, the others are skipped).  A
# non-zero status is the failing check number (tests/torture/*.S), or
# 254 (a wait for the other harts timed out), 255 (unexpected trap;
# AArch64: 200 + the vector entry, 250 PSCI CPU_ON failed),
# 124 (killed by the runner's timeout).
#
# Environment:
#   LOOM              emulator (default ./loom)
#   TORTURE_ELF_DIR   directory of the built ELFs (default tests/torture;
#                     the first argument takes precedence)
#   RISCV_CC          if set but empty (no cross compiler): "1..0 # SKIP"
#   TORTURE_TESTS     only run these tests (space-separated names)
#   TORTURE_MODES     thread modes (default: $GUEST_MODES, else
#                     "single multi"; make check-quick runs multi only)
#   TORTURE_BACKENDS  back-ends (default: every one `$LOOM -accel help`
#                     lists)
#   TORTURE_TIMEOUT   seconds per run (default 300: the sanitizer builds
#                     are many times slower than the ~1 s a run takes)
#   TORTURE_LOG_DIR   if set, keep each run's console output there
#   TORTURE_ARCH      riscv64 (default) or aarch64: the AArch64 tests
#                     (aarch64/torture.list, run by aarch64/run-torture.sh)
#                     on tests/fixtures/machines/aarch64-bare.machine with
#                     -semihosting, their ELFs in $TORTURE_ELF_DIR/aarch64,
#                     built with AARCH64_CC (set but empty: SKIP)

set -u

here=$(cd "$(dirname "$0")" && pwd)
LOOM=${LOOM:-./loom}
ARCH=${TORTURE_ARCH:-riscv64}
case "$ARCH" in
    riscv64)
        ELF_DIR=${1:-${TORTURE_ELF_DIR:-tests/torture}}
        LIST=$here/torture.list
        WAIT_TEXT="a wait for the other harts timed out" ;;
    aarch64)
        ELF_DIR=${1:-${TORTURE_ELF_DIR:-tests/torture}/aarch64}
        LIST=$here/aarch64/torture.list
        RUN_MACHINE=$here/../fixtures/machines/aarch64-bare.machine
        RUN_ARGS="-semihosting -bios none"
        RUN_CC_VAR=AARCH64_CC
        RUN_CC_NAME=aarch64-linux-gnu-gcc
        WAIT_TEXT="a wait for the other vCPUs timed out" ;;
    *)
        echo "Bail out! TORTURE_ARCH=$ARCH: riscv64 or aarch64"
        exit 1 ;;
esac
MODES=${TORTURE_MODES:-${GUEST_MODES:-single multi}}
TIMEOUT=${TORTURE_TIMEOUT:-300}
ONLY=${TORTURE_TESTS:-}
LOG_DIR=${TORTURE_LOG_DIR:-}
KIND=torture
# shellcheck source-path=SCRIPTDIR source=../guest/run-lib.sh
. "$here/../guest/run-lib.sh"

# AArch64: the statuses its common.S and torture-a64.h add
if [ "$ARCH" = aarch64 ]; then
    eval "run_lib_$(declare -f describe_status)"
    describe_status() {
        if [ "$1" -ge 200 ] && [ "$1" -le 215 ]; then
            echo "unexpected exception (vector entry $(($1 - 200)))"
        elif [ "$1" -eq 250 ]; then
            echo "PSCI CPU_ON failed"
        else
            run_lib_describe_status "$1"
        fi
    }
fi

run_prepare
# the AArch64 front-end is a plugin of its own: a loom built without it
# cannot run those (a skip, which CI refuses: tests/skip-lib.sh)
if [ "$ARCH" = aarch64 ] && ! "$LOOM" -cpu help 2>/dev/null | grep -q '^aarch64 '; then
    skip_plan "no aarch64 front-end in this loom"
fi
run_read_list
BACKENDS=${TORTURE_BACKENDS:-$(run_loom_backends)}

# "weak" runs need the interpreter (its weak=on option): they run on it
# alone, and say weak=on in their description (run_skip: run_all calls it
# for every run, after setting desc)
run_backends_filter() {
    local b
    case ",$1," in
        *,weak,*) for b in $BACKENDS; do [ "$b" = interp ] && echo interp; done ;;
        *) echo "$BACKENDS" ;;
    esac
}
run_skip() {
    case ",$flag," in *,weak,*) desc="${desc%)}, weak=on)" ;; esac
    return 1
}

run_report() {
    local why="" flushes excl ov ticks
    if grep -q -e 'WARNING: ThreadSanitizer' -e 'ERROR: AddressSanitizer' \
            -e 'runtime error:' "$tmp"; then
        why="a sanitizer report (exit status $status; below)"
    elif [ "$status" -ne 0 ]; then
        why="exit status $status: $(describe_status "$status")"
    elif case ",$flag," in *,flushes,*) true ;; *) false ;; esac; then
        flushes=$(sed -n 's/^ *full flushes *\([0-9][0-9]*\).*/\1/p' "$tmp" | tail -n 1)
        if [ -z "$flushes" ]; then
            why="no 'full flushes' line: the extra arguments need -d jit"
        elif [ "$flushes" -eq 0 ]; then
            why="no full code-buffer flush happened: the test proved nothing"
        fi
    elif case ",$flag," in *,exclusive,*) true ;; *) false ;; esac; then
        excl=$(sed -n 's/^ *exclusive sections *\([0-9][0-9]*\).*/\1/p' "$tmp" | tail -n 1)
        if [ -z "$excl" ]; then
            why="no exclusive section ran: the replay path was not tested (the extra arguments need -d jit)"
        fi
    fi
    if [ -z "$why" ] && [ "$mode" = multi ] && [ "$NCPUS" -ge 2 ] &&
       case ",$flag," in *,overlap,*) true ;; *) false ;; esac; then
        overlap_check || return 2
    fi
    if [ -z "$why" ]; then
        echo "ok $n - $desc"
        # what the guest says about its run, and the flush count
        tr -d '\r' <"$tmp" | grep -e "^${name%-short}: " -e '^ *full flushes' -e '^ *exclusive sections' -e '^overlap' |
            sed 's/^ */# /'
        echo "# ${secs}s, ${cpus_used} CPUs on average"
        return 0
    fi
    echo "not ok $n - $desc"
    echo "# $why"
    echo "# command: $cmd"
    # the guest's failure line, or the sanitizer's accesses
    tr -d '\r' <"$tmp" | grep -e '^FAIL check' -e '^unexpected trap' -e ': FAIL [0-9]' \
        -e 'ThreadSanitizer' -e 'of size' -e '^ *#[0-2] ' -e 'runtime error:' |
        grep -v -e pthread_create -e cpus_start -e 'main core/main' |
        head -n 30 | sed 's/^/#   /'
    tail -n 5 "$tmp" | tr -d '\r' | sed 's/^/#   /'
    return 1
}

run_all
echo "# torture tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
