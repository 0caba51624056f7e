#!/bin/bash
# A translation block keyed on every page it covers: the toy front-end of
# tests/fixtures/frontend-longinsn.c has an 8200-byte instruction, so a
# block starting 4 bytes before a page's end covers four pages, and what
# it computes comes from words on pages 1, 2 and 3.  Remapping each of
# those pages alone (the front-end's MAP, which flushes the TLB) must
# make the block run the bytes now mapped: check 2 fails when the key
# skips a middle page (only the last byte's page keyed), check 4 when it
# skips the last.  A store into a middle page must drop the block (check
# 6).  The front-end's second TB key word, flags2, keys it too (checks 7
# and 8; -d exec prints it).  The finisher's status is the failing
# check's number.  Each back-end, each thread mode.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
BUILD=${LOOM_BUILDDIR:-.}
SRC=${LOOM_SRCDIR:-.}
. "$(dirname "$0")/tap.sh"

# put OFFSET WORD: a 32-bit little-endian word into the image
img=$tmp/long.bin
put() {
    local v=$2
    printf "\\x$(printf %02x $((v & 255)))\\x$(printf %02x $(((v >> 8) & 255)))\\x$(printf %02x $(((v >> 16) & 255)))\\x$(printf %02x $(((v >> 24) & 255)))" |
        dd of="$img" bs=1 seek=$(($1)) conv=notrunc status=none
}
# insn OFFSET OPCODE [OPERAND...]: consecutive words
insn() {
    local off=$(($1)); shift
    for w in "$@"; do put $off "$w"; off=$((off + 4)); done
}

LONG=0x80000ffc
head -c $((0x13008)) /dev/zero >"$img"
# the program, from offset 0: emit OPCODE [OPERAND]
at=0
emit() { insn $at "$@"; at=$((at + 4 * $#)); }
# round CHECK WANT [MAP...]: remap, then run the block twice (the first
# run of a block with a page never protected before is not published:
# the second is, and the next round's first run may find it)
round() {
    local check=$1 want=$2; shift 2
    for m in "$@"; do emit 0x02 "$m"; done
    emit 0x03 $LONG; emit 0x03 $LONG
    emit $((check << 8 | 5)) "$want"
}
round 1 222                     # 2 x (1 + 10 + 100)
round 2 446 0x101               # page 1 alone: 2 x (2 + 10 + 100)
round 3 688 0x100 0x201         # page 2 alone: 2 x (1 + 20 + 100)
round 4 1110 0x200 0x301        # page 3 alone, the last byte's: 2 x (1 + 10 + 200)
round 5 1332 0x300              # all back: the first block again
# a store into a middle page invalidates the block (it is on that
# page's list): 2 x (1 + 30 + 100)
emit 0x07 0x80002000 30; round 6 1594
# the key's second front-end word (flags2): LONG translated with scale 1
# adds its sum twice, 2 x 2 x 131; then scale 0 again, 2 x 131
emit 0x08 1; round 7 2118
emit 0x08 0; round 8 2380
emit 0x06                       # DONE
insn 0xffc 0x01                 # LONG
put 0x1000 1; put 0x2000 10; put 0x3000 100; insn 0x3004 0x04      # RET
put 0x11000 2; put 0x12000 20; put 0x13000 200; insn 0x13004 0x04

backends=$("$LOOM" -accel help 2>/dev/null | sed -n '/^Back-ends/,$p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$backends" ] || backends=interp
set -- $backends
echo "1..$((2 * $# + 2))"
for be in $backends; do
    for mode in single multi; do
        desc="a block over four pages runs the bytes each now maps (backend=$be, thread=$mode)"
        timeout 30 "$LOOM" --plugin-path "$BUILD/tests/fixtures" \
            -M "$SRC/tests/fixtures/machines/longinsn.machine" \
            -accel tcg,backend="$be",thread="$mode" -bios none -kernel "$img" </dev/null >"$tmp/out" 2>&1
        st=$?
        if [ "$st" -eq 0 ] && [ ! -s "$tmp/out" ]; then
            ok "$desc"
        else
            fail "$desc" "exit $st (n: check n failed)" "$(head -c 300 "$tmp/out")"
        fi
    done
done
timeout 30 "$LOOM" --plugin-path "$BUILD/tests/fixtures" -M "$SRC/tests/fixtures/machines/longinsn.machine" \
    -bios none -kernel "$img" -d exec </dev/null >"$tmp/out" 2>&1
if grep -q "pc=0x80000ffc flags=0x0 flags2=0x1 " "$tmp/out" &&
   grep -q "pc=0x80000ffc flags=0x0 flags2=0x0 " "$tmp/out"; then
    ok "-d exec prints both key words"
else
    fail "-d exec prints both key words" "$(grep -m3 'pc=0x80000ffc' "$tmp/out")"
fi
printf '[machine]\ninclude=%s\nfrontend=toolong\n' "$(cd "$SRC" && pwd)/tests/fixtures/machines/longinsn.machine" \
    >"$tmp/toolong.machine"
expect_error "a front-end whose longest insn a TB key cannot cover is refused" \
    "^loom: front-end toolong declares max_insn_bytes 20000: a block could cover 6 pages of 4 KiB, more than the 4 this loom keys a block on: fix the front-end\$" \
    --plugin-path "$BUILD/tests/fixtures" -M "$tmp/toolong.machine" -bios none -kernel "$img"
echo "# tb-pages: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
