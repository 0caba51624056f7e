#!/bin/bash
# difftest-a64.sh - the differential test on the AArch64 guest: random
# A64 integer sequences (difftest-gen-a64, runtime-a64.S) under interp
# and x86_64, DIFFTEST_A64_COUNT sequences (default 4000; 1000 in make
# check-quick).  Prints TAP (difftest.sh's).  See tests/difftest/README.md.
#
# Environment: DIFFTEST_A64_COUNT, AARCH64_CC, and difftest.sh's
# (DIFFTEST_SEED, DIFFTEST_BACKENDS, DIFFTEST_ONLY, DIFFTEST_GROUPS...;
# not DIFFTEST_COUNT or DIFFTEST_ARCH, which this script sets).

set -u
here=$(cd "$(dirname "$0")" && pwd)
count=${DIFFTEST_A64_COUNT:-4000}
case $count in ''|*[!0-9]*) echo "Bail out! DIFFTEST_A64_COUNT must be a number, not '$count'"; exit 1 ;; esac
DIFFTEST_COUNT=$count DIFFTEST_ARCH=aarch64 exec "$here/difftest.sh"
