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

case "$(basename "$LOOM")" in
    qemu-system-*) is_qemu=1 ;;
    *) is_qemu=0 ;;
esac
is_qemu=${GUEST_IS_QEMU:-$is_qemu}

if [ -n "${RISCV_CC+set}" ] && [ -z "$RISCV_CC" ]; then
    echo "1..0 # SKIP no riscv64-unknown-elf-gcc: guest tests not built"
    exit 0
fi
if [ ! -r "$LIST" ]; then
    echo "Bail out! cannot read test list $LIST"
    exit 1
fi
if [ -n "$LOG_DIR" ]; then
    mkdir -p "$LOG_DIR" || { echo "Bail out! cannot create $LOG_DIR"; exit 1; }
fi

# ---- read the list ----
names=() smps=() flags=() extras=()
while read -r name smp flag extra; do
    case "$name" in ''|'#'*) continue ;; esac
    if [ -n "$ONLY" ]; then
        case " $ONLY " in *" $name "*) ;; *) continue ;; esac
    fi
    names+=("$name")
    smps+=("${smp:-1}")
    flags+=("${flag:--}")
    extras+=("$extra")
done < "$LIST"

if [ "$is_qemu" = 1 ]; then
    BACKENDS=-
else
    BACKENDS=${GUEST_BACKENDS:-$("$LOOM" -accel help 2>/dev/null |
        sed -n '/^Back-ends/,$p' | awk 'NR > 1 && $1 !~ /^\(/ { print $1 }')}
    BACKENDS=${BACKENDS:-interp}
fi

nmodes=0
for mode in $MODES; do nmodes=$((nmodes + 1)); done
nbackends=0
for b in $BACKENDS; do nbackends=$((nbackends + 1)); done
total=$(( ${#names[@]} * nmodes * nbackends ))
echo "1..$total"

describe_status() {
    case "$1" in
        0) echo "passed" ;;
        124|137) echo "timed out after ${TIMEOUT}s" ;;
        126|127) echo "could not run $LOOM" ;;
        253) echo "test fell off its end without PASS" ;;
        254) echo "a guest-side wait timed out (10 s of mtime)" ;;
        255) echo "unexpected trap" ;;
        *) if [ "$1" -ge 1 ] && [ "$1" -le 249 ]; then
               echo "failing check $1"
           else
               echo "unexpected exit status"
           fi ;;
    esac
}

n=0 passed=0 failed=0 skipped=0
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT

for i in "${!names[@]}"; do
    name=${names[$i]} smp=${smps[$i]} flag=${flags[$i]} extra=${extras[$i]}
    elf=$ELF_DIR/$name.elf
    for backend in $BACKENDS; do
    for mode in $MODES; do
        n=$((n + 1))
        accel="tcg,thread=$mode"
        desc="$name (thread=$mode)"
        if [ "$backend" != - ]; then
            accel="$accel,backend=$backend"
            desc="$name (thread=$mode, backend=$backend)"
        fi
        if [ "$is_qemu" = 1 ]; then
            case ",$flag," in *,qemu-skip,*)
                echo "ok $n - $desc # SKIP QEMU behaves differently (see tests/guest/README.md)"
                skipped=$((skipped + 1))
                continue ;;
            esac
        fi
        if [ ! -r "$elf" ]; then
            echo "not ok $n - $desc"
            echo "# missing $elf (build the guest tests first)"
            failed=$((failed + 1))
            continue
        fi
        # shellcheck disable=SC2086 # $extra is a list of arguments
        timeout -k 5 "$TIMEOUT" "$LOOM" -M virt -smp "$smp" \
            -accel "$accel" -bios none -kernel "$elf" \
            -nographic $extra </dev/null >"$tmp" 2>&1
        status=$?
        if [ -n "$LOG_DIR" ]; then
            cp "$tmp" "$LOG_DIR/$name.$mode.${backend#-}.log"
        fi
        if [ "$status" -eq 0 ]; then
            echo "ok $n - $desc"
            passed=$((passed + 1))
        else
            echo "not ok $n - $desc"
            why=$(describe_status "$status")
            # A check number only means something if the guest said so.
            if [ "$status" -ge 1 ] && [ "$status" -le 255 ] &&
               [ "$status" -ne 124 ] && [ "$status" -ne 126 ] &&
               [ "$status" -ne 127 ] &&
               ! grep -q -e '^FAIL check' -e '^unexpected trap' "$tmp"; then
                why="$why? (no FAIL line from the guest: emulator error?)"
            fi
            echo "# exit status $status: $why"
            echo "# command: $LOOM -M virt -smp $smp -accel $accel -bios none -kernel $elf -nographic $extra"
            tail -n 5 "$tmp" | tr -d '\r' | sed 's/^/#   /'
            failed=$((failed + 1))
        fi
    done
    done
done

echo "# guest tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
