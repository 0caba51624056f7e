/*
 * -d out_asm for the x86_64 JIT: the host code of one TB, disassembled
 * with Capstone when loom was built with it, else in hex.
 */
#ifndef LOOM_X86_64_DISAS_H
#define LOOM_X86_64_DISAS_H

#include <stddef.h>
#include <stdint.h>

/* Log code[0, len) through loom_log; insn_ofs[0, nb_insns) are the code
   offsets where guest insns start (marked in the listing), and code at
   offset slow_ofs and after is the out-of-line slow paths. */
void x86_disas_log(const uint8_t *code, size_t len, const uint32_t *insn_ofs,
                   uint32_t nb_insns, uint32_t slow_ofs)
    __attribute__((visibility("hidden")));

#endif /* LOOM_X86_64_DISAS_H */
