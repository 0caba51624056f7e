#!/bin/sh
# Compare the host code two builds of loom generate for the same guests:
#   scripts/compare-codegen.sh REF_LOOM NEW_LOOM [BACKEND] ELF...
# Runs each ELF single-threaded with -d out_asm under both, drops what
# differs between any two runs (absolute host addresses: helpers, the TB
# pointer), and reports per ELF whether the code of every TB is the same
# (TBs are compared as a set, keyed by guest pc and code; a pc only one
# run translated, as timer interrupts may cause, is counted, not compared).  Exit status
# 1 if any differs; the normalised logs are left in $CMP_DIR (default a
# temporary directory) for diff.
set -u
ref=$1 new=$2
shift 2
backend=x86_64
case "${1:-}" in *.elf) ;; ?*) backend=$1; shift ;; esac
dir=${CMP_DIR:-$(mktemp -d)}
mkdir -p "$dir"
status=0

norm() {
    # one line per TB: the code of the whole TB, then sorted
    sed -E -e 's/0x[0-9a-f]{9,}/ADDR/g' -e 's/\[rip [-+] 0x[0-9a-f]+\]/[rip+X]/g' "$1" |
        awk '/^OUT: pc=/ { if (tb != "") print tb; tb = $0; next }
             /^  / { tb = tb " | " $0; next }
             END { if (tb != "") print tb }' | sort -u
}

for elf in "$@"; do
    name=$(basename "$elf" .elf)
    for which in ref new; do
        eval bin=\$$which
        timeout 60 "$bin" -M virt -smp 1 -accel "tcg,thread=single,backend=$backend" \
            -bios none -kernel "$elf" -nographic -d out_asm -D "$dir/$name.$which.raw" \
            >/dev/null 2>&1 </dev/null
        norm "$dir/$name.$which.raw" > "$dir/$name.$which"
    done
    # a TB translated in one run only (a timer interrupt landing
    # elsewhere) is timing, not code generation: compare the guest pcs
    # both runs translated
    for which in ref new; do
        sed -E 's/^OUT: pc=([0-9a-fx]+):.*/\1/' "$dir/$name.$which" | sort -u > "$dir/$name.$which.pcs"
    done
    comm -12 "$dir/$name.ref.pcs" "$dir/$name.new.pcs" > "$dir/$name.pcs"
    for which in ref new; do
        awk 'NR == FNR { want[$1] = 1; next }
             { pc = $2; sub(/^pc=/, "", pc); sub(/:$/, "", pc); if (pc in want) print }' \
            "$dir/$name.pcs" "$dir/$name.$which" > "$dir/$name.$which.common"
    done
    n=$(wc -l < "$dir/$name.ref.common")
    only=$(comm -3 "$dir/$name.ref.pcs" "$dir/$name.new.pcs" | wc -l)
    note=""
    [ "$only" -eq 0 ] || note=", $only pcs translated in one run only"
    if cmp -s "$dir/$name.ref.common" "$dir/$name.new.common"; then
        echo "same       $name ($n TBs$note)"
    else
        d=$(comm -3 "$dir/$name.ref.common" "$dir/$name.new.common" | wc -l)
        echo "DIFFERENT  $name ($n TBs, $d differ: diff $dir/$name.ref.common $dir/$name.new.common)"
        status=1
    fi
done
exit $status
