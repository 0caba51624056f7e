#!/bin/bash
# fence.i never flushes the code buffer: self-modifying guests run with
# "full flushes 0" in the -d jit block (docs/design.md, "Self-modifying
# code").  The smc-* guest tests execute fence.i hundreds of times each;
# a flush per fence.i would count as many.  Each runs on both back-ends
# in both thread modes; the test passes on exit 0 (the guest's own
# exact checks) and a flush count of 0.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
. "$(dirname "$0")/tap.sh"
ELFS=${GUEST_ELF_DIR:-tests/guest}

guests="smc-patch:1 smc-same-tb:1 smc-alias:1 smc-xhart:2"
backends=$("$LOOM" -accel help 2>/dev/null |
    sed -n '/^Back-ends/,$p' | awk 'NR > 1 && $1 !~ /^\(/ { print $1 }')
backends=${backends:-interp}
total=0
for g in $guests; do for b in $backends; do total=$((total + 2)); done; done
echo "1..$total"
for g in $guests; do
    name=${g%:*} smp=${g#*:}
    for b in $backends; do
        for mode in single multi; do
            what="$name backend=$b thread=$mode: exit 0, full flushes 0"
            if [ ! -f "$ELFS/$name.elf" ]; then
                skip "$what" "$ELFS/$name.elf not built (needs RISCV_CC)"
                continue
            fi
            timeout 60 "$LOOM" -M virt -smp "$smp" -accel tcg,thread=$mode,backend=$b \
                -bios none -kernel "$ELFS/$name.elf" -d jit -D "$tmp/jit.log" \
                -nographic </dev/null >"$tmp/out" 2>&1
            st=$?
            flushes=$(awk '$1 == "full" && $2 == "flushes" { print $3 }' "$tmp/jit.log" 2>/dev/null)
            if [ "$st" -eq 0 ] && [ "$flushes" = 0 ]; then
                ok "$what"
            else
                fail "$what" "exit $st, full flushes '${flushes}'" "$(tail -n 3 "$tmp/out")"
            fi
        done
    done
done
