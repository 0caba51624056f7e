#!/bin/bash
# make fuzz: run each libFuzzer harness for SECONDS, starting from its
# seeds and regressions (tests/fuzz/NAME/); new inputs go to
# tests/fuzz/NAME.corpus in the build tree, a crash to
# tests/fuzz/crash-NAME-*.  Fails if any harness finds a crash, a leak,
# a sanitizer report or a hang (10 s per input).
#   usage: run-fuzz.sh SECONDS tests/fuzz/fuzz-NAME...
# FUZZ_SEED=N (not 0) fixes libFuzzer's random seed, so that the inputs
# tried come in the same order each run: scripts/bootstrap.sh check uses
# it, so that CI fails only on what a longer run with that seed found
# first (make fuzz FUZZ_SEED=1 FUZZ_SECONDS=300 shows it).
set -u
secs=$1
shift
src=$(cd "$(dirname "$0")/../.." && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
failed=
for bin in "$@"; do
    name=${bin##*/fuzz-}
    work=$PWD/tests/fuzz/$name.corpus
    mkdir -p "$work"
    echo "fuzz: $name for ${secs}s"
    dirs=("$work" "$src/tests/fuzz/$name")
    if [ -d "$src/tests/fuzz/$name/regressions" ]; then
        dirs+=("$src/tests/fuzz/$name/regressions")
    fi
    if ! "$bin" -max_total_time="$secs" -seed="${FUZZ_SEED:-0}" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
            -artifact_prefix="$PWD/tests/fuzz/crash-$name-" \
            "${dirs[@]}" \
            >"tests/fuzz/fuzz-$name.log" 2>&1; then
        echo "fuzz: $name FAILED (tests/fuzz/fuzz-$name.log):"
        grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "tests/fuzz/fuzz-$name.log" | head -n 10
        failed="$failed $name"
    else
        grep -E '^stat::number_of_executed_units|^Done' "tests/fuzz/fuzz-$name.log" | tail -n 2
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: failed:$failed" >&2
    exit 1
fi
echo "fuzz: no crash in $# harnesses"
