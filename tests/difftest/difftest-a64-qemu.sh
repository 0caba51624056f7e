#!/bin/bash
# difftest-a64-qemu.sh - the A64 differential test with
# qemu-system-aarch64 (-M virt -cpu max) as the other side:
# DIFFTEST_A64_QEMU_COUNT sequences (default 1000; 200 in make
# check-quick), loom's interpreter against QEMU.  Prints TAP
# (difftest.sh's).  See tests/difftest/README.md.
#
# Environment: DIFFTEST_A64_QEMU_COUNT, QEMU (default
# qemu-system-aarch64), and difftest.sh's (not DIFFTEST_COUNT,
# DIFFTEST_BACKENDS or DIFFTEST_ARCH, which this script sets).

set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../skip-lib.sh
. "$here/../skip-lib.sh"

count=${DIFFTEST_A64_QEMU_COUNT:-1000}
case $count in ''|*[!0-9]*) echo "Bail out! DIFFTEST_A64_QEMU_COUNT must be a number, not '$count'"; exit 1 ;; esac
QEMU=${QEMU:-qemu-system-aarch64}
if ! command -v "$QEMU" > /dev/null 2>&1; then
    skip_plan "no $QEMU (Debian: qemu-system-arm): nothing to compare loom with"
fi
export QEMU
DIFFTEST_COUNT=$count DIFFTEST_ARCH=aarch64 DIFFTEST_BACKENDS="interp qemu" exec "$here/difftest.sh"
