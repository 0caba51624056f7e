#!/bin/bash
# The guest tests' memory-form checks reach the back-end (tests/guest/
# README.md, "Optimiser on and off").  Prints TAP.
#
# rv64m runs every M check twice: with li operands, which the IR
# optimiser folds, and with operands loaded by ld (LOAD_MEM), which it
# cannot know.  This runs rv64m.elf with -d in_asm,op_opt and looks at
# every `OP a3, a1, a2` of the eight 64-bit M instructions in the IR the
# back-end got:
#   opt=on:  the memory-form instances (the instruction before is
#            `ld a2, 0(a2)`) still hold the IR op (mul_i64, mulsh_i64,
#            ..., remu_i64); the immediate-form ones hold nothing but
#            the folded result, `mov_i64 x13,$CONST`;
#   opt=off: every instance holds the IR op.
# The number of instances of each form is exact: one per TEST_RR check
# of that instruction in rv64m.S, and one more immediate-form mulhu (the
# mulhu + mul pair, check 96).  The log's format: docs/manual.md,
# "Logging"; in_asm lines are "0xPC:  ENCODING", op_opt lines follow
# "---- PC" markers.
set -u
LOOM=${LOOM:-./loom}
. "$(dirname "$0")/tap.sh"
ELFS=${GUEST_ELF_DIR:-tests/guest}
elf=$ELFS/rv64m.elf

# name:encoding of "name a3, a1, a2":IR op:instances of the memory
# form:instances of the immediate form, in rv64m.S
ops="mul:02c586b3:mul_i64:8:8 mulh:02c596b3:mulsh_i64:7:7
     mulhsu:02c5a6b3:mulsuh_i64:6:6 mulhu:02c5b6b3:muluh_i64:5:6
     div:02c5c6b3:div_i64:10:10 divu:02c5d6b3:divu_i64:7:7
     rem:02c5e6b3:rem_i64:8:8 remu:02c5f6b3:remu_i64:5:5"
ld_a2=00063603          # ld a2, 0(a2): the memory form's second load
nops=8

echo "1..$((2 * (1 + nops)))"

# instances LOG ENCODING: one line per translated instruction with that
# encoding: "PC FORM OPS", FORM mem (after ld a2) or imm, OPS the IR ops
# at its pc as "name args;..." (the last translation of the pc).
instances() {
    awk -v want="$2" -v ld="$ld_a2" '
        /^IN: / { prev = ""; cur = ""; next }
        /^0x[0-9a-f]+:  [0-9a-f]+$/ {
            pc = $1; sub(/:$/, "", pc)
            enc[pc] = $2; before[pc] = prev; prev = $2; next
        }
        /^OP after optimization/ { cur = ""; next }
        /^ ---- / { cur = "0x" $2; ops[cur] = ""; next }
        cur != "" && /^ [a-z]/ { ops[cur] = ops[cur] $1 " " $2 ";" }
        END {
            for (pc in enc) {
                if (enc[pc] == want) {
                    print pc, (before[pc] == ld ? "mem" : "imm"), ops[pc]
                }
            }
        }' "$1"
}

for opt in on off; do
    log=$tmp/op.$opt.log
    what="rv64m opt=$opt -d in_asm,op_opt: exit 0"
    if [ ! -f "$elf" ]; then
        skip "$what" "$elf not built (needs RISCV_CC)"
        for o in $ops; do skip "opt=$opt: ${o%%:*}" "$elf not built"; done
        continue
    fi
    timeout 60 "$LOOM" -M virt -accel tcg,backend=interp,opt=$opt -bios none \
        -kernel "$elf" -nographic -d in_asm,op_opt -D "$log" </dev/null >"$tmp/out" 2>&1
    st=$?
    if [ "$st" -eq 0 ]; then
        ok "$what"
    else
        fail "$what" "exit $st" "$(tail -n 3 "$tmp/out")"
    fi
    for o in $ops; do
        IFS=: read -r name enc irop nmem nimm <<<"$o"
        instances "$log" "$enc" >"$tmp/inst"
        mem=$(awk '$2 == "mem"' "$tmp/inst" | wc -l)
        imm=$(awk '$2 == "imm"' "$tmp/inst" | wc -l)
        # instances holding the IR op, and immediate ones folded to a mov
        kept_mem=$(awk -v op="$irop" '$2 == "mem" && index($3 " " $4, op " ")' "$tmp/inst" | wc -l)
        kept_imm=$(awk -v op="$irop" '$2 == "imm" && index($3 " " $4, op " ")' "$tmp/inst" | wc -l)
        folded=$(awk '$2 == "imm" && NF == 4 && $3 == "mov_i64" && $4 ~ /^x13,\$0x[0-9a-f]+;$/' "$tmp/inst" | wc -l)
        if [ "$opt" = on ]; then
            what="opt=on: the $nmem memory-form $name instances reach the back-end as $irop, the $nimm immediate-form ones are folded to mov_i64 x13,\$CONST"
            good=$([ "$mem" -eq "$nmem" ] && [ "$kept_mem" -eq "$nmem" ] &&
                   [ "$imm" -eq "$nimm" ] && [ "$folded" -eq "$nimm" ] && echo y)
        else
            what="opt=off: all $((nmem + nimm)) $name instances reach the back-end as $irop"
            good=$([ "$mem" -eq "$nmem" ] && [ "$kept_mem" -eq "$nmem" ] &&
                   [ "$imm" -eq "$nimm" ] && [ "$kept_imm" -eq "$nimm" ] && echo y)
        fi
        if [ "$good" = y ]; then
            ok "$what"
        else
            mapfile -t sample < <(sort "$tmp/inst" | head -n 4)
            fail "$what" "memory form: $mem instances, $kept_mem with $irop;" \
                 "immediate form: $imm instances, $kept_imm with $irop, $folded folded" \
                 "${sample[@]}"
        fi
    done
done
[ "$failed" -eq 0 ]
