/*
 * aarch64 front-end: Arm semihosting (HLT #0xf000), when loom runs with
 * -semihosting, for bare-metal tests: SYS_WRITEC, SYS_WRITE0, SYS_EXIT
 * and SYS_EXIT_EXTENDED.  Output goes to loom's standard output.  Other
 * operations return -1.
 *
 * AArch64 passes the operation in w0 and a pointer in x1; SYS_EXIT's
 * block is two 64-bit words (reason, subcode).  The exit status is the
 * subcode for ADP_Stopped_ApplicationExit, else 1.
 */
#include <stdio.h>
#include "cpu.h"

enum {
    SYS_WRITEC = 0x03,
    SYS_WRITE0 = 0x04,
    SYS_EXIT = 0x18,
    SYS_EXIT_EXTENDED = 0x20,
};

#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

/* The longest SYS_WRITE0 string printed (a guest without a NUL stops). */
#define WRITE0_MAX 65536

static uint8_t read_byte(ARMEnv *env, uint64_t addr, uintptr_t ra)
{
    return (uint8_t)loom_ld(loom_env_cpu(env), addr, LOOM_MEM_UB, arm_data_mmu_idx(env), ra);
}

uint64_t aarch64_semihost(ARMEnv *env, uint64_t op, uint64_t param, uintptr_t ra)
{
    LoomCPU *cpu = loom_env_cpu(env);
    char buf[256];
    size_t n = 0;

    switch (op) {
    case SYS_WRITEC:
        buf[0] = (char)read_byte(env, param, ra);
        fwrite(buf, 1, 1, stdout);
        fflush(stdout);
        return 0;
    case SYS_WRITE0:
        for (unsigned i = 0; i < WRITE0_MAX; i++) {
            uint8_t c = read_byte(env, param + i, ra);

            if (!c) {
                break;
            }
            buf[n++] = (char)c;
            if (n == sizeof(buf)) {
                fwrite(buf, 1, n, stdout);
                n = 0;
            }
        }
        fwrite(buf, 1, n, stdout);
        fflush(stdout);
        return 0;
    case SYS_EXIT:
    case SYS_EXIT_EXTENDED: {
        int mmu = arm_data_mmu_idx(env);
        uint64_t reason = loom_ld(cpu, param, LOOM_MEM_UQ, mmu, ra);
        uint64_t sub = loom_ld(cpu, param + 8, LOOM_MEM_UQ, mmu, ra);
        int status = 1;

        if (reason == ADP_STOPPED_APPLICATION_EXIT) {
            /* an exit status is a byte: keep a failure a failure */
            status = sub <= 255 ? (int)sub : 255;
        }

        fflush(stdout);
        loom_machine_shutdown(cpu->machine, status);
        __atomic_store_n(&env->power, POWER_STOPPED, __ATOMIC_RELEASE);
        loom_cpu_halt(cpu);
    }
    default:
        if (loom_log_enabled(LOOM_LOG_UNIMP)) {
            loom_log("aarch64: semihosting operation 0x%" PRIx64 " not implemented\n", op);
        }
        return (uint64_t)-1;
    }
}
