# shellcheck shell=bash
# skip-lib.sh - when a test may skip (sourced, not run, by
# tests/system/tap.sh, tests/system/images/boot-lib.sh,
# tests/guest/run-lib.sh and tests/difftest/difftest.sh).
#
# Everything the tests need (the cross compiler, gdb-multiarch, dtc,
# Debian's firmware, kernel and busybox) is installed by the project's
# own scripts (scripts/install-deps.sh, tests/system/images/
# fetch-images.sh).  So under CI (CI=true, which CI sets) a test that
# finds something missing fails instead of skipping: there, a skip hides
# a broken install step.  LOOM_ALLOW_SKIP=1 lifts that for a run that
# leaves things out on purpose (make distcheck's offline quick suite).
#
# A skip that is right on any well set-up machine (running as root, a
# host without a JIT back-end) is a plain TAP SKIP that nothing turns
# into a failure; scripts/bootstrap.sh check still lists every skip and
# fails on one that is not in tests/skips-allowed.

# True when a missing tool or image must fail the test.
skips_fail() {
    [ "${CI:-}" = true ] && [ "${LOOM_ALLOW_SKIP:-}" != 1 ]
}

# skip_plan REASON: skip the whole script (a plan of no tests), or, when
# skips fail, a plan of one failed test naming the reason.  Exits.
skip_plan() {
    if skips_fail; then
        echo "1..1"
        echo "not ok 1 - $1"
        echo "# CI=true: not skipped (the project's scripts install this; see tests/skip-lib.sh)"
        exit 1
    fi
    echo "1..0 # SKIP $1"
    exit 0
}
