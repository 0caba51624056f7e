#!/bin/bash
# The guest's device tree and the RISC-V boot protocol: -machine
# virt,dumpdtb=FILE writes a blob that dtc decodes without a warning and
# holds exactly the nodes and properties virt promises; a guest finds
# a0 = hart id and a1 = the tree; -initrd and -append land in /chosen;
# bad boot options are one clear line.  Compares the tree's structure with
# QEMU's virt board when qemu-system-riscv64 is installed.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
SRC=${LOOM_SRCDIR:-.}
. "$(dirname "$0")/tap.sh"


# prop DTB NODE PROP [fdtget type]: the value as fdtget prints it
prop() { fdtget ${4:+-t $4} "$1" "$2" "$3" 2>&1; }

# expect_prop DESC DTB NODE PROP WANT [type]
expect_prop() {
    local got
    got=$(prop "$2" "$3" "$4" "${6:-}")
    if [ "$got" = "$5" ]; then ok "$1"; else fail "$1" "$3 $4: got '$got', want '$5'"; fi
}

echo "1..58"

if ! command -v dtc >/dev/null || ! command -v fdtget >/dev/null; then
    for i in $(seq 1 58); do skip "device tree test $i" "dtc/fdtget missing (apt-get install device-tree-compiler)"; done
    exit 0
fi

# ---- the tree of -smp 4 ----
"$LOOM" -M virt,dumpdtb="$tmp/l.dtb" -smp 4 </dev/null >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 0 ] && [ ! -s "$tmp/out" ] && [ -s "$tmp/l.dtb" ]; then
    ok "dumpdtb writes the blob and exits 0, silently"
else
    fail "dumpdtb writes the blob and exits 0, silently" "exit $st" "$(head -c 300 "$tmp/out")"
fi
dtc -I dtb -O dts -o "$tmp/l.dts" "$tmp/l.dtb" 2>"$tmp/dtc.err"
st=$?
if [ "$st" -eq 0 ] && [ ! -s "$tmp/dtc.err" ]; then
    ok "dtc decodes it with no warning"
else
    fail "dtc decodes it with no warning" "exit $st" "$(head -c 400 "$tmp/dtc.err")"
fi
L=$tmp/l.dtb
expect_prop "root #address-cells" "$L" / "#address-cells" 2
expect_prop "root compatible" "$L" / compatible riscv-virtio
want_nodes="chosen memory@80000000 cpus soc poweroff reboot"
got_nodes=$(fdtget -l "$L" / | sort | tr '\n' ' ')
want_sorted=$(echo $want_nodes | tr ' ' '\n' | sort | tr '\n' ' ')
if [ "$got_nodes" = "$want_sorted" ]; then ok "root nodes"; else fail "root nodes" "got: $got_nodes" "want: $want_sorted"; fi
expect_prop "memory reg: 128 MiB at 0x80000000" "$L" /memory@80000000 reg "0 80000000 0 8000000" x
expect_prop "stdout-path is the UART" "$L" /chosen stdout-path /soc/serial@10000000
expect_prop "timebase-frequency from the CLINT" "$L" /cpus timebase-frequency 10000000
expect_prop "/cpus #size-cells" "$L" /cpus "#size-cells" 0
cpus=$(fdtget -l "$L" /cpus | tr '\n' ' ')
if [ "$cpus" = "cpu@0 cpu@1 cpu@2 cpu@3 " ]; then ok "4 harts, in order"; else fail "4 harts, in order" "got: $cpus"; fi

# every hart: reg, status, base ISA, an ISA string that agrees with the
# extension list, mmu-type, the interrupt controller
bad=""
for h in 0 1 2 3; do
    c=/cpus/cpu@$h
    [ "$(prop "$L" $c reg)" = "$h" ] || bad="$bad $c:reg"
    [ "$(prop "$L" $c status)" = okay ] || bad="$bad $c:status"
    [ "$(prop "$L" $c compatible)" = riscv ] || bad="$bad $c:compatible"
    [ "$(prop "$L" $c device_type)" = cpu ] || bad="$bad $c:device_type"
    [ "$(prop "$L" $c riscv,isa-base)" = rv64i ] || bad="$bad $c:isa-base"
    isa=$(prop "$L" $c riscv,isa)
    exts=$(prop "$L" $c riscv,isa-extensions)
    # rebuild riscv,isa from the list: letters run together, the rest _-joined
    rebuilt=rv64$(for e in $exts; do [ ${#e} -eq 1 ] && printf %s "$e"; done)$(for e in $exts; do [ ${#e} -gt 1 ] && printf _%s "$e"; done)
    [ "$isa" = "$rebuilt" ] || bad="$bad $c:isa($isa!=$rebuilt)"
    # exactly what the default rv64 hart implements
    [ "$isa" = rv64imafdc_zicntr_zicond_zicsr_zifencei_zihintpause_zba_zbb_zbs_sstc ] ||
        bad="$bad $c:isa($isa)"
    [ "$(prop "$L" $c mmu-type)" = riscv,sv48 ] || bad="$bad $c:mmu-type"
    i=$c/interrupt-controller
    [ "$(prop "$L" $i compatible)" = riscv,cpu-intc ] || bad="$bad $i:compatible"
    [ "$(prop "$L" $i "#interrupt-cells")" = 1 ] || bad="$bad $i:#interrupt-cells"
    [ "$(prop "$L" $i phandle)" = $((h + 1)) ] || bad="$bad $i:phandle"
done
if [ -z "$bad" ]; then ok "hart nodes: reg, status, ISA strings, mmu-type, intc"; else fail "hart nodes" "$bad"; fi

# Ztso: listed (after zbs, in canonical order) only with -cpu ...,ztso=on
"$LOOM" -M virt,dumpdtb="$tmp/tso.dtb" -smp 2 -cpu rv64,ztso=on </dev/null >/dev/null 2>&1
"$LOOM" -M virt,dumpdtb="$tmp/notso.dtb" -smp 2 -cpu rv64,ztso=off </dev/null >/dev/null 2>&1
bad=""
for h in 0 1; do
    c=/cpus/cpu@$h
    [ "$(prop "$tmp/tso.dtb" $c riscv,isa)" = \
      rv64imafdc_zicntr_zicond_zicsr_zifencei_zihintpause_zba_zbb_zbs_ztso_sstc ] || bad="$bad $c:isa"
    [ "$(prop "$tmp/tso.dtb" $c riscv,isa-extensions)" = \
      "i m a f d c zicntr zicond zicsr zifencei zihintpause zba zbb zbs ztso sstc" ] || bad="$bad $c:isa-extensions"
done
if [ -z "$bad" ]; then ok "ztso=on: ztso in riscv,isa and riscv,isa-extensions"; else fail "ztso=on" "$bad"; fi
if [ -s "$tmp/notso.dtb" ] && ! prop "$tmp/notso.dtb" /cpus/cpu@0 riscv,isa | grep -q ztso &&
   ! prop "$tmp/notso.dtb" /cpus/cpu@1 riscv,isa-extensions | grep -q ztso; then
    ok "ztso=off: no ztso in the ISA strings"
else
    fail "ztso=off: no ztso in the ISA strings" "$(prop "$tmp/notso.dtb" /cpus/cpu@0 riscv,isa)"
fi

# devices (phandles: hart N's intc is N+1)
S=/soc
expect_prop "soc is a simple-bus" "$L" $S compatible simple-bus
# (other devices, e.g. virtio-mmio, may follow; only these are checked)
soc_nodes=$(fdtget -l "$L" $S | grep -E '^(test|clint|serial|rtc|plic)@' | tr '\n' ' ')
if [ "$soc_nodes" = "test@100000 clint@2000000 serial@10000000 rtc@101000 plic@c000000 " ]; then
    ok "one node per device, in machine order"
else
    fail "one node per device, in machine order" "got: $soc_nodes"
fi
plic_ph=$(prop "$L" $S/plic@c000000 phandle)
expect_prop "PLIC compatible" "$L" $S/plic@c000000 compatible "sifive,plic-1.0.0 riscv,plic0"
expect_prop "PLIC reg" "$L" $S/plic@c000000 reg "0 c000000 0 600000" x
expect_prop "PLIC riscv,ndev = 96" "$L" $S/plic@c000000 riscv,ndev 96
expect_prop "PLIC contexts: M (11) and S (9) per hart" "$L" $S/plic@c000000 interrupts-extended \
    "1 11 1 9 2 11 2 9 3 11 3 9 4 11 4 9"
expect_prop "PLIC #interrupt-cells" "$L" $S/plic@c000000 "#interrupt-cells" 1
expect_prop "CLINT compatible" "$L" $S/clint@2000000 compatible "sifive,clint0 riscv,clint0"
expect_prop "CLINT: MSIP (3) and MTIP (7) per hart" "$L" $S/clint@2000000 interrupts-extended \
    "1 3 1 7 2 3 2 7 3 3 3 7 4 3 4 7"
expect_prop "UART reg" "$L" $S/serial@10000000 reg "0 10000000 0 100" x
expect_prop "UART clock-frequency" "$L" $S/serial@10000000 clock-frequency 3686400
if [ "$(prop "$L" $S/serial@10000000 interrupts)" = 10 ] &&
   [ "$(prop "$L" $S/serial@10000000 interrupt-parent)" = "$plic_ph" ]; then
    ok "UART interrupt: PLIC source 10"
else
    fail "UART interrupt: PLIC source 10" "$(prop "$L" $S/serial@10000000 interrupts) / $(prop "$L" $S/serial@10000000 interrupt-parent), plic $plic_ph"
fi
if [ "$(prop "$L" $S/rtc@101000 interrupts)" = 11 ] &&
   [ "$(prop "$L" $S/rtc@101000 interrupt-parent)" = "$plic_ph" ] &&
   [ "$(prop "$L" $S/rtc@101000 compatible)" = google,goldfish-rtc ] &&
   [ "$(prop "$L" $S/rtc@101000 reg x)" = "0 101000 0 1000" ]; then
    ok "RTC: compatible, reg, PLIC source 11"
else
    fail "RTC: compatible, reg, PLIC source 11" "$(fdtget -p "$L" $S/rtc@101000 | tr '\n' ' ')"
fi
test_ph=$(prop "$L" $S/test@100000 phandle)
if [ "$(prop "$L" /poweroff compatible)" = syscon-poweroff ] && [ "$(prop "$L" /poweroff regmap)" = "$test_ph" ] &&
   [ "$(prop "$L" /poweroff value x)" = 5555 ] && [ "$(prop "$L" /reboot value x)" = 7777 ] &&
   [ "$(prop "$L" /reboot regmap)" = "$test_ph" ] && [ "$(prop "$L" /reboot offset)" = 0 ] &&
   [ "$(prop "$L" $S/test@100000 compatible)" = "sifive,test1 sifive,test0 syscon" ]; then
    ok "finisher: syscon, poweroff 0x5555 and reboot 0x7777 through it"
else
    fail "finisher: syscon, poweroff 0x5555 and reboot 0x7777 through it" "$(fdtget -p "$L" /poweroff | tr '\n' ' ')"
fi

# ---- the same structure as QEMU's virt ----
if command -v qemu-system-riscv64 >/dev/null &&
   qemu-system-riscv64 -M virt,dumpdtb="$tmp/q.dtb" -smp 4 -nographic </dev/null >/dev/null 2>&1; then
    diffs=""
    for node in / /chosen /memory@80000000 /cpus /cpus/cpu@0 /cpus/cpu@3/interrupt-controller /soc \
                /soc/plic@c000000 /soc/clint@2000000 /soc/serial@10000000 /soc/rtc@101000 \
                /soc/test@100000 /poweroff /reboot; do
        # every property QEMU has, loom has too (loom adds the ISA lists)
        for p in $(fdtget -p "$tmp/q.dtb" $node); do
            case $p in rng-seed|riscv,isa|mmu-type|phandle|interrupts-extended|interrupt-parent|regmap|model) continue;; esac
            qv=$(fdtget -t x "$tmp/q.dtb" $node $p 2>/dev/null)
            lv=$(fdtget -t x "$L" $node $p 2>/dev/null) || { diffs="$diffs $node:$p(missing)"; continue; }
            [ "$qv" = "$lv" ] || diffs="$diffs $node:$p($lv!=$qv)"
        done
    done
    if [ -z "$diffs" ]; then ok "same nodes and values as QEMU virt -smp 4"; else fail "same nodes and values as QEMU virt -smp 4" "$diffs"; fi
else
    skip "same nodes and values as QEMU virt -smp 4" "qemu-system-riscv64 not installed"
fi

# ---- boot protocol: a guest checks a0, a1 and the blob's magic ----
# -smp 2: each hart checks a0 = mhartid and a1 = 0x87e00000 (the tree,
# 2 MiB aligned below the top of 128 MiB) and reads the magic there;
# hart 0 then passes, hart 1 parks.
if [ -n "${RISCV_CC:-}" ] && command -v "${RISCV_CC%% *}" >/dev/null; then
    cat >"$tmp/boot.S" <<'EOF'
    .globl _start
_start:
    csrr t0, mhartid
    li   t2, 0x100000
    bne  a0, t0, 1f
    li   t1, 0x87e00000
    bne  a1, t1, 2f
    lwu  t1, 0(a1)
    li   t3, 0xedfe0dd0            /* 0xd00dfeed, big-endian */
    bne  t1, t3, 3f
    bnez t0, 9f
    li   t1, 0x5555
    sw   t1, 0(t2)
9:  wfi
    j    9b
1:  li   t1, (1 << 16) | 0x3333
    sw   t1, 0(t2)
2:  li   t1, (2 << 16) | 0x3333
    sw   t1, 0(t2)
3:  li   t1, (3 << 16) | 0x3333
    sw   t1, 0(t2)
    j    9b
EOF
    $RISCV_CC -march=rv64ima_zicsr -mabi=lp64 -nostdlib -nostartfiles -static \
        -T "$SRC/tests/system/guests/link.ld" -o "$tmp/boot.elf" "$tmp/boot.S" 2>"$tmp/cc.err"
    for mode in single multi; do
        timeout 20 "$LOOM" -smp 2 -accel tcg,thread=$mode -bios none -kernel "$tmp/boot.elf" </dev/null >"$tmp/out" 2>&1
        st=$?
        if [ "$st" -eq 0 ]; then ok "boot: a0 = hart id, a1 = the tree (thread=$mode)"
        else fail "boot: a0 = hart id, a1 = the tree (thread=$mode)" "exit $st (1: a0, 2: a1, 3: magic)" "$(head -c 200 "$tmp/out")"; fi
    done
else
    skip "boot: a0 = hart id, a1 = the tree (thread=single)" "no RISCV_CC"
    skip "boot: a0 = hart id, a1 = the tree (thread=multi)" "no RISCV_CC"
fi

# ---- -initrd and -append in /chosen ----
printf '\x6f\x00\x00\x00' >"$tmp/loop.bin"            # j .
head -c 12345 /dev/urandom >"$tmp/initrd"
"$LOOM" -M virt,dumpdtb="$tmp/k.dtb" -kernel "$tmp/loop.bin" -initrd "$tmp/initrd" \
    -append "console=ttyS0 root=/dev/ram rw" </dev/null >"$tmp/out" 2>&1
start=$(prop "$tmp/k.dtb" /chosen linux,initrd-start x)
end=$(prop "$tmp/k.dtb" /chosen linux,initrd-end x)
# 64-bit cells: "0 87dfc000" -> 0x87dfc000; the tree is at 0x87e00000
s=$(( 0x$(echo $start | awk '{print $1}') * 4294967296 + 0x$(echo $start | awk '{print $2}') ))
e=$(( 0x$(echo $end | awk '{print $1}') * 4294967296 + 0x$(echo $end | awk '{print $2}') ))
if [ $((s % 4096)) -eq 0 ] && [ $((e - s)) -eq 12345 ] && [ $e -le $((0x87e00000)) ] && [ $((0x87e00000 - s)) -lt $((12345 + 4096)) ]; then
    ok "initrd: page aligned, right below the tree, exact size"
else
    fail "initrd: page aligned, right below the tree, exact size" "start '$start' end '$end'"
fi
expect_prop "-append is /chosen bootargs" "$tmp/k.dtb" /chosen bootargs "console=ttyS0 root=/dev/ram rw"

# ---- bad input ----
expect_error "-initrd: missing file" "^loom: -initrd: cannot read /nonexistent" \
    -bios none -kernel "$tmp/loop.bin" -initrd /nonexistent
expect_error "-append without -kernel" "^loom: -append needs -kernel" -append "quiet"
expect_error "-initrd without -kernel" "^loom: -initrd needs -kernel" -initrd "$tmp/initrd"
expect_error "dumpdtb to an unwritable path" "^loom: dumpdtb: cannot write /nonexistent/x.dtb" \
    -M virt,dumpdtb=/nonexistent/x.dtb
expect_error "unknown machine option" "machine virt has no option 'colour': valid ones are dumpdtb=FILE$" -M virt,colour=red -kernel "$tmp/loop.bin"
head -c $((3 << 20)) /dev/zero | tr '\0' '\001' >"$tmp/bigbios"
expect_error "firmware overlapping the kernel" \
    "^loom: -kernel (0x80200000-0x80200003) overlaps -bios (0x80000000-0x802fffff)" \
    -bios "$tmp/bigbios" -kernel "$tmp/loop.bin"
head -c $((130 << 20)) /dev/zero >"$tmp/hugeinitrd" 2>/dev/null
expect_error "initrd larger than RAM" "^loom: -initrd: .*does not fit in guest RAM below the device tree: raise -m" \
    -kernel "$tmp/loop.bin" -initrd "$tmp/hugeinitrd"


# ---- the machine file's part of the boot: root identity, kernel offset,
# default firmware ----
head -c $((5 << 20)) /dev/zero >"$tmp/fivemib"
printf '[machine]\ninclude=virt\ncompatible=acme,board\nmodel=Acme Board\nkernel-offset=0x400000\n' \
    >"$tmp/acme.machine"
"$LOOM" -M "$tmp/acme.machine",dumpdtb="$tmp/acme.dtb" </dev/null >"$tmp/out" 2>&1
expect_prop "machine file compatible is the root's" "$tmp/acme.dtb" / compatible acme,board
expect_prop "machine file model is the root's" "$tmp/acme.dtb" / model "Acme Board"
expect_error "kernel-offset: a raw kernel after firmware goes there" \
    "^loom: -kernel (0x80400000-0x80400003) overlaps -bios (0x80000000-0x804fffff)" \
    -M "$tmp/acme.machine" -bios "$tmp/fivemib" -kernel "$tmp/loop.bin"
printf '[machine]\ninclude=virt\nfirmware=/nonexistent/fw.elf\nfirmware-install=apt-get install acme-fw\n' \
    >"$tmp/nofw.machine"
expect_error "-bios default: the machine's firmware, missing: its install hint" \
    "^loom: -bios default: /nonexistent/fw.elf is not installed: apt-get install acme-fw, or give -bios FILE or -bios none\$" \
    -M "$tmp/nofw.machine" -bios default -kernel "$tmp/loop.bin"
printf '[machine]\ninclude=virt\nname=bare\nfirmware=\n' >"$tmp/bare.machine"
expect_error "-bios default: a machine without firmware" \
    "^loom: -bios default: machine bare names no default firmware: give -bios FILE or -bios none\$" \
    -M "$tmp/bare.machine" -bios default -kernel "$tmp/loop.bin"

# ---- firmware-address: a raw -bios in flash or elsewhere in RAM ----
# li a0,0x5555; lui t0,0x100; sw a0,0(t0): passes through the finisher
printf '\x37\x55\x00\x00\x1b\x05\x55\x55\xb7\x02\x10\x00\x23\xa0\xa2\x00\x6f\x00\x00\x00' >"$tmp/pass.bin"
printf '[machine]\ninclude=virt\nflash-base=0x20000000\nflash-size=32M\nfirmware-address=0x20000000\n' \
    >"$tmp/flash.machine"
timeout 20 "$LOOM" -M "$tmp/flash.machine" -bios "$tmp/pass.bin" -d exec </dev/null >"$tmp/out" 2>&1
st=$?
first=$(grep -m1 -o 'pc=0x[0-9a-f]*' "$tmp/out")
if [ "$st" -eq 0 ] && [ "$first" = "pc=0x20000000" ]; then
    ok "firmware-address in flash: -bios runs from 0x20000000 and passes"
else
    fail "firmware-address in flash: -bios runs from 0x20000000 and passes" "exit $st, first $first"
fi
printf '[machine]\ninclude=virt\nfirmware-address=0x80100000\n' >"$tmp/fwoff.machine"
expect_error "firmware-address in RAM: a raw -bios goes there" \
    "^loom: -kernel (0x80200000-0x80200003) overlaps -bios (0x80100000-0x805fffff)" \
    -M "$tmp/fwoff.machine" -bios "$tmp/fivemib" -kernel "$tmp/loop.bin"
printf '[machine]\ninclude=virt\n\nfirmware-address=flash\n' >"$tmp/fwbad.machine"
expect_error "firmware-address not a number: file and line" \
    "^loom: $tmp/fwbad.machine:4: \[machine\] firmware-address 'flash' is not a number: give the guest-physical address of a raw -bios, in RAM or flash, such as 0x20000000\$" \
    -M "$tmp/fwbad.machine" -bios "$tmp/pass.bin"
printf '[machine]\ninclude=virt\nfirmware-address=0x20000000\n' >"$tmp/fwnowhere.machine"
expect_error "firmware-address outside RAM with no flash: file and line" \
    "^loom: $tmp/fwnowhere.machine:3: \[machine\] firmware-address 0x20000000 is not in RAM (0x80000000-0x87ffffff): give an address in RAM, or add flash (flash-base, flash-size) there\$" \
    -M "$tmp/fwnowhere.machine" -bios "$tmp/pass.bin"
printf '[machine]\ninclude=%s\nfirmware-address=0x22000000\n' "$tmp/flash.machine" >"$tmp/fwpast.machine"
expect_error "firmware-address past the flash: names both regions" \
    "^loom: $tmp/fwpast.machine:3: \[machine\] firmware-address 0x22000000 is in neither RAM (0x80000000-0x87ffffff) nor flash (0x20000000-0x21ffffff): give an address in one of them\$" \
    -M "$tmp/fwpast.machine" -bios "$tmp/pass.bin"
printf '[machine]\ninclude=virt\nflash-base=0x20000000\n' >"$tmp/halfflash.machine"
expect_error "flash-base without flash-size" \
    "^loom: $tmp/halfflash.machine:3: \[machine\] flash-base without flash-size: give both or neither\$" \
    -M "$tmp/halfflash.machine" -bios "$tmp/pass.bin"
printf '[machine]\ninclude=virt\nflash-base=0x87000000\nflash-size=32M\n' >"$tmp/flashram.machine"
expect_error "flash overlapping RAM: file and line" \
    "^loom: $tmp/flashram.machine:3: \[machine\] flash at 0x87000000-0x88ffffff overlaps ram at 0x80000000-0x87ffffff: move one of them\$" \
    -M "$tmp/flashram.machine" -bios "$tmp/pass.bin"

# ---- interrupt cells are the controller's (tests/fixtures/device-intc3.c:
# <0 line 4>) ----
BUILD=${LOOM_BUILDDIR:-.}
printf '[machine]\ninclude=virt\n[device intc]\ntype=intc3\nreg=0x2f000000,0x1000\n[device uart0]\nirq=intc.5\n' \
    >"$tmp/intc3.machine"
"$LOOM" --plugin-path "$BUILD/tests/fixtures" -M "$tmp/intc3.machine",dumpdtb="$tmp/intc3.dtb" \
    </dev/null >"$tmp/out" 2>&1
expect_prop "a three-cell controller's line: interrupts = <0 5 4>" "$tmp/intc3.dtb" \
    /soc/serial@10000000 interrupts "0 5 4"
want=$(prop "$tmp/intc3.dtb" /soc/interrupt-controller@2f000000 phandle)
expect_prop "... and interrupt-parent = that controller" "$tmp/intc3.dtb" \
    /soc/serial@10000000 interrupt-parent "$want"
printf '[machine]\ninclude=virt\n[device intc]\ntype=intc3\nreg=0x2f000000,0x1000\n[device uart0]\nirq=intc.0\n' \
    >"$tmp/intc3-bad.machine"
expect_error "a line the controller cannot describe: one line" \
    "^loom: device tree: device uart0: irq=intc.0: controller intc (intc3) gives 0 interrupt cells for line 0: wire it to a line the controller has, or fix the plugin\$" \
    --plugin-path "$BUILD/tests/fixtures" -M "$tmp/intc3-bad.machine",dumpdtb="$tmp/x.dtb"

# ---- the per-vCPU phandle layout is the front-end's (the toy of
# tests/fixtures/frontend-longinsn.c: three per vCPU, the third its intc) ----
printf '[machine]\ninclude=%s\nmax-cpus=2\n[device clint]\ntype=aclint\nreg=0x2000000,0x10000\n' \
    "$(cd "$SRC" && pwd)/tests/fixtures/machines/longinsn.machine" >"$tmp/cpuph.machine"
"$LOOM" --plugin-path "$BUILD/tests/fixtures" -M "$tmp/cpuph.machine",dumpdtb="$tmp/cpuph.dtb" \
    -smp 2 </dev/null >"$tmp/out" 2>&1
expect_prop "front-end's layout: vCPU 1's first phandle is 1 + 1 * 3" "$tmp/cpuph.dtb" \
    /cpus/cpu@1 phandle 4
expect_prop "... devices wire to the phandle fdt_cpu named (the third of each vCPU's)" \
    "$tmp/cpuph.dtb" /soc/clint@2000000 interrupts-extended "3 3 3 7 6 3 6 7"
expect_prop "... and devices' phandles follow every vCPU's" "$tmp/cpuph.dtb" \
    /soc/test@100000 phandle 7
printf '[machine]\ninclude=%s\nfrontend=badintc\n' "$tmp/cpuph.machine" >"$tmp/badintc.machine"
expect_error "a front-end naming a phandle it was not given: one line" \
    "^loom: device tree: cpu 0: front-end badintc names phandle 4 as the vCPU's interrupt controller, not one of the 3 reserved for it: fix the front-end's fdt_cpu\$" \
    --plugin-path "$BUILD/tests/fixtures" -M "$tmp/badintc.machine",dumpdtb="$tmp/x.dtb"

echo "# fdt: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
