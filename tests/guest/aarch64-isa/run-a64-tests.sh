#!/bin/bash
# Build and run loom's bare-metal AArch64 guest tests (tests.list: name,
# -smp, and "noqemu" for a test of what QEMU does not model) with
# -semihosting on tests/fixtures/machines/aarch64-bare.machine, on every
# back-end that is built and in both thread modes, printing TAP; a test
# passes when its exit status is 0 and it printed "<name>: ok".
#   LOOM=./loom      the emulator (run from the build directory)
#   AARCH64_CC=aarch64-linux-gnu-gcc (or CC=...; make check passes
#                    configure's AARCH64_CC)
#   BACKENDS="interp x86_64"  the back-ends (default: interp, and x86_64
#                              on x86-64 hosts)
#   QEMU=qemu-system-aarch64   also run each test on QEMU's virt board
#                              (-cpu max), the reference the values were
#                              checked against
# Skips (TAP "1..0 # SKIP") when the cross compiler is missing.
set -u
SRC=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$SRC/../../.." && pwd)
LOOM=${LOOM:-./loom}
# make check passes configure's AARCH64_CC (empty: none was found)
CC=${AARCH64_CC-${CC:-aarch64-linux-gnu-gcc}}
QEMU=${QEMU:-}
MACHINE=$TOP/tests/fixtures/machines/aarch64-bare.machine
# shellcheck source=../../skip-lib.sh
. "$TOP/tests/skip-lib.sh"

if [ -z "$CC" ] || ! command -v "$CC" >/dev/null 2>&1; then
    skip_plan "no AArch64 cross compiler (${CC:-aarch64-linux-gnu-gcc}): apt-get install gcc-aarch64-linux-gnu"
fi
if [ -z "${OUT:-}" ]; then
    OUT=$(mktemp -d) || exit 1
    trap 'rm -rf "$OUT"' EXIT
fi
# the back-ends: interp everywhere, the JIT on its host
read -r -a backends <<<"${BACKENDS:-interp $([ "$(uname -m)" = x86_64 ] && echo x86_64)}"
mapfile -t tests < <(grep -v '^#' "$SRC/tests.list" | grep .)
per=$(( ${#backends[@]} * 2 ))
[ -n "$QEMU" ] && per=$((per + 1))
echo "1..$(( ${#tests[@]} * (per + 1) ))"
n=0
for line in "${tests[@]}"; do
    set -- $line
    name=$1 smp=$2 flag=${3:-}
    elf=$OUT/$name.elf
    n=$((n + 1))
    if "$CC" -march=armv8.3-a -nostdlib -nostartfiles -static -ffreestanding \
         -I"$SRC" -T "$SRC/link.ld" -o "$elf" "$SRC/common.S" "$SRC/$name.S" 2>"$OUT/$name.cc"; then
        echo "ok $n - build $name"
    else
        echo "not ok $n - build $name"; sed 's/^/# /' "$OUT/$name.cc"
        continue
    fi
    for b in "${backends[@]}"; do
        for t in multi single; do
            n=$((n + 1))
            out=$(timeout 120 "$LOOM" -M "$MACHINE" -smp "$smp" -semihosting \
                  -accel tcg,backend="$b",thread="$t" -kernel "$elf" </dev/null 2>&1)
            st=$?
            if [ $st -eq 0 ] && grep -q "^$name: ok" <<<"$out"; then
                echo "ok $n - $name backend=$b thread=$t"
            else
                echo "not ok $n - $name backend=$b thread=$t (exit $st)"
                sed 's/^/# /' <<<"$out" | head -20
            fi
        done
    done
    if [ -n "$QEMU" ] && [ "$flag" = noqemu ]; then
        n=$((n + 1))
        echo "ok $n - $name on $QEMU # SKIP QEMU does not model what it checks"
    elif [ -n "$QEMU" ]; then
        n=$((n + 1))
        out=$(timeout 120 "$QEMU" -M virt -cpu max -smp "$smp" -semihosting -nographic -nic none \
              -monitor none -serial none -kernel "$elf" </dev/null 2>&1)
        st=$?
        if [ $st -eq 0 ]; then
            echo "ok $n - $name on $QEMU"
        else
            echo "not ok $n - $name on $QEMU (exit $st)"
            sed 's/^/# /' <<<"$out" | head -20
        fi
    fi
done
