/* -M spike with no tohost symbol: loom must refuse in one line, exit 1,
   rather than wait forever; the program itself only spins. */
    .section .text.init, "ax", @progbits
    .globl _start
_start:
1:  wfi
    j    1b
