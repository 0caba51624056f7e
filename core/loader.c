/*
 * Guest image loading: ELF64 (PT_LOAD segments at their physical
 * addresses) or raw binaries.  Every offset and size in the file is
 * checked before use, so a truncated or hostile image is an error
 * message, never a host crash.
 */
#include "config.h"
#include <elf.h>
#include <string.h>
#include <inttypes.h>
#include "internal.h"

static bool load_elf(LoomMachine *m, const char *path, const uint8_t *data, size_t len,
                     uint64_t *entry, uint64_t *start, uint64_t *end, char **err)
{
    Elf64_Ehdr eh;
    uint64_t top = 0, bottom = UINT64_MAX;
    unsigned loaded = 0;

    if (len < sizeof(eh)) {
        *err = g_strdup_printf("%s: truncated ELF header (%zu bytes): give a complete ELF image", path, len);
        return false;
    }
    memcpy(&eh, data, sizeof(eh));
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
        *err = g_strdup_printf("%s: not a 64-bit little-endian ELF: build the guest for riscv64", path);
        return false;
    }
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) {
        *err = g_strdup_printf("%s: ELF type %u is not an executable: link the guest program", path,
                               eh.e_type);
        return false;
    }
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 ||
        eh.e_phoff > len || (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff) {
        *err = g_strdup_printf("%s: truncated or corrupt ELF program headers: rebuild the image", path);
        return false;
    }
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        uint8_t *dst;

        memcpy(&ph, data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
            continue;
        }
        if (ph.p_filesz > ph.p_memsz || ph.p_offset > len || ph.p_filesz > len - ph.p_offset) {
            *err = g_strdup_printf("%s: segment %u lies outside the file (truncated ELF?): "
                                   "rebuild the image", path, i);
            return false;
        }
        dst = as_ram_ptr(&m->as, ph.p_paddr, ph.p_memsz);
        if (!dst) {
            *err = g_strdup_printf("%s: segment %u at 0x%" PRIx64 "-0x%" PRIx64 " is not in guest "
                                   "RAM (0x%" PRIx64 "-0x%" PRIx64 "): link it into RAM or raise -m",
                                   path, i, ph.p_paddr, ph.p_paddr + ph.p_memsz - 1,
                                   m->ram_base, m->ram_base + m->ram_size - 1);
            return false;
        }
        memcpy(dst, data + ph.p_offset, ph.p_filesz);
        memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
        top = MAX(top, ph.p_paddr + ph.p_memsz);
        bottom = MIN(bottom, ph.p_paddr);
        loaded++;
    }
    if (!loaded) {
        *err = g_strdup_printf("%s: ELF has no loadable segment: rebuild the image", path);
        return false;
    }
    *entry = eh.e_entry;
    *start = bottom;
    *end = top;
    return true;
}

bool load_image(LoomMachine *m, const char *path, uint64_t load_addr, uint64_t *entry,
                uint64_t *start, uint64_t *end, char **err)
{
    gchar *data = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    bool ok;

    if (!g_file_get_contents(path, &data, &len, &gerr)) {
        *err = g_strdup_printf("cannot read %s: %s", path, gerr->message);
        g_error_free(gerr);
        return false;
    }
    if (len >= 4 && !memcmp(data, ELFMAG, SELFMAG)) {
        ok = load_elf(m, path, (const uint8_t *)data, len, entry, start, end, err);
    } else if (len == 0) {
        *err = g_strdup_printf("%s is empty: give a guest image", path);
        ok = false;
    } else {
        uint8_t *dst = as_ram_ptr(&m->as, load_addr, len);
        ok = dst != NULL;
        if (ok) {
            memcpy(dst, data, len);
            *entry = load_addr;
            *start = load_addr;
            *end = load_addr + len;
        } else {
            *err = g_strdup_printf("%s (%zu bytes) does not fit in guest RAM at 0x%" PRIx64
                                   ": raise -m", path, (size_t)len, load_addr);
        }
    }
    g_free(data);
    return ok;
}
