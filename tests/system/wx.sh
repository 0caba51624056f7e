#!/bin/bash
# -accel tcg,wx=on: the code buffer mapped twice, writable and executable
# but never both (/proc/PID/maps: the memory file "loom-code" once rw-s,
# once r-xs, and no mapping both writable and executable, where wx=off
# has one); every guest test and the code-patching and flushing torture
# tests pass with it on each back-end; a back-end that does not declare
# supports_wx is refused; a bad value gets one line.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
BUILD=$(cd "${LOOM_BUILDDIR:-.}" && pwd)
SRC=$(cd "${LOOM_SRCDIR:-.}" && pwd)
. "$(dirname "$0")/tap.sh"
# details of a failure, every line a TAP comment (sub-suites' lines too)
fail() {
    n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift
    local l; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}

backends=$("$LOOM" -accel help 2>/dev/null |
           sed -n '/^Back-ends/,$p' | awk 'NR > 1 && $1 !~ /^\(/ { print $1 }')
echo "1..$((5 + 2 * $(echo "$backends" | wc -w)))"

# a guest that spins forever: j .
printf '\x6f\x00\x00\x00' >"$tmp/spin.bin"
# a guest that passes at once: li a0,0x5555; lui t0,0x100; sw a0,0(t0)
printf '\x37\x55\x00\x00\x1b\x05\x55\x55\xb7\x02\x10\x00\x23\xa0\xa2\x00\x6f\x00\x00\x00' >"$tmp/pass.bin"

# maps BACKEND WX: the spinning guest's /proc/PID/maps in $tmp/maps,
# once its first TB has run (the code buffer exists before that)
maps() {
    local pid end
    "$LOOM" -accel "tcg,backend=$1,wx=$2" -bios none -kernel "$tmp/spin.bin" -nographic \
        </dev/null >"$tmp/spin.out" 2>&1 &
    pid=$!
    end=$((SECONDS + 20))
    : >"$tmp/maps"
    while [ $SECONDS -lt $end ] && kill -0 "$pid" 2>/dev/null; do
        sleep 0.3
        cp "/proc/$pid/maps" "$tmp/maps" 2>/dev/null
        grep -q 'loom-code\|rwxp' "$tmp/maps" && break
    done
    sleep 0.3
    cp "/proc/$pid/maps" "$tmp/maps" 2>/dev/null
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}
# the mappings that are writable and executable
wx_lines() { awk '$2 ~ /^.wx/' "$tmp/maps"; }

for be in $backends; do
    maps "$be" on
    rw=$(grep -c ' rw-s .*/memfd:loom-code' "$tmp/maps")
    rx=$(grep -c ' r-xs .*/memfd:loom-code' "$tmp/maps")
    if [ "$rw" -eq 1 ] && [ "$rx" -eq 1 ] && [ -z "$(wx_lines)" ]; then
        ok "backend=$be, wx=on: loom-code mapped rw-s and r-xs, nothing writable and executable"
    else
        fail "backend=$be, wx=on: two views, nothing writable and executable" \
             "rw-s views $rw, r-xs views $rx, w+x: $(wx_lines | head -3)" "$(head -c 300 "$tmp/spin.out")"
    fi
done
# the check sees a writable, executable buffer when there is one
maps interp off
if [ -n "$(wx_lines)" ] && ! grep -q 'loom-code' "$tmp/maps"; then
    ok "wx=off: the code buffer is one writable and executable mapping"
else
    fail "wx=off: one writable and executable mapping" "$(grep -e 'rwx' -e 'loom-code' "$tmp/maps" | head -3)"
fi

# every guest test, thread=multi, and the torture tests that patch
# chained jumps and flush while other harts run, on each back-end
printf '#!/bin/sh\nexec "%s" -accel tcg,wx=on "$@"\n' "$LOOM" >"$tmp/loom-wx"
chmod +x "$tmp/loom-wx"
for be in $backends; do
    env -u GUEST_TESTS -u GUEST_OPTS GUEST_MODES=multi GUEST_BACKENDS="$be" LOOM="$tmp/loom-wx" \
        bash "$SRC/tests/guest/run-guest-tests.sh" "${GUEST_ELF_DIR:-$BUILD/tests/guest}" \
        >"$tmp/guest.log" 2>&1
    st=$?
    env TORTURE_TESTS="smc flush" TORTURE_MODES=multi TORTURE_BACKENDS="$be" LOOM="$tmp/loom-wx" \
        bash "$SRC/tests/torture/run-torture.sh" "${TORTURE_ELF_DIR:-$BUILD/tests/torture}" \
        >"$tmp/torture.log" 2>&1
    st2=$?
    runs=$(grep -c '^ok ' "$tmp/guest.log" "$tmp/torture.log" | awk -F: '{ s += $2 } END { print s }')
    if grep -q '^1\.\.0 # SKIP' "$tmp/guest.log"; then
        skip "backend=$be, wx=on: guest and torture tests" "$(sed -n 's/^1\.\.0 # SKIP //p' "$tmp/guest.log")"
    elif [ "$st" -eq 0 ] && [ "$st2" -eq 0 ] && ! grep -q '^not ok' "$tmp/guest.log" "$tmp/torture.log"; then
        ok "backend=$be, wx=on: every guest test and the smc and flush torture tests ($runs runs)"
    else
        fail "backend=$be, wx=on: guest and torture tests" "exit $st, $st2" \
             "$(grep -h -A3 '^not ok' "$tmp/guest.log" "$tmp/torture.log" | head -20)"
    fi
done

# the option itself
expect_error "wx=maybe" "^loom: -accel: wx=maybe is not valid: give on or off\$" \
    -accel tcg,wx=maybe -bios none -kernel "$tmp/pass.bin"
expect_error "a back-end without supports_wx is refused under wx=on" \
    "^loom: back-end hostfix cannot run with -accel tcg,wx=on (it does not declare supports_wx): use wx=off or another back-end\$" \
    --plugin-path "$BUILD/tests/fixtures/backends-a" -accel tcg,backend=hostfix,wx=on \
    -bios none -kernel "$tmp/pass.bin"
timeout 20 "$LOOM" -accel tcg,wx=on -accel tcg,wx=off -bios none -kernel "$tmp/pass.bin" \
    </dev/null >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 0 ] && [ ! -s "$tmp/out" ]; then
    ok "wx=off after wx=on: the last one wins, the guest passes"
else
    fail "wx=off after wx=on" "exit $st" "$(head -c 300 "$tmp/out")"
fi
timeout 20 "$LOOM" -accel tcg,wx=on -bios none -kernel "$tmp/pass.bin" </dev/null >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 0 ] && [ ! -s "$tmp/out" ]; then
    ok "wx=on with the default back-end: the guest passes"
else
    fail "wx=on with the default back-end" "exit $st" "$(head -c 300 "$tmp/out")"
fi

[ "$failed" -eq 0 ]
