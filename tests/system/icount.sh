#!/bin/bash
# -icount shift=N (docs/manual.md, "Deterministic execution"): option
# errors, the thread mode it forces, and the guest icount.elf, whose clock
# reads must be exactly what the instruction count predicts: mtime =
# floor(count * 2^N / 100) at the 10 MHz timebase, count = the guest
# instructions retired before the reading one; a timer interrupt for
# mtimecmp C is taken at count ceil(C * 100 / 2^N), also in the middle of
# a translation block and after wfi (time jumps, no host sleep).  Two runs
# give byte-identical consoles, on 1 and 4 harts, and both back-ends give
# the same one.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
GUESTS=${LOOM_BUILDDIR:-.}/tests/system/guests
. "$(dirname "$0")/tap.sh"

ELF=$GUESTS/icount.elf
shifts="0 7 10"
backends=interp
"$LOOM" -accel help 2>/dev/null | grep -q '^x86_64 ' && backends="interp x86_64"
nb=$(echo $backends | wc -w)
echo "1..$((9 + nb * (3 * 3 + 2) + 1))"

run=(-M virt -bios none -kernel "$ELF" -nographic)
expect_error "-icount with thread=multi names both and the fix" \
    '^loom: -icount needs single-threaded execution and --accel tcg,thread=multi .*: drop thread=multi or give thread=single$' \
    -icount shift=3 -accel tcg,thread=multi -smp 2 "${run[@]}"
expect_error "-icount shift=abc" "^loom: -icount shift=abc is not valid: give a number from 0 to 10" \
    -icount shift=abc "${run[@]}"
expect_error "-icount shift=99" "^loom: -icount shift=99 is not valid: give a number from 0 to 10" \
    -icount shift=99 "${run[@]}"
expect_error "-icount shift= (empty)" "^loom: -icount shift= is not valid" -icount shift= "${run[@]}"
expect_error "-icount unknown sub-option" \
    "^loom: -icount: unknown option 'align=on': valid ones are shift=N (0..10) and sleep=off" \
    -icount shift=2,align=on "${run[@]}"
expect_error "-icount sleep=on" "^loom: -icount sleep=on is not supported" \
    -icount shift=2,sleep=on "${run[@]}"
expect_error "-icount without a shift" "^loom: -icount sleep=off: give the shift" \
    -icount sleep=off "${run[@]}"

if "$LOOM" -h | grep -q -- '^  -icount \[shift=\]N\[,sleep=off\] '; then
    ok "-h lists -icount"
else
    fail "-h lists -icount" "$("$LOOM" -h | grep -- icount)"
fi

# thread=auto on 4 harts: single, and -d mttcg says why
timeout 60 "$LOOM" -smp 4 -icount 3 -d mttcg "${run[@]}" </dev/null >"$tmp/out" 2>&1
st=$?
line="mttcg: chose single-threaded mode: 1 thread runs 4 vCPUs round-robin (-icount: deterministic execution)"
if [ "$st" -eq 0 ] && grep -qxF "$line" "$tmp/out"; then
    ok "-icount -smp 4: single-threaded (-d mttcg)"
else
    fail "-icount -smp 4: single-threaded (-d mttcg)" "exit $st, want: $line" "$(grep mttcg "$tmp/out")"
fi

if [ ! -f "$ELF" ]; then
    for i in $(seq 1 $((nb * 11 + 1))); do skip "icount guest" "no $ELF (needs riscv64-unknown-elf-gcc)"; done
    exit 0
fi

# check_exact SHIFT FILE: prints what differs from the prediction
check_exact() {
    awk -v s="$1" '
    function mt(c) { return int(c * 2 ^ s / 100) }          # mtime at count c
    function hex(x) { return sprintf("%016x", x) }
    function hexval(h,   v, i) { v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v }
    function fire(cmp) { return int((cmp * 100 + 2 ^ s - 1) / 2 ^ s) }   # count at the deadline
    $1 == "S" {
        nS++
        if ($2 != hex(mt(4)) || $3 != hex(mt(2006)) || $4 != hex(mt(2007)))
            print "S line: got " $2 " " $3 " " $4 ", want " hex(mt(4)) " " hex(mt(2006)) " " hex(mt(2007))
    }
    $1 == "T" {
        nT++
        cmp = hexval($2); want = hex(mt(fire(cmp)))
        if ($3 != want) print "T line " nT ": mtimecmp " $2 ": handler read " $3 ", want " want
    }
    END { if (nS != 1 || nT != 9) print nS + 0 " S lines and " nT + 0 " T lines, want 1 and 9" }
    ' "$2"
}

for be in $backends; do
    for s in $shifts; do
        what="$be, shift=$s, 1 hart"
        for r in 1 2; do
            timeout 60 "$LOOM" -icount shift=$s -accel tcg,backend=$be "${run[@]}" </dev/null \
                >"$tmp/$be-$s-$r" 2>&1
            eval "st$r=$?"
        done
        if [ "$st1" -eq 0 ] && grep -qx done "$tmp/$be-$s-1"; then
            ok "$what: runs to the end (wfi 1e9 ticks ahead: time jumps)"
        else
            fail "$what: runs to the end (wfi 1e9 ticks ahead: time jumps)" "exit $st1" \
                "$(tail -5 "$tmp/$be-$s-1")"
        fi
        diffs=$(check_exact "$s" "$tmp/$be-$s-1")
        if [ -z "$diffs" ]; then
            ok "$what: mtime, time and interrupt instants exactly as the count predicts"
        else
            fail "$what: mtime, time and interrupt instants exactly as the count predicts" "$diffs"
        fi
        if [ "$st2" -eq 0 ] && cmp -s "$tmp/$be-$s-1" "$tmp/$be-$s-2"; then
            ok "$what: a second run prints the same"
        else
            fail "$what: a second run prints the same" "exit $st2" \
                "$(diff "$tmp/$be-$s-1" "$tmp/$be-$s-2" | head -5)"
        fi
    done
    what="$be, shift=5, 4 harts"
    for r in 1 2; do
        timeout 60 "$LOOM" -smp 4 -icount shift=5 -accel tcg,backend=$be "${run[@]}" </dev/null \
            >"$tmp/$be-smp-$r" 2>&1
        eval "st$r=$?"
    done
    # the other harts ran: the counter they share has moved by the end
    if [ "$st1" -eq 0 ] && grep -qx done "$tmp/$be-smp-1" &&
       [ "$(awk '$1 == "T" { v = $5 } END { print v }' "$tmp/$be-smp-1")" != 0000000000000000 ]; then
        ok "$what: runs to the end, the other harts count"
    else
        fail "$what: runs to the end, the other harts count" "exit $st1" "$(tail -5 "$tmp/$be-smp-1")"
    fi
    if [ "$st2" -eq 0 ] && cmp -s "$tmp/$be-smp-1" "$tmp/$be-smp-2"; then
        ok "$what: a second run prints the same"
    else
        fail "$what: a second run prints the same" "exit $st2" \
            "$(diff "$tmp/$be-smp-1" "$tmp/$be-smp-2" | head -5)"
    fi
done

# the count does not depend on the back-end
first=${backends%% *}
same=yes
for be in $backends; do
    for f in 7-1 smp-1; do
        cmp -s "$tmp/$first-$f" "$tmp/$be-$f" || same="no: $be $f"
    done
done
if [ "$same" = yes ]; then ok "every back-end prints the same (shift=7, and 4 harts)"
else fail "every back-end prints the same (shift=7, and 4 harts)" "$same"; fi

echo "# icount: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
