#!/bin/bash
# Debian's riscv64 Linux on OpenSBI, 4 harts and 1 GiB, in both thread
# modes, with the busybox initramfs from fetch-images.sh, whose /init prints
# "loom-test: ..." lines and powers off.  Exact lines: the online CPUs, the
# mounts and root directory, a sha256 computed in the guest, one sha256sum
# job per CPU at once, and exit 0
# from the power-off.  A second boot adds a virtio-blk disk that this
# script writes; the guest prints its first line and its sha256.
# Without the images every test is skipped.  Prints TAP.
set -u
. "$(dirname "$0")/images/boot-lib.sh"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

modes="single multi"
KERNEL=$IMAGES/Image
INITRD=$IMAGES/initramfs.cpio.gz
# LOOM_BOOT_APPEND="console=ttyS0" shows the kernel log, to see where a boot stops
APPEND=${LOOM_BOOT_APPEND:-"console=ttyS0 quiet"}
# `seq 1 10000 | sha256sum` on any host
SEQ_SHA=8060aa0ac20a3e5db2b67325c98a0122f2d09a612574458225dcb9a086f87cc3
# the first 16 digits of sha256 of `seq 1 N` for N = 25000, 50000,
# 75000, 100000: the test init runs one job per CPU at once
PAR_SHA="ea1a1773610d0161 44969d026ed4164d 08c0427d8896112d b2bc7d3f8b652d2e"

# virtio-blk on a virtio-mmio transport: QEMU names it virtio-blk-device
# (its virtio-blk is the PCI one), loom virtio-blk
case "$(basename "$LOOM")" in
    qemu*) VIRTIO_BLK=${LOOM_VIRTIO_BLK:-virtio-blk-device} ;;
    *) VIRTIO_BLK=${LOOM_VIRTIO_BLK:-virtio-blk} ;;
esac

# the disk: one known line, then zeros to 1 MiB
DISK_LINE="loom virtio-blk test disk: the quick brown fox 0123456789"
printf '%s\n' "$DISK_LINE" >"$tmp/disk.img"
truncate -s 1M "$tmp/disk.img"
DISK_SHA=$(sha256sum <"$tmp/disk.img" | cut -d' ' -f1)

echo "1..16"

# Boot once; the console goes to $tmp/out-NAME, the exit status to $st.
boot() {   # name mode extra-options...
    local name=$1 mode=$2 t0=$SECONDS; shift 2
    timeout -k 10 "$BOOT_TIMEOUT" "$LOOM" -M virt -smp 4 -m 1G -accel tcg,thread=$mode \
        -bios "$OPENSBI" -kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND" \
        "$@" -nographic </dev/null 2>&1 | tr -d '\r' >"$tmp/out-$name"
    st=${PIPESTATUS[0]}
    echo "# $name (thread=$mode): exit $st after $((SECONDS - t0)) s"
}

# Pass if the console has exactly this line.
expect_line() {   # name description line
    if grep -qxF -- "$3" "$tmp/out-$1"; then
        ok "$2"
    else
        fail "$2" "want: $3" "got:  $(grep -m1 -F "${3%: *}: " "$tmp/out-$1")" \
            "$(log_tail "$tmp/out-$1" 10)"
    fi
}

why=$(missing "$OPENSBI" "$KERNEL" "$INITRD")
for mode in $modes; do
    what="Linux -smp 4 -m 1G (thread=$mode)"
    if [ -n "$why" ]; then
        for t in "CPUs online" "mount and ls" "sha256 in the guest" "4 sha256sum jobs at once" \
                 "one UART" "clean poweroff" \
                 "-device ns16550a: a second UART" "virtio-blk disk"; do
            skip_test "$what: $t" "$why"
        done
        continue
    fi

    boot initramfs "$mode"
    expect_line initramfs "$what: CPUs online" "loom-test: cpus online: 4 (0-3)"
    if grep -qxF "loom-test: mounts: rootfs proc sysfs devtmpfs" "$tmp/out-initramfs" &&
       grep -qxF "loom-test: ls /: bin dev init lib linuxrc proc root sbin sys tmp usr" "$tmp/out-initramfs"; then
        ok "$what: mount and ls"
    else
        fail "$what: mount and ls" "$(grep -E '^loom-test: (mounts|ls)' "$tmp/out-initramfs")"
    fi
    expect_line initramfs "$what: sha256 in the guest" "loom-test: sha256 of seq 1 10000: $SEQ_SHA"
    expect_line initramfs "$what: 4 sha256sum jobs at once" "loom-test: parallel sha256: $PAR_SHA"
    expect_line initramfs "$what: one UART" "loom-test: serial: mmio:0x10000000"
    if [ "$st" -eq 0 ] && grep -qxF "loom-test: done" "$tmp/out-initramfs"; then
        ok "$what: clean poweroff"
    else
        fail "$what: clean poweroff" "exit $st (124: still running after ${BOOT_TIMEOUT} s)" \
            "$(log_tail "$tmp/out-initramfs")"
    fi

    # the guest loads virtio_mmio and virtio_blk from the initramfs; a
    # second UART takes the first virtio-mmio slot's place (its interrupt
    # shares the RTC's line), the disk the next slot
    boot disk "$mode" -drive "file=$tmp/disk.img,format=raw,if=none,id=hd0" \
        -device ns16550a,reg=0x10001000,irq=plic.11 -device "$VIRTIO_BLK,drive=hd0"
    expect_line disk "$what: -device ns16550a: a second UART" \
        "loom-test: serial: mmio:0x10000000 mmio:0x10001000"
    if [ "$st" -eq 0 ] && grep -qxF "loom-test: vda line 1: $DISK_LINE" "$tmp/out-disk" &&
       grep -qxF "loom-test: vda sha256: $DISK_SHA" "$tmp/out-disk"; then
        ok "$what: virtio-blk disk"
    else
        fail "$what: virtio-blk disk" "exit $st" "want: $DISK_LINE" "want: sha256 $DISK_SHA" \
            "$(log_tail "$tmp/out-disk")"
    fi
done

echo "# boot-linux: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
