#!/bin/bash
# make check: every fuzz harness runs once over each file of its seed
# corpus (tests/fuzz/NAME/) and of its regressions (tests/fuzz/NAME/
# regressions/), without fuzzing: one TAP line per harness.  A crash, a
# sanitizer report (in a sanitizer build) or a hang (60 s) fails it.
set -u
src=${LOOM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${LOOM_BUILDDIR:-$src}
harnesses="loader machine-file cmdline gdbstub monitor mmio virtio mmio-arm"
echo "1..$(echo $harnesses | wc -w)"
n=0
for h in $harnesses; do
    n=$((n + 1))
    bin=$build/tests/fuzz/fuzz-$h
    files=$(find "$src/tests/fuzz/$h" -type f | LC_ALL=C sort)
    count=$(echo "$files" | grep -c .)
    if [ ! -x "$bin" ]; then
        echo "not ok $n - fuzz-$h: $bin is not built"
        continue
    fi
    log=$build/tests/fuzz/replay-$h.log
    # shellcheck disable=SC2086
    if timeout 60 "$bin" $files >"$log" 2>&1; then
        echo "ok $n - fuzz-$h: $count inputs"
    else
        echo "not ok $n - fuzz-$h: failed on the last input it names:"
        grep -E 'replay:|Running:|ERROR|runtime error|SUMMARY' "$log" | tail -n 5 | sed 's/^/# /'
        tail -n 20 "$log" | sed 's/^/# /'
    fi
done
