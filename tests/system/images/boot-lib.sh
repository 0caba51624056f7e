# Shared by tests/system/boot-*.sh (sourced, not run): where the images
# are, TAP output, and bounded waits on a running emulator's console.
#
# Environment:
#   LOOM               the emulator (default ./loom; qemu-system-riscv64
#                      takes the same options, to check the tests)
#   LOOM_IMAGE_CACHE   where fetch-images.sh put the kernel and initramfs
#   LOOM_BOOT_TIMEOUT  seconds one boot may take before it counts as hung
#                      (default 300: a Linux boot takes about 10 s with
#                      the JIT and a minute on the interpreter)
#   LOOM_OPENSBI, LOOM_UBOOT  firmware paths (default: OpenSBI from the
#                      kernel's release, which fetch-images.sh puts in the
#                      cache; Debian 12's U-Boot)
#   LOOM_BOOT_APPEND   boot-linux.sh's kernel command line
#   LOOM_VIRTIO_BLK    boot-linux.sh's virtio-blk device type (virtio-mmio)

LOOM=${LOOM:-./loom}
IMAGES=${LOOM_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/loom/images}
BOOT_TIMEOUT=${LOOM_BOOT_TIMEOUT:-300}
OPENSBI=${LOOM_OPENSBI:-$IMAGES/opensbi/fw_jump.bin}
UBOOT=${LOOM_UBOOT:-/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf}
FETCH="tests/system/images/fetch-images.sh (make images)"

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() {
    n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift
    local l; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}
# shellcheck source=../../skip-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../skip-lib.sh"
# A missing image or firmware: a skip, or under CI a failure (skip-lib.sh).
skip_test() {
    if skips_fail; then
        fail "$1" "CI=true: not skipped: $2 (see tests/skip-lib.sh)"
    else
        n=$((n + 1)); echo "ok $n - $1 # SKIP $2"
    fi
}
# A skip for a reason that holds on any machine.
skip_ok() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# The reason the images or firmware are not there, or nothing.
missing() {   # file...
    local f
    for f in "$@"; do
        [ -r "$f" ] || { echo "no $f: run $FETCH"; return; }
    done
    command -v "$LOOM" >/dev/null || echo "no emulator $LOOM: build loom or set LOOM"
}

# The console output so far, from byte $2 on, without carriage returns.
console_from() {   # file offset
    tail -c +$(($2 + 1)) "$1" 2>/dev/null | tr -d '\r'
}

# Wait until the console, from byte $3 on, has a line matching the
# extended regex $2; fail after $4 seconds or when process $5 is gone.
wait_console() {   # file regex offset seconds pid
    local end=$((SECONDS + $4))
    while [ $SECONDS -lt "$end" ]; do
        console_from "$1" "$3" | grep -qE "$2" && return 0
        kill -0 "$5" 2>/dev/null || { console_from "$1" "$3" | grep -qE "$2"; return; }
        sleep 0.2
    done
    return 1
}

# The last lines of a console log, for a failure's diagnostics.
log_tail() { tr -d '\r' <"$1" | grep -v '^[[:space:]]*$' | tail -n "${2:-15}"; }
