#!/bin/bash
# fuzz.sh [SECONDS] - build the libFuzzer harnesses (clang, ASan, UBSan)
# in a copy of this checkout, build-fuzz/, and run each for SECONDS
# (default $FUZZ_SECONDS, else 60).  `make fuzz` in an ordinary build
# runs this; scripts/bootstrap.sh check runs it with 20 s.  Exits non-zero
# on any crash, leak, hang or sanitizer report (tests/fuzz/README.md).
set -eu
cd "$(dirname "$0")/.."
secs=${1:-${FUZZ_SECONDS:-60}}
jobs=$(nproc 2>/dev/null || echo 2)
dir=build-fuzz

if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: no clang: apt-get install clang libclang-rt-14-dev (scripts/install-deps.sh)" >&2
    exit 1
fi
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "fuzz: not a git checkout: configure a tree with CC=clang --enable-fuzz and run make fuzz there" >&2
    exit 1
fi
rm -rf "$dir"
mkdir -p "$dir"
git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$dir"
echo "fuzz: libFuzzer build in $dir"
cd "$dir"
./autogen.sh >/dev/null 2>&1
CC=clang ./configure --enable-fuzz >/dev/null
make -j"$jobs" fuzz FUZZ_SECONDS="$secs"
