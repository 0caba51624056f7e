/*
 * Guest image loading: ELF64 (PT_LOAD segments at their physical
 * addresses) or raw binaries.  Every offset and size in the file is
 * checked before use, so a truncated or hostile image is an error
 * message, never a host crash: an ELF must be for the front-end's machine
 * with an aligned entry, have at most LOADER_MAX_PHNUM program headers,
 * and its PT_LOAD segments must lie in the file and in RAM without
 * overlapping each other (all checked before anything is loaded).
 *
 * An ELF's symbol table (SHT_SYMTAB and its SHT_STRTAB) is kept in the
 * machine's symbol table, so that devices bound to program symbols
 * (HTIF's tohost/fromhost) find them with loom_machine_symbol.  A symbol
 * inside a PT_LOAD segment is recorded at its physical address.
 */
#include "config.h"
#include <elf.h>
#include <string.h>
#include <inttypes.h>
#include "internal.h"

/* The physical address of virtual address v: through the PT_LOAD segment
   that contains it, else v itself (bare-metal images link at v == p). */
static uint64_t elf_vaddr_to_paddr(const uint8_t *data, const Elf64_Ehdr *eh, uint64_t v)
{
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;

        memcpy(&ph, data + eh->e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type == PT_LOAD && v >= ph.p_vaddr && v - ph.p_vaddr < ph.p_memsz) {
            return ph.p_paddr + (v - ph.p_vaddr);
        }
    }
    return v;
}

/* Add the defined, named symbols of the image's SHT_SYMTAB to m->symbols.
   A global or weak definition replaces a local one of the same name; the
   first of two locals stays.  Program headers are already checked. */
static bool load_elf_symbols(LoomMachine *m, const char *path, const uint8_t *data,
                             size_t len, const Elf64_Ehdr *eh, char **err)
{
    Elf64_Shdr sym, str;
    bool found = false;

    if (eh->e_shoff == 0 || eh->e_shnum == 0) {
        return true;                    /* no section headers: no symbols */
    }
    if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > len ||
        (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > len - eh->e_shoff) {
        *err = g_strdup_printf("%s: truncated or corrupt ELF section headers: rebuild the image", path);
        return false;
    }
    for (unsigned i = 0; i < eh->e_shnum && !found; i++) {
        memcpy(&sym, data + eh->e_shoff + i * sizeof(sym), sizeof(sym));
        found = sym.sh_type == SHT_SYMTAB;
    }
    if (!found) {
        return true;                    /* stripped */
    }
    if (sym.sh_entsize != sizeof(Elf64_Sym) || sym.sh_offset > len ||
        sym.sh_size > len - sym.sh_offset || sym.sh_link >= eh->e_shnum) {
        *err = g_strdup_printf("%s: corrupt ELF symbol table: rebuild the image", path);
        return false;
    }
    memcpy(&str, data + eh->e_shoff + sym.sh_link * sizeof(str), sizeof(str));
    if (str.sh_type != SHT_STRTAB || str.sh_offset > len || str.sh_size > len - str.sh_offset) {
        *err = g_strdup_printf("%s: corrupt ELF symbol string table: rebuild the image", path);
        return false;
    }
    for (uint64_t off = 0; off + sizeof(Elf64_Sym) <= sym.sh_size; off += sizeof(Elf64_Sym)) {
        Elf64_Sym es;
        const char *name;
        uint64_t *addr;
        int bind;

        memcpy(&es, data + sym.sh_offset + off, sizeof(es));
        bind = ELF64_ST_BIND(es.st_info);
        if (es.st_name == 0) {
            continue;
        }
        /* the name must start and end (NUL) inside the string table */
        if (es.st_name >= str.sh_size ||
            !memchr(data + str.sh_offset + es.st_name, 0, str.sh_size - es.st_name)) {
            *err = g_strdup_printf("%s: ELF symbol name outside the string table: rebuild the image",
                                   path);
            return false;
        }
        if (es.st_shndx == SHN_UNDEF || ELF64_ST_TYPE(es.st_info) == STT_SECTION ||
            ELF64_ST_TYPE(es.st_info) == STT_FILE) {
            continue;
        }
        name = (const char *)data + str.sh_offset + es.st_name;
        if (bind == STB_LOCAL && g_hash_table_contains(m->symbols, name)) {
            continue;
        }
        addr = g_new(uint64_t, 1);
        *addr = es.st_shndx == SHN_ABS ? es.st_value : elf_vaddr_to_paddr(data, eh, es.st_value);
        g_hash_table_insert(m->symbols, g_strdup(name), addr);
    }
    return true;
}

/* Real images have a handful of program headers (a Linux kernel about
   five); the bound keeps the pairwise overlap check cheap. */
#define LOADER_MAX_PHNUM 1024u

/* A name for the e_machine values one is likely to meet by mistake, and
   for the front-end's own. */
static const char *elf_machine_name(const LoomFrontendOps *fe, unsigned em)
{
    if (em == fe->elf_machine && fe->isa_name) {
        return fe->isa_name;
    }
    switch (em) {
    case EM_386: return "i386";
    case EM_ARM: return "32-bit Arm";
    case EM_X86_64: return "x86-64";
    case EM_AARCH64: return "AArch64";
    default: return "another machine";
    }
}

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
        *err = g_strdup_printf("%s: not a 64-bit little-endian ELF: build the guest for %s", path,
                               m->frontend_plugin->desc->name);
        return false;
    }
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) {
        *err = g_strdup_printf("%s: ELF type %u is not an executable: link the guest program", path,
                               eh.e_type);
        return false;
    }
    /* 0: a front-end built for ABI 1.2 or older, which does not say */
    if (m->fe->elf_machine && eh.e_machine != m->fe->elf_machine) {
        *err = g_strdup_printf("%s: an ELF for %s (e_machine %u), but front-end %s runs %s "
                               "(e_machine %u): build the guest for %s", path,
                               elf_machine_name(m->fe, eh.e_machine), eh.e_machine,
                               m->frontend_plugin->desc->name,
                               elf_machine_name(m->fe, m->fe->elf_machine), m->fe->elf_machine,
                               m->frontend_plugin->desc->name);
        return false;
    }
    if (eh.e_entry & ((UINT64_C(1) << m->fe->insn_align_bits) - 1)) {
        *err = g_strdup_printf("%s: entry point 0x%" PRIx64 " is not aligned to %u bytes, as %s "
                               "instructions are: fix the program's entry symbol", path,
                               (uint64_t)eh.e_entry, 1u << m->fe->insn_align_bits,
                               m->frontend_plugin->desc->name);
        return false;
    }
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 ||
        eh.e_phoff > len || (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff) {
        *err = g_strdup_printf("%s: truncated or corrupt ELF program headers: rebuild the image", path);
        return false;
    }
    if (eh.e_phnum > LOADER_MAX_PHNUM) {
        *err = g_strdup_printf("%s: %u ELF program headers, more than the %u a guest image may "
                               "have: rebuild the image", path, eh.e_phnum, LOADER_MAX_PHNUM);
        return false;
    }
    /* check every segment before loading any */
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;

        memcpy(&ph, data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
            continue;
        }
        if (ph.p_filesz > ph.p_memsz || ph.p_offset > len || ph.p_filesz > len - ph.p_offset) {
            *err = g_strdup_printf("%s: segment %u lies outside the file (truncated ELF?): "
                                   "rebuild the image", path, i);
            return false;
        }
        if (!as_ram_ptr(&m->as, ph.p_paddr, ph.p_memsz)) {
            *err = g_strdup_printf("%s: segment %u at 0x%" PRIx64 "-0x%" PRIx64 " is not in guest "
                                   "RAM (0x%" PRIx64 "-0x%" PRIx64 "): link it into RAM or raise -m",
                                   path, i, ph.p_paddr, ph.p_paddr + ph.p_memsz - 1,
                                   m->ram_base, m->ram_base + m->ram_size - 1);
            return false;
        }
        for (unsigned j = 0; j < i; j++) {
            Elf64_Phdr pj;

            memcpy(&pj, data + eh.e_phoff + j * sizeof(pj), sizeof(pj));
            /* both lie in RAM: neither end wraps */
            if (pj.p_type == PT_LOAD && pj.p_memsz && ph.p_paddr < pj.p_paddr + pj.p_memsz &&
                pj.p_paddr < ph.p_paddr + ph.p_memsz) {
                *err = g_strdup_printf("%s: segments %u (0x%" PRIx64 "-0x%" PRIx64 ") and %u "
                                       "(0x%" PRIx64 "-0x%" PRIx64 ") overlap: rebuild the image",
                                       path, j, pj.p_paddr, pj.p_paddr + pj.p_memsz - 1,
                                       i, ph.p_paddr, ph.p_paddr + ph.p_memsz - 1);
                return false;
            }
        }
    }
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        uint8_t *dst;

        memcpy(&ph, data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
            continue;
        }
        dst = as_ram_ptr(&m->as, ph.p_paddr, ph.p_memsz);
        memcpy(dst, data + ph.p_offset, ph.p_filesz);
        memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
        tb_page_written(m, ph.p_paddr, ph.p_memsz);
        top = MAX(top, ph.p_paddr + ph.p_memsz);
        bottom = MIN(bottom, ph.p_paddr);
        loaded++;
    }
    if (!loaded) {
        *err = g_strdup_printf("%s: ELF has no loadable segment: rebuild the image", path);
        return false;
    }
    if (!load_elf_symbols(m, path, data, len, &eh, err)) {
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
            tb_page_written(m, load_addr, len);
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
