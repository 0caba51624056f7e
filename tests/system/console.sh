#!/bin/bash
# Console and machine-level behaviour with real guests, exact output:
# stdin reaches the guest through the UART (more input than its FIFO
# holds), a warm reset restarts every hart, -d op dumps IR.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
GUESTS=${LOOM_BUILDDIR:-.}/tests/system/guests
. "$(dirname "$0")/tap.sh"

echo "1..6"

# 100 lines of 41 bytes: far more than the 16-byte receive FIFO
for i in $(seq 1 100); do echo "the lazy brown fox jumps over the dog $i"; done >"$tmp/in"
{ echo ready; tr 'a-z' 'A-Z' <"$tmp/in"; } >"$tmp/want"
{ cat "$tmp/in"; echo q; } | timeout 60 "$LOOM" -smp 2 -bios none -kernel "$GUESTS/echo.elf" \
    -nographic >"$tmp/out" 2>"$tmp/err"
st=$?
if [ "$st" -eq 0 ] && cmp -s "$tmp/out" "$tmp/want"; then
    ok "console input: 4100 bytes echoed exactly, in order"
else
    fail "console input: 4100 bytes echoed exactly, in order" "exit $st" \
         "$(diff "$tmp/want" "$tmp/out" | head -5)" "$(head -c 200 "$tmp/err")"
fi

# input that ends before the guest finishes: EOF is not an error, the
# guest just sees no more bytes (here it waits; timeout stops it; -k:
# once, under AddressSanitizer, LeakSanitizer's exit check hung after the
# SIGTERM, and a hang must fail here, not stall the suite)
echo abc | timeout -k 20 3 "$LOOM" -bios none -kernel "$GUESTS/echo.elf" >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 124 ] && [ "$(cat "$tmp/out")" = "$(printf 'ready\nABC')" ]; then
    ok "console EOF: guest keeps running, output intact"
else
    fail "console EOF: guest keeps running, output intact" "exit $st" "$(head -c 200 "$tmp/out")"
fi

for mode in single multi; do
    timeout 30 "$LOOM" -smp 4 -accel tcg,thread=$mode -bios none -kernel "$GUESTS/reset.elf" \
        </dev/null >"$tmp/out" 2>&1
    st=$?
    if [ "$st" -eq 0 ] && [ "$(cat "$tmp/out")" = "$(printf 'boot 1\nboot 2')" ]; then
        ok "warm reset restarts every hart (thread=$mode)"
    else
        fail "warm reset restarts every hart (thread=$mode)" "exit $st" "$(head -c 300 "$tmp/out")"
    fi
done

# -d op prints the IR of the first TB readably
timeout 10 "$LOOM" -d op -D "$tmp/log" -bios none -kernel "$GUESTS/reset.elf" </dev/null >/dev/null 2>&1
if grep -q "^OP: cpu0 pc=0x80000000" "$tmp/log" && grep -q "^ ---- 0000000080000000" "$tmp/log"; then
    ok "-d op -D FILE: IR dump of the first block"
else
    fail "-d op -D FILE: IR dump of the first block" "$(head -5 "$tmp/log")"
fi

# -dfilter keeps the per-TB items of the TBs starting in the range only:
# the same lines as without it, for 0x80000008, and nothing else
timeout 10 "$LOOM" -d in_asm,op,exec -D "$tmp/all" -bios none -kernel "$GUESTS/reset.elf" \
    </dev/null >/dev/null 2>&1
timeout 10 "$LOOM" -d in_asm,op,exec -dfilter 0x80000008..0x8000000b -D "$tmp/filtered" \
    -bios none -kernel "$GUESTS/reset.elf" </dev/null >/dev/null 2>&1
want=$(grep -E '^(IN|OP|exec): cpu0 (tb [^ ]+ )?pc=0x80000008 ' "$tmp/all" | sed 's/tb [^ ]* //')
got=$(grep -E '^(IN|OP|exec):' "$tmp/filtered" | sed 's/tb [^ ]* //')
if [ -n "$want" ] && [ "$got" = "$want" ] && [ "$(grep -c '^IN:' "$tmp/all")" -gt 2 ]; then
    ok "-dfilter: per-TB items of the range only"
else
    fail "-dfilter: per-TB items of the range only" "want: $want" "got: $got"
fi

echo "# console: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
