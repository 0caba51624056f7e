/*
 * -d out_asm for the x86_64 JIT (see x86_64-disas.h).  Runs on the
 * translating thread; Capstone handles are per call, so threads do not
 * share state.  HAVE_CAPSTONE comes from the build (configure, or the
 * out-of-tree Makefile), not from loom's config.h.
 */
#include <inttypes.h>
#include <glib.h>
#include <loom/loom.h>
#include "x86_64-disas.h"
#ifdef HAVE_CAPSTONE
#include <capstone/capstone.h>
#endif

/* the guest insn whose code contains offset ofs, -1 before the first */
static int insn_at(const uint32_t *insn_ofs, uint32_t nb_insns, uint32_t ofs, int from)
{
    while (from + 1 < (int)nb_insns && insn_ofs[from + 1] <= ofs) {
        from++;
    }
    return from;
}

static void log_marks(GString *s, const uint32_t *insn_ofs, uint32_t nb_insns, uint32_t ofs,
                      uint32_t slow_ofs, int *insn, bool *in_slow)
{
    int now = insn_at(insn_ofs, nb_insns, ofs, *insn);

    if (ofs >= slow_ofs && !*in_slow) {
        g_string_append(s, "  -- slow paths\n");
        *in_slow = true;
    } else if (!*in_slow && now != *insn && insn_ofs[now] <= ofs) {
        g_string_append_printf(s, "  -- guest insn %d\n", now);
    }
    if (!*in_slow) {
        *insn = now;
    }
}

void x86_disas_log(const uint8_t *code, size_t len, const uint32_t *insn_ofs,
                   uint32_t nb_insns, uint32_t slow_ofs)
{
    GString *s = g_string_new(NULL);
    int insn = -1;
    bool in_slow = false;
    size_t done = 0;

#ifdef HAVE_CAPSTONE
    csh h;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) == CS_ERR_OK) {
        cs_insn *ci = cs_malloc(h);
        const uint8_t *p = code;
        size_t left = len;
        uint64_t addr = (uint64_t)(uintptr_t)code;

        while (left > 0) {
            uint32_t ofs = (uint32_t)(p - code);
            log_marks(s, insn_ofs, nb_insns, ofs, slow_ofs, &insn, &in_slow);
            if (!cs_disasm_iter(h, &p, &left, &addr, ci)) {
                break;      /* not an instruction: the rest in hex */
            }
            g_string_append_printf(s, "  0x%04x:  %-8s %s\n", ofs, ci->mnemonic, ci->op_str);
        }
        done = (size_t)(p - code);
        cs_free(ci, 1);
        cs_close(&h);
    }
#else
    g_string_append(s, "  (hex: this loom was built without Capstone; install "
                       "libcapstone-dev and reconfigure to disassemble)\n");
#endif
    while (done < len) {
        uint32_t ofs = (uint32_t)done;
        size_t n = 0;
        log_marks(s, insn_ofs, nb_insns, ofs, slow_ofs, &insn, &in_slow);
        g_string_append_printf(s, "  0x%04x: ", ofs);
        /* up to 16 bytes a line, stopping at the next insn or slow mark */
        do {
            g_string_append_printf(s, " %02x", code[done]);
            done++;
            n++;
        } while (done < len && n < 16 && done != slow_ofs &&
                 insn_at(insn_ofs, nb_insns, (uint32_t)done, insn) == insn);
        g_string_append_c(s, '\n');
    }
    loom_log("%s", s->str);
    g_string_free(s, TRUE);
}
