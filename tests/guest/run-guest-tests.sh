#!/bin/bash
# run-guest-tests.sh - run loom's bare-metal guest tests, print TAP.
#
# Usage: run-guest-tests.sh [ELF_DIR]
#
# Every test in tests.list runs under each back-end loom has (interp,
# x86_64...) in each thread mode (single, multi):
#
#   timeout $GUEST_TIMEOUT $LOOM -M virt -smp $SMP \
#       -accel tcg,thread=$MODE,backend=$BACKEND \
#       -bios none -kernel $ELF_DIR/$NAME.elf -nographic [extra args]
#
# and the tests flagged opt-off (the ISA tests) once more with the IR
# optimiser off: -accel tcg,thread=$MODE,backend=$BACKEND,opt=off.
#
# A test passes when the emulator exits with status 0 (the guest wrote
# PASS to the sifive_test finisher).  Otherwise the exit status is the
# number of the failing check (1..249) or a framework code:
#   253 test fell off its end, 254 guest-side wait timed out,
#   255 unexpected trap, 124 killed by timeout.
#
# Environment:
#   LOOM              emulator (default ./loom); LOOM=qemu-system-riscv64
#                     runs the same tests on QEMU (qemu-skip tests skipped)
#   GUEST_ELF_DIR     directory of the built ELFs (default: $GUEST_DIR,
#                     else tests/guest; the first argument takes precedence)
#   RISCV_CC          if set but empty (no cross compiler was found), all
#                     tests are skipped: "1..0 # SKIP ...".
#   GUEST_TESTS_LIST  test list (default: tests.list next to this script)
#   GUEST_TESTS       only run these tests (space-separated names)
#   GUEST_MODES       thread modes (default "single multi")
#   GUEST_BACKENDS    back-ends (default: every one `$LOOM -accel help`
#                     lists; ignored for QEMU)
#   GUEST_OPTS        optimiser settings (default "on off"; "on": no
#                     opt=off runs, "off": only them; QEMU: "on")
#   GUEST_TIMEOUT     seconds per run (default 60)
#   GUEST_LOG_DIR     if set, keep each run's console output there
#   GUEST_IS_QEMU     1/0: override the QEMU detection (from LOOM's name)

set -u

here=$(cd "$(dirname "$0")" && pwd)
LOOM=${LOOM:-./loom}
ELF_DIR=${1:-${GUEST_ELF_DIR:-${GUEST_DIR:-tests/guest}}}
LIST=${GUEST_TESTS_LIST:-$here/tests.list}
MODES=${GUEST_MODES:-single multi}
TIMEOUT=${GUEST_TIMEOUT:-60}
ONLY=${GUEST_TESTS:-}
LOG_DIR=${GUEST_LOG_DIR:-}
KIND=guest
WAIT_TEXT="a guest-side wait timed out (10 s of mtime)"
# shellcheck source-path=SCRIPTDIR source=run-lib.sh
. "$here/run-lib.sh"

case "$(basename "$LOOM")" in
    qemu-system-*) is_qemu=1 ;;
    *) is_qemu=0 ;;
esac
is_qemu=${GUEST_IS_QEMU:-$is_qemu}

run_prepare
run_read_list
if [ "$is_qemu" = 1 ]; then
    BACKENDS=-
    OPTS=on
else
    BACKENDS=${GUEST_BACKENDS:-$(run_loom_backends)}
    OPTS=${GUEST_OPTS:-on off}
fi

run_skip() {
    [ "$is_qemu" = 1 ] || return 1
    case ",$flag," in *,qemu-skip,*) ;; *) return 1 ;; esac
    echo "ok $n - $desc # SKIP QEMU behaves differently (see tests/guest/README.md)"
}

run_report() {
    local why=""
    if [ "$status" -eq 0 ] && [ "$is_qemu" = 0 ] && [ "$mode" = multi ] &&
       [ "$NCPUS" -ge 2 ] && case ",$flag," in *,overlap,*) true ;; *) false ;; esac; then
        overlap_check || return 2
    fi
    if [ "$status" -eq 0 ] && [ -z "$why" ]; then
        echo "ok $n - $desc"
        tr -d '\r' <"$tmp" | grep '^overlap' | sed 's/^/# /'
        return 0
    fi
    echo "not ok $n - $desc"
    if [ -n "$why" ]; then
        echo "# $why"
        echo "# command: $cmd"
        return 1
    fi
    why=$(describe_status "$status")
    # A check number only means something if the guest said so.
    if [ "$status" -ge 1 ] && [ "$status" -le 255 ] &&
       [ "$status" -ne 124 ] && [ "$status" -ne 126 ] &&
       [ "$status" -ne 127 ] &&
       ! grep -q -e '^FAIL check' -e '^unexpected trap' "$tmp"; then
        why="$why? (no FAIL line from the guest: emulator error?)"
    fi
    echo "# exit status $status: $why"
    echo "# command: $cmd"
    tail -n 5 "$tmp" | tr -d '\r' | sed 's/^/#   /'
    return 1
}

run_all
echo "# guest tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
