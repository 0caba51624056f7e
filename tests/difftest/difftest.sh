#!/bin/bash
# difftest.sh - differential test: random straight-line RV64GC (or A64)
# sequences run under two back-ends (or loom and QEMU), final states
# compared.  Prints TAP, one line per image.  See tests/difftest/README.md.
#
# Environment:
#   DIFFTEST_ARCH        riscv64 (default) or aarch64 (difftest-a64.sh):
#                        the guest, its generator, runtime, compiler,
#                        machine and QEMU
#   LOOM                 emulator (default ./loom)
#   RISCV_CC             riscv64-unknown-elf-gcc (set but empty: skip)
#   AARCH64_CC           aarch64-linux-gnu-gcc (DIFFTEST_ARCH=aarch64; set
#                        but empty: skip)
#   DIFFTEST_GEN         generator (default $LOOM_BUILDDIR/tests/difftest/
#                        difftest-gen or difftest-gen-a64, else next to
#                        this script)
#   DIFFTEST_SEED        seed (default 1; "random" picks one and prints it)
#   DIFFTEST_COUNT       sequences in all (default 8000)
#   DIFFTEST_PER_IMAGE   sequences per guest image (default 500)
#   DIFFTEST_LEN         units (instructions or short groups) per sequence
#                        (default 64)
#   DIFFTEST_FIRST       index of the first sequence (default 0)
#   DIFFTEST_ONLY        run only this sequence, alone in its image, and
#                        print its assembly and whole final state
#   DIFFTEST_BACKENDS    the two sides (default "interp x86_64"; the first
#                        is the reference).  "qemu" as a side runs
#                        qemu-system-riscv64 or qemu-system-aarch64
#                        (sequences then keep to what QEMU 7.2 does
#                        right: difftest-gen -Q).
#   DIFFTEST_MODES       loom's thread modes, taken in turn image by image
#                        (default "single multi")
#   DIFFTEST_REDUCE      1 (default): on a mismatch, drop units while it
#                        persists and print the smallest sequence found
#   DIFFTEST_KEEP        directory to keep the images and outputs in
#   DIFFTEST_TIMEOUT     seconds per run (default 60)
#   DIFFTEST_PRIV        1 (default): each sequence runs in M, S or U (S and
#                        U with Sv39, faults, CSRs and traps; difftest-gen
#                        -P); 0: M only, no traps.  aarch64: at EL1 with
#                        the MMU off, EL1 with it on or EL0 (faults and
#                        traps); 0: EL1 with the MMU off only
#   DIFFTEST_MISALIGNED  1 (default): misaligned loads, stores and AMOs too
#                        (S and U sequences; difftest-gen -m; against QEMU
#                        no misaligned AMOs: 7.2 raises the load cause for
#                        them); 0: none (riscv64 only)
#   DIFFTEST_GROUPS      aarch64: only these instruction groups
#                        (difftest-gen-a64 -G, comma-separated)
#   QEMU                 the "qemu" side (default qemu-system-riscv64 or
#                        qemu-system-aarch64)

set -u

here=$(cd "$(dirname "$0")" && pwd)
LOOM=${LOOM:-./loom}
SEED=${DIFFTEST_SEED:-1}
COUNT=${DIFFTEST_COUNT:-8000}
PER=${DIFFTEST_PER_IMAGE:-500}
LEN=${DIFFTEST_LEN:-64}
FIRST=${DIFFTEST_FIRST:-0}
ONLY=${DIFFTEST_ONLY:-}
SIDES=${DIFFTEST_BACKENDS:-interp x86_64}
read -r -a modes <<< "${DIFFTEST_MODES:-single multi}"
MODE=${modes[0]:-single}
REDUCE=${DIFFTEST_REDUCE:-1}
TIMEOUT=${DIFFTEST_TIMEOUT:-60}
ARCH=${DIFFTEST_ARCH:-riscv64}
# shellcheck source=../skip-lib.sh
. "$here/../skip-lib.sh"
case $ARCH in
    riscv64)
        cc_name=riscv64-unknown-elf-gcc CC=${RISCV_CC-riscv64-unknown-elf-gcc} gen_name=difftest-gen
        QEMU=${QEMU:-qemu-system-riscv64} qemu_pkg=qemu-system-misc
        ;;
    aarch64)
        cc_name=aarch64-linux-gnu-gcc CC=${AARCH64_CC-aarch64-linux-gnu-gcc} gen_name=difftest-gen-a64
        QEMU=${QEMU:-qemu-system-aarch64} qemu_pkg=qemu-system-arm
        ;;
    *) echo "Bail out! DIFFTEST_ARCH must be riscv64 or aarch64, not '$ARCH'"; exit 1 ;;
esac
GEN=${DIFFTEST_GEN:-}
if [ -z "$GEN" ]; then
    for g in "${LOOM_BUILDDIR:-.}/tests/difftest/$gen_name" "$here/$gen_name"; do
        [ -x "$g" ] && { GEN=$g; break; }
    done
fi

if [ -z "$CC" ] || ! command -v "$CC" > /dev/null 2>&1; then
    skip_plan "no ${CC:-$cc_name}: difftest images cannot be built"
fi
if [ -z "$GEN" ] || [ ! -x "$GEN" ]; then
    echo "Bail out! $gen_name not found: run make check, or set DIFFTEST_GEN"
    exit 1
fi
for v in COUNT PER LEN FIRST; do
    case ${!v} in ''|*[!0-9]*) echo "Bail out! DIFFTEST_$v must be a number, not '${!v}'"; exit 1 ;; esac
done
[ "$PER" -ge 1 ] || { echo "Bail out! DIFFTEST_PER_IMAGE must be at least 1"; exit 1; }
if [ "$SEED" = random ]; then
    SEED=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
fi
case $SEED in ''|*[!0-9]*) echo "Bail out! DIFFTEST_SEED must be a number or 'random', not '$SEED'"; exit 1 ;; esac
read -r side_a side_b extra <<< "$SIDES"
if [ -z "${side_b:-}" ] || [ -n "${extra:-}" ]; then
    echo "Bail out! DIFFTEST_BACKENDS must name two sides, not '$SIDES'"
    exit 1
fi
gen_flags=()
case ${DIFFTEST_PRIV:-1} in
    1) gen_flags+=(-P) ;;
    0) ;;
    *) echo "Bail out! DIFFTEST_PRIV must be 0 or 1, not '$DIFFTEST_PRIV'"; exit 1 ;;
esac
case ${DIFFTEST_MISALIGNED:-1} in
    1) [ "$ARCH" = riscv64 ] && gen_flags+=(-m) ;;
    0) ;;
    *) echo "Bail out! DIFFTEST_MISALIGNED must be 0 or 1, not '$DIFFTEST_MISALIGNED'"; exit 1 ;;
esac
if [ -n "${DIFFTEST_GROUPS:-}" ]; then
    [ "$ARCH" = aarch64 ] || { echo "Bail out! DIFFTEST_GROUPS is for DIFFTEST_ARCH=aarch64"; exit 1; }
    gen_flags+=(-G "$DIFFTEST_GROUPS")
fi
for s in $side_a $side_b; do
    if [ "$s" = qemu ]; then
        if ! command -v "$QEMU" > /dev/null 2>&1; then
            skip_plan "no $QEMU (Debian: $qemu_pkg)"
        fi
        gen_flags+=(-Q)
    elif ! "$LOOM" -accel help 2>/dev/null | sed -n '/^Back-ends/,$p' | grep -q "^$s "; then
        echo "1..0 # SKIP back-end $s is not available in $LOOM"
        exit 0
    fi
done

if [ -n "${DIFFTEST_KEEP:-}" ]; then
    work=$DIFFTEST_KEEP
    mkdir -p "$work" || { echo "Bail out! cannot create $work"; exit 1; }
else
    work=$(mktemp -d) || exit 1
    trap 'rm -rf "$work"' EXIT
fi

if [ "$ARCH" = aarch64 ]; then
    CFLAGS=(-march=armv8.3-a -nostdlib -nostartfiles -static
            -T "$here/../guest/aarch64-isa/link.ld")
    RUNTIME=$here/runtime-a64.S
    MACHINE=(-M "$here/../fixtures/machines/aarch64-bare.machine" -semihosting)
    QEMU_ARGS=(-M virt -cpu max -nic none -semihosting -nographic -monitor none -serial none)
else
    CFLAGS=(-march=rv64gc_zba_zbb_zbs -mabi=lp64d -mcmodel=medany -nostdlib
            -nostartfiles -static -mno-relax -T "$here/../guest/link.ld")
    RUNTIME=$here/runtime.S
    MACHINE=(-M virt -bios none -nographic)
    QEMU_ARGS=(-M virt -bios none -nographic)
fi

# build NAME FIRST COUNT [generator options...]: $work/NAME.S and .elf
build() {
    local name=$1 first=$2 count=$3
    shift 3
    "$GEN" -s "$SEED" -f "$first" -n "$count" -l "$LEN" "${gen_flags[@]}" "$@" \
        -o "$work/$name.S" 2> "$work/$name.cc.log" || return 1
    "$CC" "${CFLAGS[@]}" -o "$work/$name.elf" "$RUNTIME" "$work/$name.S" \
        > "$work/$name.cc.log" 2>&1
}

# run SIDE NAME: console output in $work/NAME.SIDE; returns the status
run() {
    local side=$1 name=$2
    if [ "$side" = qemu ]; then
        timeout "$TIMEOUT" "$QEMU" "${QEMU_ARGS[@]}" -kernel "$work/$name.elf" \
            < /dev/null > "$work/$name.$side" 2>&1
    else
        timeout "$TIMEOUT" "$LOOM" "${MACHINE[@]}" -smp 1 -accel "tcg,thread=$MODE,backend=$side" \
            -kernel "$work/$name.elf" < /dev/null > "$work/$name.$side" 2>&1
    fi
}

# both sides of image NAME; 0 when both finish and print the same thing
compare() {
    local name=$1 sa sb
    run "$side_a" "$name"; sa=$?
    run "$side_b" "$name"; sb=$?
    [ "$sa" = 0 ] && [ "$sb" = 0 ] && cmp -s "$work/$name.$side_a" "$work/$name.$side_b"
}

# the dt_save layout (runtime.S, runtime-a64.S)
slot_name() {
    local s=$((16#$1))
    if [ "$ARCH" = aarch64 ]; then
        if [ "$s" -le 31 ]; then echo "x$((s - 1))"
        elif [ "$s" -eq 32 ]; then echo "sp"
        elif [ "$s" -eq 33 ]; then echo "nzcv"
        elif [ "$s" -le 97 ]; then echo "mem[scratch+$(( (s - 34) * 8 ))]"
        elif [ "$s" -eq 98 ]; then echo "traps"
        elif [ "$s" -le 146 ]; then
            local fields=(esr elr far)
            echo "trap[$(( (s - 99) / 3 ))].${fields[$(( (s - 99) % 3 ))]}"
        elif [ "$s" -eq 147 ]; then echo "tpidr_el0"
        elif [ "$s" -eq 148 ]; then echo "tpidrro_el0"
        else echo "mem[scratch page+4088]"
        fi
        return
    fi
    local csrs=(mstatus mepc mcause mtval sepc scause stval satp sscratch traps)
    if [ "$s" -le 31 ]; then echo "x$s"
    elif [ "$s" -le 63 ]; then echo "f$((s - 32))"
    elif [ "$s" -eq 64 ]; then echo "fcsr"
    elif [ "$s" -le 128 ]; then echo "mem[scratch+$(( (s - 65) * 8 ))]"
    elif [ "$s" -le 138 ]; then echo "${csrs[$((s - 129))]}"
    elif [ "$s" -le 146 ]; then echo "pte[test page $((s - 139))]"
    else
        local t=$(( (s - 147) / 3 )) fields=(cause epc tval)
        echo "trap[$t].${fields[$(( (s - 147) % 3 ))]}"
    fi
}

# explain K IMAGE_FIRST IMAGE_COUNT [-k K -x SKIPS]: print K's sequence and
# the registers that differ (rebuilt with the whole state printed)
explain() {
    local k=$1 f=$2 c=$3
    shift 3
    build explain "$f" "$c" -F "$k" "$@" || { echo "# cannot build the image for sequence $k"; return; }
    local side st
    for side in "$side_a" "$side_b"; do
        run "$side" explain; st=$?
        case $st in
            0) ;;
            124) echo "# $side: timed out after $TIMEOUT s (a trap loop or a hang; the state below is missing)" ;;
            *) echo "# $side: exit status $st" ;;
        esac
    done
    echo "# sequence $k (seed $SEED, length $LEN; DIFFTEST_SEED=$SEED DIFFTEST_ONLY=$k reruns it):"
    sed -n "/^# seq $k begin/,/^# seq $k end/p" "$work/explain.S" |
        grep -v '^# seq\|^dt_body\|\.option' | sed 's/^/#   /'
    # initial values of the registers the listed sequence names
    local regs
    if [ "$ARCH" = aarch64 ]; then
        regs=$(sed -n "/^# seq $k begin/,/^# seq $k end/p" "$work/explain.S" | grep -v '^#' |
               grep -o '\b[xw][0-9][0-9]*\b\|\bw\?sp\b' | sed 's/^w/x/; s/^xsp$/sp/' |
               sort -u | tr '\n' ' ')
        echo "# initial state: $(awk -v blk="dt_block_$k:" -v regs=" $regs" '
            $1 == blk { n = 0; on = 1; next }
            on { n++; v = $0; sub(/^[ \t]*\.dword[ \t]*/, "", v); sub(/[ \t]*\/\/.*/, "", v)
                 gsub(/ /, "", v)
                 if (n >= 2 && n <= 32) name = "x" (n - 2)
                 else if (n == 33) name = "sp"
                 else if (n == 34) { printf "nzcv=%s ", v; name = "" }
                 else if (n == 99) {
                     split("EL1, MMU off (x28 = scratch+256, sp = scratch+128)|EL1, MMU on|EL0", m, "|")
                     printf "\n# mode: %s", m[v + 1] }
                 else if (n >= 100 && n <= 107) printf " page%d=%s", n - 100, v
                 else if (n == 108) { printf " tpidr_el0=%s\n", v; exit }
                 else name = ""
                 if (name != "" && index(regs, " " name " ")) printf "%s=%s ", name, v }
            ' "$work/explain.S")"
    else
        regs=$(sed -n "/^# seq $k begin/,/^# seq $k end/p" "$work/explain.S" | grep -v '^#' |
               sed 's/#.*//' | grep -o '\b[xf][0-9][0-9]*\b' | sort -u | tr '\n' ' ')
        echo "# initial state: $(awk -v blk="dt_block_$k:" -v regs=" $regs" '
            $1 == blk { n = 0; on = 1; next }
            on { n++; v = $0; sub(/^[ \t]*\.dword[ \t]*/, "", v); gsub(/ /, "", v)
                 if (n >= 2 && n <= 32) name = "x" (n - 1)
                 else if (n >= 33 && n <= 64) name = "f" (n - 33)
                 else if (n == 65) { printf "fcsr=%s\n", v; exit }
                 else name = ""
                 if (name != "" && index(regs, " " name " ")) printf "%s=%s ", name, v }
            ' "$work/explain.S") (scratch at x2-256, x8 = x2-128)"
    fi
    echo "# differing state ($side_a / $side_b):"
    join <(grep '^= ' "$work/explain.$side_a" | awk '{ print $2, $3 }' | sort) \
         <(grep '^= ' "$work/explain.$side_b" | awk '{ print $2, $3 }' | sort) |
    while read -r slot va vb; do
        [ "$va" = "$vb" ] || echo "#   $(slot_name "$slot"): $va / $vb"
    done
    local la lb
    la=$(grep -v '^= \|^[0-9a-f]* [0-9a-f]*$' "$work/explain.$side_a" | grep -v '^done$' | head -3)
    lb=$(grep -v '^= \|^[0-9a-f]* [0-9a-f]*$' "$work/explain.$side_b" | grep -v '^done$' | head -3)
    [ -n "$la$lb" ] && printf '# other output: %s: %s / %s: %s\n' "$side_a" "$la" "$side_b" "$lb"
}

# reduce K: drop units of sequence K (alone in an image) while the two
# sides still differ; prints the result
reduce() {
    local k=$1 skips="" u try
    build red "$k" 1 || return
    if compare red; then
        echo "# sequence $k alone does not differ (it depends on the rest of the image): not reduced"
        return
    fi
    for ((u = 0; u < LEN; u++)); do
        try=${skips:+$skips,}$u
        build red "$k" 1 -k "$k" -x "$try" || continue
        compare red || skips=$try
    done
    local kept=""
    for ((u = 0; u < LEN; u++)); do
        case ",$skips," in *",$u,"*) ;; *) kept=${kept:+$kept,}$u ;; esac
    done
    echo "# reduced to units $kept (generator: -s $SEED -f $k -n 1 -l $LEN -k $k -x $skips):"
    explain "$k" "$k" 1 -k "$k" -x "$skips"
}

if [ -n "$ONLY" ]; then
    case $ONLY in *[!0-9]*) echo "Bail out! DIFFTEST_ONLY must be a sequence number"; exit 1 ;; esac
    FIRST=$ONLY COUNT=1
fi
nimages=$(( (COUNT + PER - 1) / PER ))
echo "1..$nimages"
echo "# seed $SEED, $COUNT sequences of $LEN units from $FIRST, $side_a against $side_b"
start=$(date +%s)
for ((i = 0; i < nimages; i++)); do
    f=$((FIRST + i * PER))
    c=$PER
    [ $((f + c)) -gt $((FIRST + COUNT)) ] && c=$((FIRST + COUNT - f))
    MODE=${modes[$((i % ${#modes[@]}))]}
    desc="seed $SEED sequences $f..$((f + c - 1)) (thread=$MODE)"
    if ! build img "$f" "$c"; then
        echo "not ok $((i + 1)) - $desc # cannot build the image"
        sed 's/^/# /' "$work/img.cc.log" | head -20
        echo "Bail out! the generator or the cross assembler failed (above)"
        exit 1
    fi
    if [ -n "$ONLY" ]; then
        explain "$ONLY" "$f" 1
    fi
    if compare img; then
        echo "ok $((i + 1)) - $desc"
        continue
    fi
    echo "not ok $((i + 1)) - $desc: $side_a and $side_b differ"
    # sequences whose lines differ (a missing line counts: a trap or a hang)
    bad=$(diff <(grep '^[0-9a-f]* [0-9a-f]*$' "$work/img.$side_a") \
               <(grep '^[0-9a-f]* [0-9a-f]*$' "$work/img.$side_b") |
          sed -n 's/^[<>] \([0-9a-f]*\) .*/\1/p' | while read -r h; do echo $((16#$h)); done |
          sort -n -u | head -3)
    if [ -z "$bad" ]; then
        echo "# no sequence line differs; last lines: $side_a: $(tail -n 2 "$work/img.$side_a" | tr '\n' ' ')/ $side_b: $(tail -n 2 "$work/img.$side_b" | tr '\n' ' ')"
        continue
    fi
    for k in $bad; do
        explain "$k" "$f" "$c"
        [ "$REDUCE" = 1 ] && reduce "$k"
    done
done
echo "# $COUNT sequences in $(( $(date +%s) - start )) s"
exit 0
