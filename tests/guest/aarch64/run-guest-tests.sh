#!/bin/bash
# run-guest-tests.sh - run loom's bare-metal AArch64 guest tests, print TAP.
#
# Usage: run-guest-tests.sh [ELF_DIR]
#
# Every test in tests.list runs under each back-end loom has, in each
# thread mode:
#
#   timeout $GUEST_TIMEOUT $LOOM -M arm-virt -smp $SMP \
#       -accel tcg,thread=$MODE,backend=$BACKEND \
#       -semihosting -bios none -kernel $ELF_DIR/$NAME.elf -nographic [extra]
#
# with <name>.in (next to this script) as its console input when there
# is one.  A test passes when loom exits with status 0 (the guest's
# semihosting SYS_EXIT) and, if there is a <name>.out, its console output
# is exactly that file.  Otherwise the exit status is the failing check
# (1..249) or 250 (PSCI CPU_ON failed), 254 (a guest-side wait timed
# out), 255 (an unexpected exception); 124 is the timeout.
#
# Environment:
#   LOOM              emulator (default ./loom); LOOM=qemu-system-aarch64
#                     runs the same tests on QEMU's -M virt,gic-version=2
#                     -cpu max (qemu-skip tests skipped)
#   A64_ELF_DIR       directory of the built ELFs (default tests/guest/aarch64)
#   AARCH64_CC        if set but empty (no cross compiler), the tests skip
#                     (under CI=true they fail: tests/skip-lib.sh)
#   GUEST_TESTS       only these tests (space-separated names)
#   GUEST_MODES       thread modes (default "single multi")
#   GUEST_BACKENDS    back-ends (default: every one `$LOOM -accel help` lists)
#   GUEST_TIMEOUT     seconds per run (default 60)
#   GUEST_LOG_DIR     if set, keep each run's console output there
set -u

here=$(cd "$(dirname "$0")" && pwd)
LOOM=${LOOM:-./loom}
ELF_DIR=${1:-${A64_ELF_DIR:-tests/guest/aarch64}}
LIST=$here/tests.list
MODES=${GUEST_MODES:-single multi}
TIMEOUT=${GUEST_TIMEOUT:-60}
ONLY=${GUEST_TESTS:-}
LOG_DIR=${GUEST_LOG_DIR:-}
KIND="AArch64 guest"
WAIT_TEXT="a guest-side wait timed out (10 s of the counter)"
RUN_CC_VAR=AARCH64_CC
RUN_CC_NAME=aarch64-linux-gnu-gcc
RUN_INPUT_DIR=$here
OPTS=on
# shellcheck source-path=SCRIPTDIR source=../run-lib.sh
. "$here/../run-lib.sh"

case "$(basename "$LOOM")" in
    qemu-system-*) is_qemu=1 ;;
    *) is_qemu=0 ;;
esac

run_prepare
if [ "$is_qemu" = 1 ]; then
    BACKENDS=-
    RUN_MACHINE=virt,gic-version=2
    RUN_ARGS="-cpu max -semihosting -nic none"
else
    # The front-end is a plugin of its own: a loom built without it
    # cannot run these (a skip, which CI refuses: tests/skips-allowed)
    if ! "$LOOM" -cpu help 2>/dev/null | grep -q '^aarch64 '; then
        echo "1..0 # SKIP no aarch64 front-end in this loom"
        exit 0
    fi
    BACKENDS=${GUEST_BACKENDS:-$(run_loom_backends)}
    RUN_MACHINE=arm-virt
    RUN_ARGS="-semihosting -bios none"
fi
run_read_list

run_skip() {
    [ "$is_qemu" = 1 ] || return 1
    case ",$flag," in *,qemu-skip,*) ;; *) return 1 ;; esac
    echo "ok $n - $desc # SKIP QEMU's model differs (tests/guest/aarch64/tests.list)"
}

run_report() {
    local want=$here/$name.out why
    if [ "$status" -eq 0 ] && { [ ! -r "$want" ] || cmp -s "$want" <(tr -d '\r' <"$tmp"); }; then
        echo "ok $n - $desc"
        return 0
    fi
    echo "not ok $n - $desc"
    if [ "$status" -eq 0 ]; then
        echo "# the console output is not exactly $name.out:"
        diff "$want" <(tr -d '\r' <"$tmp") | head -n 8 | sed 's/^/#   /'
    else
        why=$(describe_status "$status")
        if [ "$status" -ge 1 ] && [ "$status" -le 255 ] && [ "$status" -ne 124 ] &&
           [ "$status" -ne 126 ] && [ "$status" -ne 127 ] &&
           ! grep -q -e '^FAIL check' -e '^unexpected exception' "$tmp"; then
            why="$why? (no FAIL line from the guest: emulator error?)"
        fi
        echo "# exit status $status: $why"
        tail -n 5 "$tmp" | tr -d '\r' | sed 's/^/#   /'
    fi
    echo "# command: $cmd"
    return 1
}

run_all
echo "# AArch64 guest tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
