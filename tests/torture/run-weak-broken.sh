#!/bin/bash
# run-weak-broken.sh - the interpreter's weak-memory mode makes broken
# ordering fail (tests/torture/README.md, "A weakly ordered host").
#
# Usage: run-weak-broken.sh [ELF_DIR]
#
# Each broken variant runs under
#
#   $LOOM -M virt -smp 4 -accel tcg,thread=multi,backend=interp,weak=on,weak-seed=S ...
#
# for S = 1..$WEAK_SEEDS (default 5); the test passes when at least
# $WEAK_MIN_FAILS (default 4) of those runs (1 for locks-nofence,
# mp-tso-short and excl-nofence, below)
# fail one of the guest's checks (exit status 1..249; 1..199 on AArch64).  A run that passes, hangs (124: the
# runner's timeout), times out waiting for the other harts (254) or traps
# (255) does not count: only a seen ordering violation does.
#
#   mp-nofence     mp without its fences and .aq/.rl (TORTURE_BREAK=1)
#   locks-nofence  locks, the LR/SC lock released without fence rw,w
#   mp-tso-short   mp-tso under ztso=on with -accel tcg,mb-insert=off:
#                  the core inserts none of the barriers RVTSO needs
#
# The same tests built correctly pass in this mode (torture.list, flag
# "weak").  On an x86-64 host the broken variants pass without weak=on:
# the host is TSO.
#
# With TORTURE_ARCH=aarch64 (aarch64/run-weak-broken.sh) the AArch64
# variants run instead, on tests/fixtures/machines/aarch64-bare.machine
# with -semihosting, their ELFs in $TORTURE_ELF_DIR/aarch64:
#
#   excl-nofence   aarch64/excl.S, its locks released by plain STR (no
#                  STLR, no DMB ISH) and taken without acquire
#   mp-nofence     aarch64/mp.S without DMB, STLR, LDAR or LDAPR
#                  (TORTURE_BREAK=1)
#
# Environment: LOOM (default ./loom), TORTURE_ELF_DIR, RISCV_CC (set but
# empty: SKIP; AARCH64_CC for aarch64), WEAK_SEEDS, WEAK_MIN_FAILS,
# TORTURE_TIMEOUT (seconds per run, default 300), TORTURE_ARCH.
set -u

here=$(cd "$(dirname "$0")" && pwd)
LOOM=${LOOM:-./loom}
ARCH=${TORTURE_ARCH:-riscv64}
SEEDS=${WEAK_SEEDS:-5}
MIN_FAILS=${WEAK_MIN_FAILS:-4}
TIMEOUT=${TORTURE_TIMEOUT:-300}

# shellcheck source=../skip-lib.sh
. "$here/../skip-lib.sh"
case "$ARCH" in
    riscv64)
        ELF_DIR=${1:-${TORTURE_ELF_DIR:-tests/torture}}
        machine=(-M virt -bios none)
        max_check=249
        if [ -n "${RISCV_CC+set}" ] && [ -z "$RISCV_CC" ]; then
            skip_plan "no riscv64-unknown-elf-gcc: torture tests not built"
        fi ;;
    aarch64)
        ELF_DIR=${1:-${TORTURE_ELF_DIR:-tests/torture}/aarch64}
        machine=(-M "$here/../fixtures/machines/aarch64-bare.machine" -semihosting -bios none)
        max_check=199                   # 200 + n: an unexpected exception
        if [ -n "${AARCH64_CC+set}" ] && [ -z "$AARCH64_CC" ]; then
            skip_plan "no aarch64-linux-gnu-gcc: torture tests not built"
        fi
        if ! "$LOOM" -cpu help 2>/dev/null | grep -q '^aarch64 '; then
            skip_plan "no aarch64 front-end in this loom"
        fi ;;
    *)
        echo "Bail out! TORTURE_ARCH=$ARCH: riscv64 or aarch64"
        exit 1 ;;
esac
if ! "$LOOM" -accel help 2>/dev/null | grep -q '^interp '; then
    skip_plan "no interp back-end"
fi

# name  elf  runs that must fail (- for $MIN_FAILS)  extra emulator arguments
# locks-nofence needs one: its violation needs a second hart to take the
# lock in the short window where the release store is out and the
# section's stores are not, so it needs the harts to overlap, which a
# busy host can deny a run.  So does mp-tso-short: its producer's stores
# leave the store buffer out of order only while a consumer samples, and
# a CI run under -j2 saw 3 of 5 (5 of 5 on a quiet host).  mp-nofence's
# consumers catch a reordering on any sample, overlapping or not.
variants=(
    "mp-nofence     mp-nofence      -  -"
    "locks-nofence  locks-nofence   1  -"
    "mp-tso-mb-insert-off  mp-tso-short  1  -cpu rv64,ztso=on -accel tcg,mb-insert=off"
)
# AArch64: excl-nofence is locks-nofence's shape (it needs two vCPUs in
# the window after an early release store), mp-nofence mp's
if [ "$ARCH" = aarch64 ]; then
    variants=(
        "mp-nofence     mp-nofence      -  -"
        "excl-nofence   excl-nofence    1  -"
    )
fi

echo "1..${#variants[@]}"
n=0 failed=0
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT

for v in "${variants[@]}"; do
    read -r name elf min extra <<<"$v"
    [ "$extra" = - ] && extra=
    [ "$min" = - ] && min=$MIN_FAILS
    n=$((n + 1))
    desc="$name fails under weak=on in at least $min of $SEEDS seeds"
    if [ ! -r "$ELF_DIR/$elf.elf" ]; then
        echo "not ok $n - $desc"
        echo "# missing $ELF_DIR/$elf.elf (build the torture tests first)"
        failed=$((failed + 1))
        continue
    fi
    fails=0 statuses=
    for seed in $(seq 1 "$SEEDS"); do
        # shellcheck disable=SC2086 # $extra is a list of arguments
        timeout -k 5 "$TIMEOUT" "$LOOM" "${machine[@]}" -smp 4 \
            -accel "tcg,thread=multi,backend=interp,weak=on,weak-seed=$seed" \
            -kernel "$ELF_DIR/$elf.elf" -nographic $extra \
            </dev/null >"$out" 2>&1
        st=$?
        statuses="$statuses $st"
        if [ "$st" -ge 1 ] && [ "$st" -le "$max_check" ]; then
            fails=$((fails + 1))
            echo "# seed $seed: $(tr -d '\r' <"$out" | grep -m1 -e '^FAIL check' -e ': FAIL [0-9]')"
        else
            echo "# seed $seed: exit status $st, no failing check"
            tr -d '\r' <"$out" | tail -n 3 | sed 's/^/#   /'
        fi
    done
    if [ "$fails" -ge "$min" ]; then
        echo "ok $n - $desc ($fails failed)"
    else
        echo "not ok $n - $desc"
        echo "# only $fails of $SEEDS runs failed a check (exit statuses:$statuses)"
        failed=$((failed + 1))
    fi
done
echo "# weak-broken: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
