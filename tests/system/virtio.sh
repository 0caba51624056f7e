#!/bin/bash
# virtio-mmio, virtio-blk, virtio-rng and -drive: the guest in
# tests/system/guests/virtio.c drives the devices in both thread modes
# (placed by -drive/-device in the machine's slots, and by explicit reg=),
# the host image is checked afterwards, and bad -drive/-device input gets
# one clear line.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
BUILD=${LOOM_BUILDDIR:-.}
GUEST=$BUILD/tests/system/guests/virtio.elf
. "$(dirname "$0")/tap.sh"


if [ ! -f "$GUEST" ]; then
    skip_plan "$GUEST not built (no riscv64-unknown-elf-gcc?)"
    exit 0
fi

# disk.img: 64 sectors, sector i = 512 bytes of value i, "LOOMDISK" at
# the start of sector 5; ro.img: 8 sectors of 0xaa
make_images() {
    local i
    for i in $(seq 0 63); do
        head -c 512 /dev/zero | tr '\0' "\\$(printf %03o "$i")"
    done >"$tmp/disk.img"
    printf LOOMDISK | dd of="$tmp/disk.img" bs=1 seek=2560 conv=notrunc status=none
    head -c 4096 /dev/zero | tr '\0' '\252' >"$tmp/ro.img"
    cp "$tmp/ro.img" "$tmp/ro.orig"
}

# sector 3 as the guest writes it: byte i = (i * 7 + 3) & 0xff
for i in $(seq 0 511); do printf "\\$(printf %03o $(((i * 7 + 3) & 255)))"; done >"$tmp/sector3"
head -c 512 /dev/zero | tr '\0' '\004' >"$tmp/sector4"

# run_guest DESC ARGS...: the guest passes, then the host files are right
run_guest() {
    local desc=$1; shift
    make_images
    timeout 120 "$LOOM" -M virt -bios none -kernel "$GUEST" -nographic "$@" \
        </dev/null >"$tmp/out" 2>&1
    local st=$?
    if [ "$st" -ne 0 ] || ! grep -q "virtio: PASS" "$tmp/out"; then
        fail "$desc: guest" "exit $st (= failing check)" "output: $(head -c 400 "$tmp/out")"
    else
        ok "$desc: guest"
    fi
    if dd if="$tmp/disk.img" bs=512 skip=3 count=1 status=none | cmp -s - "$tmp/sector3" &&
       dd if="$tmp/disk.img" bs=512 skip=4 count=1 status=none | cmp -s - "$tmp/sector4" &&
       [ "$(stat -c %s "$tmp/disk.img")" -eq 32768 ] && cmp -s "$tmp/ro.img" "$tmp/ro.orig"; then
        ok "$desc: host image has sector 3 written, the rest intact"
    else
        fail "$desc: host image has sector 3 written, the rest intact"
    fi
}

# guest_error DESC PATTERN ARGS...: the virtio guest with ARGS is refused
# with one clear line (expect_error, tap.sh)
guest_error() {
    local desc=$1 pat=$2; shift 2
    expect_error "$desc" "$pat" -M virt -bios none -kernel "$GUEST" "$@"
}

echo "1..21"

for mode in single multi; do
    run_guest "-drive if=virtio, -device virtio-rng, thread=$mode" \
        -accel tcg,thread=$mode \
        -drive file="$tmp/disk.img",format=raw,if=virtio,id=disk0 \
        -drive file="$tmp/ro.img",format=raw,id=ro,readonly=on \
        -device virtio-rng
done
run_guest "-device virtio-blk,drive=,reg=,irq= and file=" \
    -drive file="$tmp/disk.img",if=none,id=disk0 \
    -device virtio-blk,drive=disk0,reg=0x10005000,irq=plic.6 \
    -device virtio-blk,file="$tmp/ro.img",readonly=on,reg=0x10002000,irq=plic.3 \
    -device virtio-rng,reg=0x10008000,irq=plic.8

make_images
guest_error "image that does not exist" \
    "^loom: -drive file=$tmp/nosuch.img: cannot open image $tmp/nosuch.img: No such file or directory$" \
    -drive file="$tmp/nosuch.img",format=raw,if=virtio
guest_error "format other than raw" "format=qcow2 is not supported: only raw images" \
    -drive file="$tmp/disk.img",format=qcow2,if=virtio
guest_error "if= other than virtio" "if=ide is not supported: use if=virtio" \
    -drive file="$tmp/disk.img",format=raw,if=ide
guest_error "unknown -drive option" "unknown option 'cache': valid ones are file, format, if, id, readonly" \
    -drive file="$tmp/disk.img",cache=none
guest_error "-drive without file=" "no image: give file=IMAGE" -drive format=raw,if=virtio
guest_error "bad readonly value" "readonly=maybe is not valid: give on or off" \
    -drive file="$tmp/disk.img",readonly=maybe
guest_error "duplicate drive id" "id=d is used twice" \
    -drive file="$tmp/disk.img",id=d -drive file="$tmp/ro.img",id=d
guest_error "drive= naming no drive" "drive=nope: there is no -drive with id=nope" \
    -device virtio-blk,drive=nope,reg=0x20000000
guest_error "virtio-blk without drive= or file=" "give either drive=ID (a -drive id) or file=IMAGE" \
    -device virtio-blk,reg=0x20000000
guest_error "two devices on one drive" "drive=d is already used by device" \
    -drive file="$tmp/disk.img",if=none,id=d -device virtio-blk,drive=d -device virtio-blk,drive=d
slots=()
for i in 1 2 3 4 5 6 7 8 9; do slots+=(-drive "file=$tmp/disk.img,if=virtio"); done
guest_error "more drives than slots" "no free virtio-mmio slot (machine virt has 8)" "${slots[@]}"
guest_error "virtio device on a taken address" "overlap" \
    -device virtio-rng,reg=0x10001000 -device virtio-rng,reg=0x10001000
chmod a-w "$tmp/ro.img"
if [ "$(id -u)" -ne 0 ]; then
    expect_error "read-only image opened read-write" "Permission denied (add readonly=on?)" \
        -drive file="$tmp/ro.img"
else
    ok "read-only image opened read-write # SKIP running as root"
fi

# the device tree names every slot
if timeout 20 "$LOOM" -machine virt,dumpdtb="$tmp/virt.dtb" -bios none -kernel "$GUEST" \
       -drive file="$tmp/disk.img" >/dev/null 2>&1 && command -v fdtget >/dev/null; then
    nodes=$(fdtget -l "$tmp/virt.dtb" /soc | grep -c '^virtio_mmio@')
    compat=$(fdtget "$tmp/virt.dtb" /soc/virtio_mmio@10001000 compatible)
    reg=$(fdtget "$tmp/virt.dtb" /soc/virtio_mmio@10001000 reg)
    irq=$(fdtget "$tmp/virt.dtb" /soc/virtio_mmio@10001000 interrupts)
    if [ "$nodes" -eq 8 ] && [ "$compat" = "virtio,mmio" ] && [ "$reg" = "0 268439552 0 4096" ] &&
       [ "$irq" = "1" ]; then
        ok "device tree: 8 virtio,mmio nodes with reg and interrupts"
    else
        fail "device tree: 8 virtio,mmio nodes with reg and interrupts" \
             "nodes $nodes compatible '$compat' reg '$reg' interrupts '$irq'"
    fi
else
    skip "device tree: 8 virtio,mmio nodes" "no dumpdtb or fdtget"
fi

# arm-virt's slots say dma-coherent (Arm's Linux assumes a device is not
# coherent otherwise), and so do the devices that take one; virt's do not
if command -v fdtget >/dev/null &&
   timeout 20 "$LOOM" -machine arm-virt,dumpdtb="$tmp/arm.dtb" -drive file="$tmp/disk.img" \
       -device virtio-rng >/dev/null 2>&1; then
    coherent=$(fdtget -l "$tmp/arm.dtb" /soc | grep '^virtio_mmio@' | while read -r node; do
        fdtget -p "$tmp/arm.dtb" "/soc/$node" | grep -qx dma-coherent && echo "$node"
    done | wc -l)
    # the -device takes the first slot, the drive the second
    rng=$(fdtget -p "$tmp/arm.dtb" /soc/virtio_mmio@a003e00 | grep -cx dma-coherent)
    blk=$(fdtget -p "$tmp/arm.dtb" /soc/virtio_mmio@a003c00 | grep -cx dma-coherent)
    riscv=$(fdtget -p "$tmp/virt.dtb" /soc/virtio_mmio@10001000 | grep -cx dma-coherent)
    if [ "$coherent" -eq 32 ] && [ "$rng" -eq 1 ] && [ "$blk" -eq 1 ] && [ "$riscv" -eq 0 ]; then
        ok "device tree: arm-virt's 32 virtio,mmio nodes say dma-coherent, virt's do not"
    else
        fail "device tree: arm-virt's 32 virtio,mmio nodes say dma-coherent, virt's do not" \
             "arm-virt: $coherent of 32 nodes; rng $rng blk $blk; virt $riscv"
    fi
else
    skip "device tree: arm-virt's virtio,mmio nodes say dma-coherent" "no arm-virt dumpdtb or fdtget"
fi

exit $((failed > 0))
