#!/bin/bash
# Debian's arm64 Linux on -M arm-virt, 4 CPUs and 1 GiB, in both thread
# modes on every back-end loom has (x86_64, interp), with the arm64
# busybox initramfs images from fetch-images.sh (in
# $LOOM_IMAGE_CACHE/arm64).  The boots:
#
#   init   (first back-end, both modes) tests/system/linux/arm64-init.c,
#          a freestanding /init that needs no FP/AdvSIMD (built here with
#          aarch64-linux-gnu-gcc and appended to initramfs.cpio.gz;
#          rdinit=/arm64-init): its exact "loom-init: ..." lines (pid 1,
#          uname, the CPUs in /proc/cpuinfo, the timer's interrupt (GIC-0
#          27), running on each CPU, a hash of fresh anonymous memory, fork
#          and wait4, a SIGSEGV handler, nanosleep against the clock, the
#          virtio-blk disk this script writes), then reboot(POWER_OFF) ends
#          loom with status 0
#   gicv3  (first back-end) arm64-init on -M arm-virt,gic-version=3: the
#          timer's interrupt is GICv3 27, the CPUs, the disk, exit 0
#   reset  (first back-end) arm64-init again, with a disk whose first line
#          asks for a reset test: it rewrites the line and restarts (PSCI
#          SYSTEM_RESET); the second boot comes up on 4 CPUs again, reads
#          the new line and powers off; the host's disk has the new line
#   shell  (every back-end and mode, with gic-version=2 and 3)
#          initramfs-shell.cpio.gz, the full kernel log: the kernel brings
#          up 4 CPUs, needs no KPTI (the CPU says FEAT_CSV3) and runs
#          /init; the shell's banner; commands typed on stdin are answered
#          (uname -m, shell arithmetic, the CPU count of /proc/cpuinfo);
#          poweroff -f ends loom with status 0
#   test   (first back-end in both modes, the others in thread=multi)
#          initramfs.cpio.gz with "quiet" and a virtio-blk disk this
#          script writes: the test init's exact "loom-test: ..." lines (CPUs
#          online, mounts, a sha256 computed in the guest, four sha256sum
#          jobs at once, the PL011, the disk's first line and sha256), and
#          exit 0 from its power-off
#
# Busybox and its C library use FP and AdvSIMD throughout: an instruction
# the front-end lacks kills /init with SIGILL as it starts, and the
# kernel panics ("Attempted to kill init! exitcode=0x00000004").  Then
# every busybox test fails with that reason, the console's last lines and
# loom's first undefined instruction (-d unimp), without waiting out the
# timeout; arm64-init, which needs neither, runs either way.
#
# LOOM=qemu-system-aarch64 runs the same tests on QEMU's virt board (with
# -cpu cortex-a57, and dtb-randomness=off: no KASLR, which would force
# KPTI on), to check the expected values.  Without the images every test
# is skipped.  Prints TAP.
set -u
. "$(dirname "$0")/images/boot-lib.sh"

tmp=$(mktemp -d) || exit 1
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    exec 3>&- 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
# a write after the emulator has gone must not kill this script
trap '' PIPE

modes="single multi"
A64=$IMAGES/arm64
KERNEL=$A64/Image
# `seq 1 10000 | sha256sum` on any host
SEQ_SHA=8060aa0ac20a3e5db2b67325c98a0122f2d09a612574458225dcb9a086f87cc3
# loom logs the undefined instructions it meets (-d unimp), for the
# diagnostics of a boot that stops on one
case "$(basename "$LOOM")" in
    qemu*) MACHINE=(-M virt,dtb-randomness=off -cpu cortex-a57 -nic none)
           MACHINE_V3=(-M virt,dtb-randomness=off,gic-version=3 -cpu cortex-a57 -nic none)
           VIRTIO_BLK=virtio-blk-device; UNIMP=() ;;
    *) MACHINE=(-M arm-virt); MACHINE_V3=(-M arm-virt,gic-version=3)
       VIRTIO_BLK=virtio-blk; UNIMP=(-d unimp -D "$tmp/unimp.log") ;;
esac
# the panic that ends a boot whose /init died of a signal (4: SIGILL)
PANIC_RE='Kernel panic - not syncing'
SIGILL_LINE="Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000004"

# the disk: one known line, then zeros to 1 MiB
DISK_LINE="loom virtio-blk test disk on arm64: the quick brown fox 0123456789"
printf '%s\n' "$DISK_LINE" >"$tmp/disk.img"
truncate -s 1M "$tmp/disk.img"
DISK_SHA=$(sha256sum <"$tmp/disk.img" | cut -d' ' -f1)
# arm64-init's lines, each a test (the disk's FNV-1a, as arm64-init
# computes it, is a constant as the disk is)
INIT_LINES=("loom-init: pid 1" "loom-init: uname: Linux aarch64" "loom-init: cpus in /proc/cpuinfo: 4"
            "loom-init: timer interrupt: GIC-0 27"
            "loom-init: ran on cpus: 0 1 2 3" "loom-init: fnv1a of 4 MiB: 0xf5dfe3d33da22325"
            "loom-init: child exit status 42" "loom-init: SIGSEGV at 0x0000000000000010: handled"
            "loom-init: nanosleep 100 ms: at least 100 ms passed"
            "loom-init: vda line 1: $DISK_LINE"
            "loom-init: vda fnv1a: 0x3192fff82876e8c1, 1048576 bytes" "loom-init: done")
GICV3_TESTS=("gic-version=3: the timer interrupt through the GICv3" "gic-version=3: ran on 4 CPUs"
             "gic-version=3: virtio-blk disk" "gic-version=3: poweroff: exit 0")
RESET_TESTS=("reset: the first boot restarts" "reset: the second boot runs on 4 CPUs"
             "reset: the second boot reads the rewritten disk" "reset: poweroff: exit 0, the disk rewritten")
SHELL_TESTS=("the kernel brings up 4 CPUs" "the kernel needs no KPTI" "the kernel runs /init"
             "busybox shell banner" "uname -m typed on stdin" "shell arithmetic" "4 CPUs in /proc/cpuinfo"
             "poweroff -f: exit 0")
TEST_TESTS=("CPUs online" "mount and ls" "sha256 in the guest" "4 sha256sum jobs at once"
            "the PL011" "virtio-blk disk" "clean poweroff")
# the first 16 digits of sha256 of `seq 1 N` for N = 25000, 50000,
# 75000, 100000 (one job per CPU in the test init)
PAR_SHA="ea1a1773610d0161 44969d026ed4164d 08c0427d8896112d b2bc7d3f8b652d2e"

# The back-ends: every one loom has of x86_64 and interp (QEMU: its own).
# Each runs the shell boot with both GICs and the test boot; arm64-init's
# boots (GICv2, GICv3, reset) run on the first.
case "$(basename "$LOOM")" in
    qemu*) backends=qemu ;;
    *) backends=
       for b in x86_64 interp; do
           "$LOOM" -accel help 2>/dev/null | awk '{ print $1 }' | grep -qx "$b" && backends="$backends $b"
       done
       backends=${backends# } ;;
esac
set -- $backends
first_backend=$1
echo "1..$((2 * (${#INIT_LINES[@]} + 1 + ${#GICV3_TESTS[@]} + ${#RESET_TESTS[@]}) +
            2 * $# * 2 * ${#SHELL_TESTS[@]} + ($# + 1) * ${#TEST_TESTS[@]}))"

# arm64-init, appended to the test initramfs as a second archive
A64_CC=${AARCH64_LINUX_CC:-aarch64-linux-gnu-gcc}
init_why=
if ! command -v "$A64_CC" >/dev/null; then
    init_why="no $A64_CC to build tests/system/linux/arm64-init.c: apt-get install gcc-aarch64-linux-gnu"
elif ! command -v cpio >/dev/null; then
    init_why="no cpio to append arm64-init to the initramfs: apt-get install cpio"
elif [ -r "$A64/initramfs.cpio.gz" ]; then
    mkdir -p "$tmp/root"
    if ! "$A64_CC" -O2 -Wall -Wextra -Werror -nostdlib -static -no-pie -ffreestanding \
            -fno-stack-protector -mgeneral-regs-only -o "$tmp/root/arm64-init" \
            "$(dirname "$0")/linux/arm64-init.c" 2>"$tmp/cc.err"; then
        init_why="building arm64-init.c failed: $(head -n 3 "$tmp/cc.err")"
    else
        { cat "$A64/initramfs.cpio.gz"
          (cd "$tmp/root" && echo arm64-init | cpio -o -H newc --owner=0:0 --quiet) | gzip -9n
        } >"$tmp/init.cpio.gz"
    fi
fi

# Start loom in the background, its console in $out, its stdin the fifo
# $tmp/in held open on fd 3.
start() {   # out mode initrd append extra-options...
    local mode=$2 initrd=$3 append=$4 accel=thread=$2
    out=$1; shift 4
    rm -f "$tmp/in"; mkfifo "$tmp/in" || exit 1
    rm -f "$tmp/unimp.log"
    [ "$backend" != qemu ] && accel=backend=$backend,$accel
    timeout -k 10 "$BOOT_TIMEOUT" "$LOOM" "${MACHINE[@]}" "${UNIMP[@]}" -smp 4 -m 1G -accel tcg,"$accel" \
        -kernel "$KERNEL" -initrd "$initrd" -append "$append" "$@" -nographic \
        <"$tmp/in" >"$out" 2>&1 &
    pid=$!
    exec 3>"$tmp/in"
}

# Wait up to $1 seconds for loom to exit; stop it after that.  $st: its
# exit status (143 if stopped).
finish() {   # seconds
    local end=$((SECONDS + $1))
    exec 3>&-
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt "$end" ]; do sleep 0.2; done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    st=$?
    pid=
}

# The kernel log's lines without their "[    0.123456] " time stamps.
klog() { console_from "$1" 0 | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //'; }
# Whether the console has exactly this line (grep -c reads it all: with
# -q, sed would write into a closed pipe).
has_line() {   # out line
    [ "$(klog "$1" | grep -cxF -- "$2")" -gt 0 ]
}

# Pass if the console (without time stamps) has exactly this line.
expect_line() {   # out description line
    if has_line "$1" "$3"; then
        ok "$2"
    else
        fail "$2" "want: $3" "$(log_tail "$1" 10)"
    fi
}

# Type a command, pass if the lines after it (the echo of the command
# first) hold exactly this one.
type_expect() {   # out description command line
    local at
    sleep 0.3   # let the prompt settle: no more output is expected
    at=$(stat -c %s "$1")
    printf '%s\n' "$3" >&3
    if wait_console "$1" "^$4\$" "$at" 60 "$pid"; then
        ok "$2"
    else
        fail "$2" "typed: $3" "want: $4" "got:" "$(console_from "$1" "$at" | head -n 10)"
    fi
}

# The shell boot, with the kernel's log: exact lines, commands typed on
# the console, poweroff -f.  $what names the boot.
shell_boot() {   # tag
    local t0=$SECONDS userspace
    start "$tmp/shell-$1" "$mode" "$A64/initramfs-shell.cpio.gz" "console=ttyAMA0"
    wait_console "$out" "^loom: [0-9]+ CPUs online|$PANIC_RE" 0 "$BOOT_TIMEOUT" "$pid"
    expect_line "$out" "$what: the kernel brings up 4 CPUs" "smp: Brought up 1 node, 4 CPUs"
    # ID_AA64PFR0_EL1.CSV3 = 1 (loom does not speculate): no kernel page
    # table isolation, which would cost two TLB flushes per system call
    if [ "$(klog "$out" | grep -ci "page table isolation")" -eq 0 ]; then
        ok "$what: the kernel needs no KPTI"
    else
        fail "$what: the kernel needs no KPTI" "$(klog "$out" | grep -i "page table isolation")"
    fi
    expect_line "$out" "$what: the kernel runs /init" "Run /init as init process"
    userspace=
    if has_line "$out" "$SIGILL_LINE"; then
        userspace="busybox's /init died of SIGILL (the kernel: \"Attempted to kill init! exitcode=0x00000004\"): an FP or AdvSIMD instruction the front-end lacks?"
    elif [ "$(klog "$out" | grep -cE "$PANIC_RE")" -gt 0 ]; then
        userspace="the kernel panicked: $(klog "$out" | grep -m1 -E "$PANIC_RE")"
    fi
    if [ -n "$userspace" ]; then
        finish 0
        echo "# $what, shell boot: the last console lines:"
        log_tail "$out" 12 | sed 's/^/#   /'
        [ -s "$tmp/unimp.log" ] && echo "# the first undefined instruction (-d unimp): $(head -n 1 "$tmp/unimp.log")"
        for t in "${SHELL_TESTS[@]:3}"; do fail "$what: $t" "$userspace"; done
        echo "# $what: $((SECONDS - t0)) s"
        return 1
    fi
    expect_line "$out" "$what: busybox shell banner" \
        "loom: 4 CPUs online; busybox shell on the console, 'poweroff -f' to stop"
    # kernel messages from now on (the crng's, a late driver's) could land
    # inside an answer's line: keep them off the console
    printf 'dmesg -n 1\n' >&3
    type_expect "$out" "$what: uname -m typed on stdin" "uname -m" "aarch64"
    type_expect "$out" "$what: shell arithmetic" 'echo "six times seven: $((6 * 7))"' \
        "six times seven: 42"
    type_expect "$out" "$what: 4 CPUs in /proc/cpuinfo" \
        'echo "cpuinfo processors: $(grep -c ^processor /proc/cpuinfo)"' "cpuinfo processors: 4"
    printf 'poweroff -f\n' >&3
    finish 30
    if [ "$st" -eq 0 ]; then
        ok "$what: poweroff -f: exit 0"
    else
        fail "$what: poweroff -f: exit 0" "exit $st (143: still running 30 s after poweroff -f)" \
            "$(log_tail "$out")"
    fi
    echo "# $what, shell boot: $((SECONDS - t0)) s"
}

why=$(missing "$KERNEL" "$A64/initramfs.cpio.gz" "$A64/initramfs-shell.cpio.gz")
for backend in $backends; do
for mode in $modes; do
    what="arm64 Linux -smp 4 -m 1G (thread=$mode)"
    [ "$backend" = qemu ] || what="arm64 Linux -smp 4 -m 1G (backend=$backend, thread=$mode)"
    if [ -n "$why" ]; then
        if [ "$backend" = "$first_backend" ]; then
            for t in "${INIT_LINES[@]}" "arm64-init's poweroff: exit 0" "${GICV3_TESTS[@]}" \
                     "${RESET_TESTS[@]}"; do
                skip_test "$what: $t" "$why"
            done
        fi
        for t in "${SHELL_TESTS[@]}" "${SHELL_TESTS[@]}"; do
            skip_test "$what: $t" "$why"
        done
        if [ "$backend" = "$first_backend" ] || [ "$mode" = multi ]; then
            for t in "${TEST_TESTS[@]}"; do skip_test "$what: $t" "$why"; done
        fi
        continue
    fi

    # ---- boot 0: arm64-init, no FP/AdvSIMD needed ----
    t0=$SECONDS
    if [ "$backend" != "$first_backend" ]; then
        :
    elif [ -n "$init_why" ]; then
        for t in "${INIT_LINES[@]}" "arm64-init's poweroff: exit 0" "${GICV3_TESTS[@]}" \
                 "${RESET_TESTS[@]}"; do
            skip_test "$what: $t" "$init_why"
        done
    else
        start "$tmp/init-$backend-$mode" "$mode" "$tmp/init.cpio.gz" "console=ttyAMA0 quiet rdinit=/arm64-init" \
            -drive "file=$tmp/disk.img,format=raw,if=none,id=hd0" -device "$VIRTIO_BLK,drive=hd0"
        wait_console "$out" "^loom-init: (done|FAIL)|$PANIC_RE" 0 "$BOOT_TIMEOUT" "$pid"
        finish 30
        for l in "${INIT_LINES[@]}"; do
            expect_line "$out" "$what: $l" "$l"
        done
        if [ "$st" -eq 0 ]; then
            ok "$what: arm64-init's poweroff: exit 0"
        else
            fail "$what: arm64-init's poweroff: exit 0" "exit $st (143: stopped)" "$(log_tail "$out")"
        fi
        echo "# $what, arm64-init boot: $((SECONDS - t0)) s"

        # ---- boot 0b: arm64-init with the GICv3 ----
        t0=$SECONDS
        if [ "${#MACHINE_V3[@]}" -eq 2 ] &&
           ! "$LOOM" "${MACHINE_V3[0]}" "${MACHINE_V3[1]},dumpdtb=$tmp/v3.dtb" >/dev/null 2>&1; then
            for t in "${GICV3_TESTS[@]}"; do
                skip_ok "$what: $t" "this loom's arm-virt has no gic-version option"
            done
        else
            save=("${MACHINE[@]}")
            MACHINE=("${MACHINE_V3[@]}")
            start "$tmp/v3-$mode" "$mode" "$tmp/init.cpio.gz" "console=ttyAMA0 quiet rdinit=/arm64-init" \
                -drive "file=$tmp/disk.img,format=raw,if=none,id=hd0" -device "$VIRTIO_BLK,drive=hd0"
            MACHINE=("${save[@]}")
            wait_console "$out" "^loom-init: (done|FAIL)|$PANIC_RE" 0 "$BOOT_TIMEOUT" "$pid"
            finish 30
            expect_line "$out" "$what: ${GICV3_TESTS[0]}" "loom-init: timer interrupt: GICv3 27"
            expect_line "$out" "$what: ${GICV3_TESTS[1]}" "loom-init: ran on cpus: 0 1 2 3"
            expect_line "$out" "$what: ${GICV3_TESTS[2]}" \
                "loom-init: vda fnv1a: 0x3192fff82876e8c1, 1048576 bytes"
            if [ "$st" -eq 0 ] && has_line "$out" "loom-init: done"; then
                ok "$what: ${GICV3_TESTS[3]}"
            else
                fail "$what: ${GICV3_TESTS[3]}" "exit $st" "$(log_tail "$out")"
            fi
            echo "# $what, gic-version=3 boot: $((SECONDS - t0)) s"
        fi

        # ---- boot 0c: arm64-init's reset test ----
        t0=$SECONDS
        printf 'loom reset test: boot 1\n' >"$tmp/reset.img"
        truncate -s 64K "$tmp/reset.img"
        start "$tmp/reset-$mode" "$mode" "$tmp/init.cpio.gz" "console=ttyAMA0 quiet rdinit=/arm64-init" \
            -drive "file=$tmp/reset.img,format=raw,if=none,id=hd0" -device "$VIRTIO_BLK,drive=hd0"
        wait_console "$out" "^loom-init: (done|FAIL)|$PANIC_RE" 0 "$BOOT_TIMEOUT" "$pid"
        finish 30
        count() { klog "$out" | grep -cxF -- "$1"; }
        if [ "$(count "loom-init: vda says boot 1: restarting")" -eq 1 ] &&
           [ "$(count "loom-init: pid 1")" -eq 2 ]; then
            ok "$what: reset: the first boot restarts"
        else
            fail "$what: reset: the first boot restarts" "$(log_tail "$out")"
        fi
        if [ "$(count "loom-init: ran on cpus: 0 1 2 3")" -eq 2 ]; then
            ok "$what: reset: the second boot runs on 4 CPUs"
        else
            fail "$what: reset: the second boot runs on 4 CPUs" "$(grep '^loom-init: ran on' "$out")"
        fi
        if [ "$(count "loom-init: vda line 1: loom reset test: boot 2")" -eq 1 ] &&
           [ "$(count "loom-init: vda fnv1a: 0x0a526b84ea9646e5, 65536 bytes")" -eq 1 ]; then
            ok "$what: reset: the second boot reads the rewritten disk"
        else
            fail "$what: reset: the second boot reads the rewritten disk" "$(grep '^loom-init: vda' "$out")"
        fi
        if [ "$st" -eq 0 ] && [ "$(count "loom-init: done")" -eq 1 ] &&
           [ "$(head -n 1 "$tmp/reset.img")" = "loom reset test: boot 2" ]; then
            ok "$what: reset: poweroff: exit 0, the disk rewritten"
        else
            fail "$what: reset: poweroff: exit 0, the disk rewritten" "exit $st" \
                "disk: $(head -n 1 "$tmp/reset.img")" "$(log_tail "$out")"
        fi
        echo "# $what, reset boot: $((SECONDS - t0)) s"
    fi

    # ---- boots 1 and 1b: the shell, with the GICv2 and the GICv3 ----
    if ! shell_boot "$backend-$mode"; then
        for t in "${SHELL_TESTS[@]}"; do
            fail "$what, gic-version=3: $t" "not run: the GICv2 shell boot did not reach user space"
        done
        if [ "$backend" = "$first_backend" ] || [ "$mode" = multi ]; then
            for t in "${TEST_TESTS[@]}"; do
                fail "$what: $t" "not run: the GICv2 shell boot did not reach user space"
            done
        fi
        continue
    fi
    save=("${MACHINE[@]}")
    MACHINE=("${MACHINE_V3[@]}")
    what_v2=$what
    what="$what, gic-version=3"
    shell_boot "$backend-$mode-v3"
    MACHINE=("${save[@]}")
    what=$what_v2

    # ---- boot 2: the test init, with a virtio-blk disk (on the other
    # back-ends in thread=multi only: the interpreter takes 30-45 s) ----
    if [ "$backend" != "$first_backend" ] && [ "$mode" != multi ]; then
        continue
    fi
    t0=$SECONDS
    start "$tmp/test-$backend-$mode" "$mode" "$A64/initramfs.cpio.gz" "console=ttyAMA0 quiet" \
        -drive "file=$tmp/disk.img,format=raw,if=none,id=hd0" -device "$VIRTIO_BLK,drive=hd0"
    wait_console "$out" "^loom-test: done|$PANIC_RE" 0 "$BOOT_TIMEOUT" "$pid"
    finish 30
    expect_line "$out" "$what: CPUs online" "loom-test: cpus online: 4 (0-3)"
    if has_line "$out" "loom-test: mounts: rootfs proc sysfs devtmpfs" &&
       has_line "$out" "loom-test: ls /: bin dev init lib linuxrc proc root sbin sys tmp usr"; then
        ok "$what: mount and ls"
    else
        fail "$what: mount and ls" "$(grep -E '^loom-test: (mounts|ls)' "$out")"
    fi
    expect_line "$out" "$what: sha256 in the guest" "loom-test: sha256 of seq 1 10000: $SEQ_SHA"
    expect_line "$out" "$what: 4 sha256sum jobs at once" "loom-test: parallel sha256: $PAR_SHA"
    expect_line "$out" "$what: the PL011" "loom-test: serial: mmio:0x09000000"
    if has_line "$out" "loom-test: vda line 1: $DISK_LINE" &&
       has_line "$out" "loom-test: vda sha256: $DISK_SHA"; then
        ok "$what: virtio-blk disk"
    else
        fail "$what: virtio-blk disk" "want: $DISK_LINE" "want: sha256 $DISK_SHA" \
            "$(log_tail "$out")"
    fi
    if [ "$st" -eq 0 ] && has_line "$out" "loom-test: done"; then
        ok "$what: clean poweroff"
    else
        fail "$what: clean poweroff" "exit $st (143: stopped after ${BOOT_TIMEOUT} s or 30 s after done)" \
            "$(log_tail "$out")"
    fi
    echo "# $what, test boot: $((SECONDS - t0)) s"
done
done

echo "# boot-arm64: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
