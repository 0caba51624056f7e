#!/bin/bash
# difftest-qemu.sh - the differential test with qemu-system-riscv64 as
# the other side: DIFFTEST_QEMU_COUNT sequences (default 500; 200 in
# make check-quick) of the QEMU 7.2 subset, loom's interpreter against
# QEMU.  Prints TAP (difftest.sh's).  See tests/difftest/README.md.
#
# Environment: DIFFTEST_QEMU_COUNT, QEMU (default qemu-system-riscv64),
# and difftest.sh's (DIFFTEST_SEED, DIFFTEST_PER_IMAGE, ...; not
# DIFFTEST_COUNT or DIFFTEST_BACKENDS, which this script sets).

set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../skip-lib.sh
. "$here/../skip-lib.sh"

count=${DIFFTEST_QEMU_COUNT:-500}
case $count in ''|*[!0-9]*) echo "Bail out! DIFFTEST_QEMU_COUNT must be a number, not '$count'"; exit 1 ;; esac
QEMU=${QEMU:-qemu-system-riscv64}
if ! command -v "$QEMU" > /dev/null 2>&1; then
    skip_plan "no $QEMU (Debian: qemu-system-misc): nothing to compare loom with"
fi
export QEMU
DIFFTEST_COUNT=$count DIFFTEST_BACKENDS="interp qemu" exec "$here/difftest.sh"
