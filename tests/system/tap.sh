# TAP helpers for the tests/system scripts: source it first.  Gives $tmp
# (a scratch directory removed at exit), ok, fail (with # lines of
# detail), skip (something the test needs is missing: a failure under
# CI, tests/skip-lib.sh), skip_ok (a reason that holds on any machine,
# e.g. no JIT back-end for this host), skip_plan, expect_error, and the
# counters n and failed.
# shellcheck source=../skip-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../skip-lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip_ok() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
skip() {
    if skips_fail; then
        fail "$1" "CI=true: not skipped: $2 (see tests/skip-lib.sh)"
    else
        skip_ok "$1" "$2"
    fi
}

# expect_error DESC PATTERN ARGS...: $LOOM ARGS exits 1 with exactly one
# stderr line matching PATTERN and nothing on stdout.
expect_error() {
    local desc=$1 pat=$2; shift 2
    timeout 20 "$LOOM" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    local st=$? lines
    lines=$(wc -l <"$tmp/err")
    if [ "$st" -eq 1 ] && [ "$lines" -eq 1 ] && grep -q -- "$pat" "$tmp/err" && [ ! -s "$tmp/out" ]; then
        ok "$desc"
    else
        fail "$desc" "exit $st, $lines stderr lines, want 1 line matching: $pat" \
             "stderr: $(head -c 300 "$tmp/err")"
    fi
}
