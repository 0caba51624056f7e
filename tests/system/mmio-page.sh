#!/bin/bash
# Device regions smaller than a page (docs/design.md "Softmmu"): an access
# goes to the region that holds it, whichever region holds the page's
# start, and an access to a hole between regions of one page is an
# access fault, on each back-end.  The guests are raw RV64 code (their
# assembly is beside each), run with -bios none at 0x80000000.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
. "$(dirname "$0")/tap.sh"

# expect_status DESC STATUS ARGS...: loom exits with STATUS, silent
expect_status() {
    local desc=$1 want=$2; shift 2
    timeout 10 "$LOOM" "$@" </dev/null >"$tmp/out" 2>&1
    local st=$?
    if [ "$st" -eq "$want" ] && [ ! -s "$tmp/out" ]; then
        ok "$desc"
    else
        fail "$desc" "exit $st, want $want (124: still running at the timeout)" \
             "$(head -c 300 "$tmp/out")"
    fi
}

backends="interp"
"$LOOM" -accel help 2>/dev/null | grep -q x86_64 && backends="$backends x86_64"
echo "1..$((3 * $(echo $backends | wc -w)))"

# lui t0,0x10001; li a0,0x5555; sw a0,-0x800(t0); j .   (PASS to 0x10000800)
printf '\xb7\x12\x00\x10\x37\x55\x00\x00\x1b\x05\x55\x55\x23\xa0\xa2\x80\x6f\x00\x00\x00' \
    >"$tmp/uart-page.bin"
# lui t0,0x101; li a0,0x5555; sw a0,-0x800(t0); j .     (PASS to 0x100800)
printf '\xb7\x12\x10\x00\x37\x55\x00\x00\x1b\x05\x55\x55\x23\xa0\xa2\x80\x6f\x00\x00\x00' \
    >"$tmp/hole-start.bin"
# the finisher moved into the UART's page (0x10000000, 0x100 bytes), and
# into a page whose start is a hole
printf '[machine]\ninclude=virt\n[device test]\nreg=0x10000800,0x100\n' >"$tmp/uart-page.machine"
printf '[machine]\ninclude=virt\n[device test]\nreg=0x100800,0x100\n' >"$tmp/hole-start.machine"
#     la t0, handler; csrw mtvec, t0; li s0, 0; lui t1, 0x10000
#     lw a1, 0x400(t1)               # a hole in the UART's page
#     li a0, (1 << 16) | 0x3333; j finish        # no fault: exit 1
# stage1:
#     li s0, 1; sw a1, 0x600(t1)     # another hole in it
#     li a0, (2 << 16) | 0x3333; j finish        # no fault: exit 2
# handler:
#     csrr a1, mcause; csrr a2, mtval; bnez s0, 1f
#     li a0, (3 << 16) | 0x3333      # not a load access fault at 0x10000400: exit 3
#     li a3, 5; bne a1, a3, finish; li a3, 0x10000400; bne a2, a3, finish
#     la t0, stage1; csrw mepc, t0; mret
# 1:  li a0, (4 << 16) | 0x3333      # not a store access fault at 0x10000600: exit 4
#     li a3, 7; bne a1, a3, finish; li a3, 0x10000600; bne a2, a3, finish
#     li a0, 0x5555
# finish:
#     lui t0, 0x100; sw a0, 0(t0); j .
printf '%b' '\x97\x02\x00\x00\x93\x82\x82\x03\x73\x90\x52\x30\x13\x04\x00\x00\x37\x03\x00\x10\x83\x25\x03\x40\x37\x35\x01\x00\x1b\x05\x35\x33\x6f\x00\x40\x07\x13\x04\x10\x00\x23\x20\xb3\x60\x37\x35\x02\x00\x1b\x05\x35\x33\x6f\x00\x00\x06\xf3\x25\x20\x34\x73\x26\x30\x34\x63\x18\x04\x02\x37\x35\x03\x00\x1b\x05\x35\x33\x93\x06\x50\x00\x63\x92\xd5\x04\xb7\x06\x00\x10\x9b\x86\x06\x40\x63\x1c\xd6\x02\x97\x02\x00\x00\x93\x82\x42\xfc\x73\x90\x12\x34\x73\x00\x20\x30\x37\x35\x04\x00\x1b\x05\x35\x33\x93\x06\x70\x00\x63\x9c\xd5\x00\xb7\x06\x00\x10\x9b\x86\x06\x60\x63\x16\xd6\x00\x37\x55\x00\x00\x1b\x05\x55\x55\xb7\x02\x10\x00\x23\xa0\xa2\x00\x6f\x00\x00\x00' \
    >"$tmp/holes.bin"

for be in $backends; do
    expect_status "backend=$be: a device at +0x800 in the UART's page gets its store" 0 \
        -M "$tmp/uart-page.machine" -accel tcg,backend="$be" -bios none -kernel "$tmp/uart-page.bin"
    expect_status "backend=$be: a device in a page whose start is a hole gets its store" 0 \
        -M "$tmp/hole-start.machine" -accel tcg,backend="$be" -bios none -kernel "$tmp/hole-start.bin"
    expect_status "backend=$be: holes in the UART's page fault (load 5, store 7, mtval exact)" 0 \
        -accel tcg,backend="$be" -bios none -kernel "$tmp/holes.bin"
done
echo "# mmio-page: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
