#!/bin/bash
# -d jit: the translation statistics block loom logs at exit, its exact
# shape (docs/manual.md, "Translation statistics") and its exact counts
# for a guest whose translations cannot vary from run to run.  Prints TAP.
#
# The guest is straight-line code that ends in a two-instruction loop
# holding the finisher store; every TB it will ever run is translated
# before that store asks for the shutdown, however late the vCPU is
# stopped:
#   0x80000000  lui a0,0x5; addiw a0,a0,0x555; nop; nop; nop;
#               lui t0,0x100; j 0x8000001c             TB 1: 7 insns
#   0x8000001c  sw a0,0(t0); j 0x8000001c              TB 2: 2 insns
# So: 2 TBs, 9 guest insns, 4.50 insns per TB, no flush, on any back-end
# and in both thread modes.  Host code bytes depend on the back-end and
# the optimiser, and TBs executed and exits on when the stop arrives:
# those are checked for sanity only (bytes per insn = bytes / 9, the code
# buffer holds at least the code, at least the 2 TBs ran).
set -u
LOOM=${LOOM:-./loom}
. "$(dirname "$0")/tap.sh"

echo "1..11"

printf '\x37\x55\x00\x00\x1b\x05\x55\x55\x13\x00\x00\x00\x13\x00\x00\x00\x13\x00\x00\x00' >"$tmp/g.bin"
printf '\xb7\x02\x10\x00\x6f\x00\x40\x00\x23\xa0\xa2\x00\x6f\xf0\xdf\xff' >>"$tmp/g.bin"

# run NAME ARGS...: loom -d jit -D $tmp/NAME.log ARGS with the guest;
# sets st and leaves stdout+stderr in $tmp/NAME.out
run() {
    local name=$1; shift
    timeout 60 "$LOOM" -M virt -bios none -kernel "$tmp/g.bin" -d jit -D "$tmp/$name.log" "$@" \
        </dev/null >"$tmp/$name.out" 2>&1
    st=$?
}

# check_block LOG HEADER TB_SIZE REGIONS NCPUS: every line of the block
# has its exact shape, and the deterministic counts are exact.  Prints
# what is wrong, nothing if all is well.
check_block() {
    awk -v header="$2" -v bufsize="$3" -v regions="$4" -v ncpus="$5" '
        function bad(msg) { print msg; errors++ }
        function field(line, label,    re) {
            re = "^  " label " +[0-9]+$"
            if (line !~ re) { bad("line " NR " should be \"  " label " N\": " line); return -1 }
            return $NF + 0
        }
        NR == 1 { if ($0 != header) bad("header is \"" $0 "\", want \"" header "\""); next }
        NR == 2 { if (field($0, "TBs translated") != 2) bad("TBs translated: want 2: " $0); next }
        NR == 3 { if (field($0, "TBs in the cache") != 2) bad("TBs in the cache: want 2: " $0); next }
        NR == 4 { if (field($0, "full flushes") != 0) bad("full flushes: want 0: " $0); next }
        NR == 5 { if (field($0, "guest insns translated") != 9) bad("guest insns: want 9: " $0); next }
        NR == 6 { if ($0 !~ /^  guest insns per TB +4\.50$/) bad("want guest insns per TB 4.50: " $0); next }
        NR == 7 { bytes = field($0, "host code bytes"); if (bytes <= 0) bad("no host code: " $0); next }
        NR == 8 {
            want = sprintf("%.2f", bytes / 9)
            if ($0 !~ /^  host bytes per insn +[0-9]+\.[0-9][0-9]$/ || $NF != want)
                bad("want host bytes per insn " want ": " $0)
            next
        }
        NR == 9 {
            if ($0 !~ /^  code buffer +[0-9]+ of [0-9]+ bytes used \([0-9]+\.[0-9][0-9]%\), [0-9]+ regions?$/) {
                bad("code buffer line has the wrong shape: " $0); next
            }
            if ($3 + 0 < bytes) bad("code buffer use " $3 " is below the code bytes " bytes)
            if ($5 != bufsize) bad("code buffer size " $5 ", want " bufsize)
            if ($(NF - 1) != regions) bad($(NF - 1) " regions, want " regions)
            next
        }
        NR >= 10 && NR < 10 + ncpus {
            want = "cpu" (NR - 10)
            if ($0 !~ /^  cpu[0-9]+ +TBs executed [0-9]+, translations [0-9]+, exits [0-9]+$/ || $1 != want) {
                bad("line " NR " should be \"  " want " TBs executed N, translations N, exits N\": " $0); next
            }
            run += $4; tr += $6 + 0
            next
        }
        { bad("unexpected line " NR ": " $0) }
        END {
            if (NR < 9 + ncpus) bad("the block has " NR " lines, want " 9 + ncpus)
            # every TB in the cache was translated by some vCPU; racing
            # losers (multi-threaded) add translations, never TBs
            if (tr < 2) bad("the vCPUs translated " tr " TBs in all, want at least 2")
            if (run < 2) bad("the vCPUs ran " run " TBs in all, want at least 2")
            if (mode_single_exact && tr != 2) bad("translations add up to " tr ", want 2")
        }' mode_single_exact="$6" "$1"
}

# check DESC NAME HEADER TB_SIZE REGIONS NCPUS EXACT_TRANSLATIONS
check() {
    local desc=$1 name=$2 why
    if [ "$st" -ne 0 ] || [ -s "$tmp/$name.out" ]; then
        fail "$desc" "exit $st (want 0, the guest passes), output: $(head -c 300 "$tmp/$name.out")"
        return
    fi
    why=$(check_block "$tmp/$name.log" "$3" "$4" "$5" "$6" "$7")
    if [ -z "$why" ]; then
        ok "$desc"
    else
        fail "$desc" "${why//$'\n'/; }" "block: $(tr '\n' '|' <"$tmp/$name.log")"
    fi
}

if "$LOOM" -d help | grep -q '^jit  *translation statistics at exit'; then
    ok "-d help lists jit"
else
    fail "-d help lists jit" "$("$LOOM" -d help 2>&1 | head -c 300)"
fi

# the reference: interp back-end, one thread, one vCPU; every count the
# front-end decides is exact, and cpu0 translated both TBs
run interp-single --accel tcg,thread=single,backend=interp
check "interp, thread=single, -smp 1: exact shape and counts" interp-single \
    "JIT statistics: back-end interp, single-threaded, 1 vCPU" 67108864 1 1 1
run interp-multi --accel tcg,thread=multi,backend=interp
check "interp, thread=multi, -smp 1: exact shape and counts" interp-multi \
    "JIT statistics: back-end interp, multi-threaded, 1 vCPU" 67108864 1 1 1

# two vCPUs run the same code: still 2 TBs.  One thread translates each
# TB once; two threads may both translate one, and the loser's is dropped
run smp2-single --accel tcg,thread=single,backend=interp,tb-size=8 -smp 2
check "interp, thread=single, -smp 2: 2 TBs, 2 translations in all" smp2-single \
    "JIT statistics: back-end interp, single-threaded, 2 vCPUs" 8388608 1 2 1
run smp2-multi --accel tcg,thread=multi,backend=interp,tb-size=8 -smp 2
check "interp, thread=multi, -smp 2: 2 TBs, one region per vCPU" smp2-multi \
    "JIT statistics: back-end interp, multi-threaded, 2 vCPUs" 8388608 2 2 ""

# the host's JIT, when this host has one: the same front-end counts
jit=$("$LOOM" -accel help 2>/dev/null |
      awk '/^Back-ends/ { b = 1; next } b && NF > 1 && $1 != "interp" { print $1; exit }')
if [ -n "$jit" ]; then
    run jit-single --accel "tcg,thread=single,backend=$jit"
    check "$jit, thread=single: exact shape and counts" jit-single \
        "JIT statistics: back-end $jit, single-threaded, 1 vCPU" 67108864 1 1 1
    run jit-multi --accel "tcg,thread=multi,backend=$jit" -smp 4
    check "$jit, thread=multi, -smp 4: 2 TBs, 4 regions" jit-multi \
        "JIT statistics: back-end $jit, multi-threaded, 4 vCPUs" 67108864 4 4 ""
else
    skip_ok "JIT back-end, thread=single" "this host has no JIT back-end"
    skip_ok "JIT back-end, thread=multi" "this host has no JIT back-end"
fi

# without -D the block goes to stderr, whole, after the guest's output
timeout 60 "$LOOM" -M virt -bios none -kernel "$tmp/g.bin" -d jit \
    --accel tcg,thread=single,backend=interp </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
st=$?
if [ "$st" -eq 0 ] && [ ! -s "$tmp/stdout" ] &&
   [ -z "$(check_block "$tmp/stderr" "JIT statistics: back-end interp, single-threaded, 1 vCPU" 67108864 1 1 1)" ]; then
    ok "without -D: the block on stderr, nothing on stdout"
else
    fail "without -D: the block on stderr, nothing on stdout" "exit $st" \
         "stdout: $(head -c 200 "$tmp/stdout")" "stderr: $(head -c 300 "$tmp/stderr")"
fi

# without -d jit: nothing at all
timeout 60 "$LOOM" -M virt -bios none -kernel "$tmp/g.bin" </dev/null >"$tmp/quiet" 2>&1
st=$?
if [ "$st" -eq 0 ] && [ ! -s "$tmp/quiet" ]; then
    ok "without -d jit: silent"
else
    fail "without -d jit: silent" "exit $st" "$(head -c 300 "$tmp/quiet")"
fi

# Code chunks on demand: -smp 4, tb-size=1 (1 MiB), harts 1-3 park in
# wfi, hart 0 runs 16 KiB of straight-line code (ld a2,0(a3); add
# a0,a0,a2, 2048 times), about 340 KiB of host code and TB data on
# either back-end: more than a quarter of the buffer, which a fixed 1/4
# per vCPU thread could not hold without a flush; from a shared pool of
# chunks it needs none.
#   csrr t0,mhartid; beqz t0,+12; wfi; j -4; auipc a3,0; body; finisher
printf '\x03\xb6\x06\x00\x33\x05\xc5\x00' >"$tmp/unit"
for _ in 1 2 3 4 5 6 7 8 9 10 11; do
    cat "$tmp/unit" "$tmp/unit" >"$tmp/unit2" && mv "$tmp/unit2" "$tmp/unit"
done
{
    printf '\xf3\x22\x40\xf1\x63\x86\x02\x00\x73\x00\x50\x10\x6f\xf0\xdf\xff\x97\x06\x00\x00'
    cat "$tmp/unit"
    printf '\x37\x55\x00\x00\x1b\x05\x55\x55\xb7\x02\x10\x00\x23\xa0\xa2\x00\x6f\x00\x00\x00'
} >"$tmp/big.bin"
for be in interp $jit; do
    desc="backend=$be, thread=multi, -smp 4, tb-size=1: one busy vCPU uses over 1/4 of the buffer, no flush"
    timeout 60 "$LOOM" -M virt -smp 4 -accel "tcg,thread=multi,backend=$be,tb-size=1" -bios none \
        -kernel "$tmp/big.bin" -d jit -D "$tmp/big.log" </dev/null >"$tmp/big.out" 2>&1
    st=$?
    used=$(sed -n 's/^  code buffer  *\([0-9]*\) of 1048576 bytes used.*/\1/p' "$tmp/big.log")
    if [ "$st" -eq 0 ] && [ ! -s "$tmp/big.out" ] &&
       grep -qE '^  full flushes +0$' "$tmp/big.log" &&
       [ -n "$used" ] && [ "$used" -gt 262144 ]; then
        ok "$desc"
    else
        fail "$desc" "exit $st, want 0 flushes and over 262144 bytes used" \
             "$(tr '\n' '|' <"$tmp/big.log")" "$(head -c 300 "$tmp/big.out")"
    fi
done
[ -z "$jit" ] && skip_ok "JIT back-end, chunks on demand" "this host has no JIT back-end"

[ "$failed" -eq 0 ]
