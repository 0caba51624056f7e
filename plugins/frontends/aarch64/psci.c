/*
 * aarch64 front-end: PSCI 1.0 (and 0.2) served by loom itself on HVC #0
 * and SMC #0, as firmware at EL2/EL3 would (loom implements neither):
 * PSCI_VERSION, CPU_SUSPEND (a standby that returns at once), CPU_OFF,
 * CPU_ON, AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET and
 * PSCI_FEATURES.  Other function IDs return NOT_SUPPORTED, as the SMC
 * calling convention asks.
 *
 * Power states (ARMEnv.power, atomic): a secondary vCPU starts OFF,
 * halted with no work.  CPU_ON claims the target (OFF -> CLAIMED, one
 * compare-and-swap, so two callers cannot both win), writes its entry
 * point and context, publishes them with a release store of ON_PENDING
 * and kicks it; the target's cpu_has_work sees ON_PENDING, and its
 * exec_interrupt resets it and starts it (ON) on its own thread.  CPU_OFF
 * is the vCPU itself going ON -> OFF and halting.
 */
#include "cpu.h"

enum {
    PSCI_VERSION = 0x84000000u,
    PSCI_CPU_SUSPEND_32 = 0x84000001u,
    PSCI_CPU_SUSPEND_64 = 0xc4000001u,
    PSCI_CPU_OFF = 0x84000002u,
    PSCI_CPU_ON_32 = 0x84000003u,
    PSCI_CPU_ON_64 = 0xc4000003u,
    PSCI_AFFINITY_INFO_32 = 0x84000004u,
    PSCI_AFFINITY_INFO_64 = 0xc4000004u,
    PSCI_MIGRATE_INFO_TYPE = 0x84000006u,
    PSCI_SYSTEM_OFF = 0x84000008u,
    PSCI_SYSTEM_RESET = 0x84000009u,
    PSCI_FEATURES = 0x8400000au,
};

/* return codes */
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED ((uint64_t)-1)
#define PSCI_INVALID_PARAMETERS ((uint64_t)-2)
#define PSCI_ALREADY_ON ((uint64_t)-4)
#define PSCI_ON_PENDING ((uint64_t)-5)

/* PSCI 1.0 */
#define PSCI_VERSION_VALUE 0x00010000u

static bool psci_implemented(uint32_t fn)
{
    switch (fn) {
    case PSCI_VERSION: case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64:
    case PSCI_CPU_OFF: case PSCI_CPU_ON_32: case PSCI_CPU_ON_64:
    case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO_64:
    case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET:
    case PSCI_FEATURES:
        return true;
    default:
        return false;
    }
}

/* The vCPU whose MPIDR affinity fields (Aff3..Aff0) are mpidr's. */
static LoomCPU *cpu_by_mpidr(LoomMachine *m, uint64_t mpidr)
{
    uint64_t want = mpidr & 0xff00ffffffull;

    for (unsigned i = 0; i < loom_machine_nb_cpus(m); i++) {
        LoomCPU *c = loom_machine_cpu(m, i);

        if ((arm_env(c)->mpidr & 0xff00ffffffull) == want) {
            return c;
        }
    }
    return NULL;
}

static uint64_t psci_cpu_on(ARMEnv *env, uint64_t target, uint64_t entry, uint64_t context)
{
    LoomCPU *cpu = cpu_by_mpidr(loom_env_cpu(env)->machine, target);
    ARMEnv *t;
    uint32_t state = POWER_OFF;

    if (!cpu) {
        return PSCI_INVALID_PARAMETERS;
    }
    t = arm_env(cpu);
    if (!__atomic_compare_exchange_n(&t->power, &state, POWER_CLAIMED, false,
                                     __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
        return state == POWER_ON ? PSCI_ALREADY_ON
             : state == POWER_STOPPED ? PSCI_INVALID_PARAMETERS : PSCI_ON_PENDING;
    }
    t->psci_entry = entry;
    t->psci_context = context;
    /* release: the target reads entry and context after it sees ON_PENDING */
    __atomic_store_n(&t->power, POWER_ON_PENDING, __ATOMIC_RELEASE);
    loom_cpu_interrupt(cpu, LOOM_INTERRUPT_HARD);
    return PSCI_SUCCESS;
}

static uint64_t psci_affinity_info(ARMEnv *env, uint64_t target, uint64_t level)
{
    LoomCPU *cpu;

    if (level != 0) {
        return PSCI_INVALID_PARAMETERS;
    }
    cpu = cpu_by_mpidr(loom_env_cpu(env)->machine, target);
    if (!cpu) {
        return PSCI_INVALID_PARAMETERS;
    }
    switch (__atomic_load_n(&arm_env(cpu)->power, __ATOMIC_ACQUIRE)) {
    case POWER_ON:
        return 0;
    case POWER_CLAIMED: case POWER_ON_PENDING:
        return 2;
    default:
        return 1;
    }
}

/* This vCPU stops for good (state `state`); never returns. */
static void power_down_self(ARMEnv *env, uint32_t state) __attribute__((noreturn));
static void power_down_self(ARMEnv *env, uint32_t state)
{
    __atomic_store_n(&env->power, state, __ATOMIC_RELEASE);
    loom_cpu_halt(loom_env_cpu(env));
}

uint64_t aarch64_psci_call(ARMEnv *env, uint64_t fn64, uint64_t a1, uint64_t a2, uint64_t a3)
{
    uint32_t fn = (uint32_t)fn64;
    LoomMachine *m = loom_env_cpu(env)->machine;
    bool is32 = !(fn & 0x40000000u);

    if (is32) {
        a1 &= 0xffffffffu;
        a2 &= 0xffffffffu;
        a3 &= 0xffffffffu;
    }
    if (loom_log_enabled(LOOM_LOG_INT)) {
        loom_log("aarch64: cpu%u PSCI 0x%08x (0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ")\n",
                 loom_env_cpu(env)->cpu_index, fn, a1, a2, a3);
    }
    switch (fn) {
    case PSCI_VERSION:
        return PSCI_VERSION_VALUE;
    case PSCI_CPU_SUSPEND_32:
    case PSCI_CPU_SUSPEND_64:
        return PSCI_SUCCESS;    /* a standby woken at once */
    case PSCI_CPU_OFF:
        power_down_self(env, POWER_OFF);
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64:
        return psci_cpu_on(env, a1, a2, a3);
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64:
        return psci_affinity_info(env, a1, a2);
    case PSCI_MIGRATE_INFO_TYPE:
        return 2;               /* no Trusted OS: nothing to migrate */
    case PSCI_SYSTEM_OFF:
        loom_machine_shutdown(m, 0);
        power_down_self(env, POWER_STOPPED);
    case PSCI_SYSTEM_RESET:
        loom_machine_reset_request(m);
        power_down_self(env, POWER_STOPPED);
    case PSCI_FEATURES:
        return psci_implemented((uint32_t)a1) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
    default:
        return PSCI_NOT_SUPPORTED;
    }
}
