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
# PASS to the sifive_test finisher), its output holds no
# ThreadSanitizer/AddressSanitizer report, and, for tests flagged
# "flushes", -d jit reports at least one full code-buffer flush.  A
# non-zero status is the failing check number (tests/torture/*.S), or
# 254 (a wait for the other harts timed out), 255 (unexpected trap),
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

set -u

here=$(cd "$(dirname "$0")" && pwd)
LOOM=${LOOM:-./loom}
ELF_DIR=${1:-${TORTURE_ELF_DIR:-tests/torture}}
LIST=$here/torture.list
MODES=${TORTURE_MODES:-${GUEST_MODES:-single multi}}
TIMEOUT=${TORTURE_TIMEOUT:-300}
ONLY=${TORTURE_TESTS:-}
LOG_DIR=${TORTURE_LOG_DIR:-}

if [ -n "${RISCV_CC+set}" ] && [ -z "$RISCV_CC" ]; then
    echo "1..0 # SKIP no riscv64-unknown-elf-gcc: torture tests not built"
    exit 0
fi
if [ ! -r "$LIST" ]; then
    echo "Bail out! cannot read test list $LIST"
    exit 1
fi
if [ -n "$LOG_DIR" ]; then
    mkdir -p "$LOG_DIR" || { echo "Bail out! cannot create $LOG_DIR"; exit 1; }
fi

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

BACKENDS=${TORTURE_BACKENDS:-$("$LOOM" -accel help 2>/dev/null |
    sed -n '/^Back-ends/,$p' | awk 'NR > 1 && $1 !~ /^\(/ { print $1 }')}
BACKENDS=${BACKENDS:-interp}

set -f      # $MODES, $BACKENDS and $extra are lists of words
runs=0
for _ in $MODES; do for _ in $BACKENDS; do runs=$((runs + 1)); done; done
echo "1..$(( ${#names[@]} * runs ))"

describe_status() {
    case "$1" in
        124|137) echo "timed out after ${TIMEOUT}s" ;;
        126|127) echo "could not run $LOOM" ;;
        253) echo "test fell off its end without PASS" ;;
        254) echo "a wait for the other harts timed out" ;;
        255) echo "unexpected trap" ;;
        *) if [ "$1" -ge 1 ] && [ "$1" -le 249 ]; then
               echo "failing check $1"
           else
               echo "unexpected exit status"
           fi ;;
    esac
}

n=0 failed=0
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT

for i in "${!names[@]}"; do
    name=${names[$i]} smp=${smps[$i]} flag=${flags[$i]} extra=${extras[$i]}
    elf=$ELF_DIR/$name.elf
    for backend in $BACKENDS; do
    for mode in $MODES; do
        n=$((n + 1))
        accel="tcg,thread=$mode,backend=$backend"
        desc="$name (thread=$mode, backend=$backend)"
        cmd="$LOOM -M virt -smp $smp -accel $accel -bios none -kernel $elf -nographic $extra"
        if [ ! -r "$elf" ]; then
            echo "not ok $n - $desc"
            echo "# missing $elf (build the torture tests first)"
            failed=$((failed + 1))
            continue
        fi
        start=$(date +%s.%N)
        # shellcheck disable=SC2086 # $extra is a list of arguments
        timeout -k 5 "$TIMEOUT" "$LOOM" -M virt -smp "$smp" -accel "$accel" \
            -bios none -kernel "$elf" -nographic $extra </dev/null >"$tmp" 2>&1
        status=$?
        secs=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.2f", $2 - $1 }')
        if [ -n "$LOG_DIR" ]; then
            cp "$tmp" "$LOG_DIR/$name.$mode.$backend.log"
        fi
        why=
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
        fi
        if [ -z "$why" ]; then
            echo "ok $n - $desc"
            # what the guest says about its run, and the flush count
            tr -d '\r' <"$tmp" | grep -e "^$name: " -e '^ *full flushes' |
                sed 's/^ */# /'
            echo "# ${secs}s"
        else
            echo "not ok $n - $desc"
            echo "# $why"
            echo "# command: $cmd"
            # the guest's failure line, or the sanitizer's accesses
            tr -d '\r' <"$tmp" | grep -e '^FAIL check' -e '^unexpected trap' \
                -e 'ThreadSanitizer' -e 'of size' -e '^ *#[0-2] ' -e 'runtime error:' |
                grep -v -e pthread_create -e cpus_start -e 'main core/main' |
                head -n 30 | sed 's/^/#   /'
            tail -n 5 "$tmp" | tr -d '\r' | sed 's/^/#   /'
            failed=$((failed + 1))
        fi
    done
    done
done

echo "# torture tests: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
