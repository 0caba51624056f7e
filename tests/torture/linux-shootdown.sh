#!/bin/bash
# TLB shootdowns under Linux: Debian's kernel on OpenSBI, -smp 4, in both
# thread modes, runs tests/torture/linux/shootdown.c (4 threads of one
# process pinned to CPUs 0-3; one remaps, mprotects and unmaps a shared
# window while all check every word and expect the faults a stale TLB
# entry would miss; the kernel flushes the other CPUs through SBI remote
# fences, which OpenSBI runs as sfence.vma on each hart) while four
# busybox sha256sum pipelines load the CPUs.
#
# The initrd is initramfs-shootdown.cpio.gz from fetch-images.sh (busybox
# and an /init that runs /shootdown) with a second gzip'd cpio archive
# appended that holds the freshly built program: the kernel unpacks
# concatenated archives in order.
#
# Per mode: the program's exact lines, its remote-fence count from the SBI
# PMU firmware counters (at least MIN_FENCES received), the load jobs'
# exact digests, and a clean power-off.  Skipped (TAP SKIP lines) without
# the images, the program (no riscv64-unknown-elf-gcc) or cpio.  Prints TAP.
#
# Environment: LOOM, LOOM_IMAGE_CACHE, LOOM_OPENSBI (boot-lib.sh);
#   SHOOTDOWN_ELF      the program (default $TORTURE_ELF_DIR/linux/shootdown.elf)
#   SHOOTDOWN_MODES    thread modes (default "single multi")
#   SHOOTDOWN_TIMEOUT  seconds per boot (default 240; a run takes 20-60 s)
#   SHOOTDOWN_APPEND   kernel command line (default "console=ttyS0 quiet")
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../system/images/boot-lib.sh
. "$here/../system/images/boot-lib.sh"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

ELF=${SHOOTDOWN_ELF:-${TORTURE_ELF_DIR:-tests/torture}/linux/shootdown.elf}
MODES=${SHOOTDOWN_MODES:-single multi}
TIMEOUT=${SHOOTDOWN_TIMEOUT:-240}
KERNEL=$IMAGES/Image
INITRD=$IMAGES/initramfs-shootdown.cpio.gz
# SHOOTDOWN_APPEND="console=ttyS0" shows the kernel log, to see where a boot stops
APPEND=${SHOOTDOWN_APPEND:-"console=ttyS0 quiet"}
# remote fences the firmware must have executed: a run makes ~5000
# (32 rounds x 5 changes of the window, plus each thread's private
# munmaps, each fenced on up to 3 other harts, and the sender's own)
MIN_FENCES=500

# The program's lines: fixed by its constants (shootdown.c's header)
EXPECT_PROGRAM="shootdown: thread 0 cpu 0 rounds 32 checked 132704 sum 0xcce160f6faf3a6b0 segv 448
shootdown: thread 1 cpu 1 rounds 32 checked 132704 sum 0xcce160f6ffd3a6d0 segv 448
shootdown: thread 2 cpu 2 rounds 32 checked 132704 sum 0xcce160f704b3a6f0 segv 448
shootdown: thread 3 cpu 3 rounds 32 checked 132704 sum 0xcce160f70993a710 segv 448
shootdown: ok threads 4 rounds 32 pages 8 segv 1792 errors 0
loom-shootdown: exit 0"
# `seq 1 N | sha256sum` on any host, N = 25000, 50000, 75000, 100000
EXPECT_LOAD="loom-shootdown: load 1: ea1a1773610d0161250bea9ada39805a89b51940d2d7e870ce0b72d54c41729b
loom-shootdown: load 2: 44969d026ed4164dbe77d48d4d359e98ac4057008cafd61723be72bff83e5fd4
loom-shootdown: load 3: 08c0427d8896112dbdc3f6527062e396be1c80d50178e782be5f119f5bf1ddd3
loom-shootdown: load 4: b2bc7d3f8b652d2ec96865b68ad8f80e22cca174abe1aed7889e242a747d590f"

n_modes=$(wc -w <<<"$MODES")
echo "1..$((4 * n_modes))"

why=$(missing "$OPENSBI" "$KERNEL" "$INITRD")
if [ -z "$why" ] && [ ! -r "$ELF" ]; then
    why="no $ELF: build it with make check (needs riscv64-unknown-elf-gcc) or set SHOOTDOWN_ELF"
fi
if [ -z "$why" ] && ! command -v cpio >/dev/null; then
    why="no cpio to append the program to the initramfs: apt-get install cpio"
fi
if [ -z "$why" ]; then
    if ! { mkdir "$tmp/root" && cp "$ELF" "$tmp/root/shootdown" && chmod 755 "$tmp/root/shootdown" &&
           { cat "$INITRD"
             (cd "$tmp/root" && echo shootdown | cpio -o -H newc --owner=0:0 --quiet) | gzip -9n
           } >"$tmp/initrd.gz"; }; then
        echo "Bail out! cannot build the initrd in $tmp"
        exit 1
    fi
fi

# The lines of the console that start with $2, in order.
lines() { grep -E "^$2" "$tmp/out-$1"; }

for mode in $MODES; do
    what="Linux shootdowns -smp 4 (thread=$mode)"
    if [ -n "$why" ]; then
        for t in "program output" "remote fences" "load jobs" "clean poweroff"; do
            skip_test "$what: $t" "$why"
        done
        continue
    fi
    t0=$SECONDS
    timeout -k 10 "$TIMEOUT" "$LOOM" -M virt -smp 4 -m 1G -accel tcg,thread="$mode" \
        -bios "$OPENSBI" -kernel "$KERNEL" -initrd "$tmp/initrd.gz" -append "$APPEND" \
        -nographic </dev/null 2>&1 | tr -d '\r' >"$tmp/out-$mode"
    st=${PIPESTATUS[0]}
    echo "# thread=$mode: exit $st after $((SECONDS - t0)) s"
    lines "$mode" "loom-shootdown: interrupts: IPI[01]:" | sed 's/^/# /'

    got=$(lines "$mode" "(shootdown: (thread|ok|FAIL)|loom-shootdown: exit)")
    if [ "$got" = "$EXPECT_PROGRAM" ]; then
        ok "$what: program output"
    else
        fail "$what: program output" "want:" "$EXPECT_PROGRAM" "got:" "$got" \
            "$(log_tail "$tmp/out-$mode" 10)"
    fi

    fences=$(lines "$mode" "shootdown: sbi fence counters:")
    received=$(echo "$fences" | sed -n 's/.* received \([0-9]*\)$/\1/p')
    echo "# $fences"
    if [ -n "$received" ] && [ "$received" -ge "$MIN_FENCES" ]; then
        ok "$what: remote fences"
    elif echo "$fences" | grep -q unavailable; then
        skip_ok "$what: remote fences" "the guest cannot count them: ${fences#shootdown: }"
    else
        fail "$what: remote fences" "want at least $MIN_FENCES received, got: ${fences:-no counter line}"
    fi

    got=$(lines "$mode" "loom-shootdown: load ")
    if [ "$got" = "$EXPECT_LOAD" ]; then
        ok "$what: load jobs"
    else
        fail "$what: load jobs" "want:" "$EXPECT_LOAD" "got:" "$got"
    fi

    if [ "$st" -eq 0 ] && grep -qxF "loom-shootdown: done" "$tmp/out-$mode"; then
        ok "$what: clean poweroff"
    else
        fail "$what: clean poweroff" "exit $st (124: still running after $TIMEOUT s)" \
            "$(log_tail "$tmp/out-$mode")"
    fi
done

echo "# linux-shootdown: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
