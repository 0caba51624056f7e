#!/bin/bash
# Fetch and build the guest images for loom's boot tests
# (tests/system/boot-*.sh), all from Debian packages:
#
#   firmware   opensbi, u-boot-qemu     the host release's packages, installed
#                                       with apt-get (as root, or via sudo);
#              opensbi                  also $LOOM_IMAGE_SUITE's, for the boot
#                                       tests: opensbi/fw_jump.bin
#   kernel     linux-image-riscv64      riscv64 packages of $LOOM_IMAGE_SUITE
#   userland   busybox-static           (default trixie, the first release with
#                                       riscv64 as an official architecture),
#                                       downloaded and unpacked, never installed
#   arm64      linux-image-arm64,       the same release's arm64 packages, the
#              busybox-static           same way, for tests/system/boot-arm64.sh
#
# The riscv64 packages come through a private apt configuration under the
# cache directory (its own sources list, lists, package cache and status
# file), pointed at the mirror this machine's apt already uses, and checked
# against the Debian archive keyring.  The system's apt state is not touched.
#
# Output, in $LOOM_IMAGE_CACHE (default ~/.cache/loom/images):
#   Image                  the kernel as `-kernel` loads it: Debian ships it
#                          as /boot/vmlinux-VERSION, which despite its name is
#                          the uncompressed RISC-V "Image" (an EFI-stub PE
#                          header, "RISCV" magic at 0x30), placed 2 MiB into
#                          RAM where OpenSBI's fw_jump jumps
#   initramfs.cpio.gz      busybox + /init for the boot tests: prints
#                          "loom-test: ..." lines and powers off
#   initramfs-shell.cpio.gz  the same with a shell on the console (manual runs)
#   initramfs-bench.cpio.gz  bench/run's Linux workload: a parallel sha256sum
#                          job between "loom-bench: ..." marker lines
#   initramfs-shootdown.cpio.gz  the TLB shootdown torture test's init: runs
#                          /shootdown (the test appends it) under load
#   VERSIONS               the exact package versions used
#   arm64/                 the arm64 kernel and initramfs for -M arm-virt:
#     Image                Debian's /boot/vmlinuz-VERSION, which is the raw
#                          arm64 Image (uncompressed despite its name; a
#                          gzip'd or EFI zboot one would be unpacked), loaded
#                          at the start of RAM
#     initramfs.cpio.gz, initramfs-shell.cpio.gz, initramfs-bench.cpio.gz
#                          as above, arm64 busybox
#     VERSIONS             the arm64 package versions
#
# Usage: fetch-images.sh [--refresh]
#   --refresh  ask the mirror again for the newest kernel and busybox
#              (otherwise a complete cache is reused without network)
# Environment:
#   LOOM_IMAGE_CACHE   cache directory
#   LOOM_IMAGE_SUITE   release to take the riscv64 and arm64 packages from (trixie)
#   LOOM_DEBIAN_MIRROR mirror URI to use instead of the one in apt's sources
# Exit status: 0 images ready (the arm64 ones, the last step, may still be
# skipped: a "SKIP:" line says why), 77 skipped (one "SKIP:" line says
# why: offline, not Debian, no root/sudo for the firmware packages, ...),
# 1 error.
set -u
set -o pipefail

CACHE=${LOOM_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/loom/images}
SUITE=${LOOM_IMAGE_SUITE:-trixie}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
REFRESH=0
case "${1:-}" in
    --refresh) REFRESH=1 ;;
    "") ;;
    *) echo "usage: $0 [--refresh]" >&2; exit 1 ;;
esac

say() { echo "fetch-images: $*"; }
skip() { echo "fetch-images: SKIP: $*"; exit 77; }
die() { echo "fetch-images: error: $*" >&2; exit 1; }

# The script's own temporary files; removed on any exit.
work=
cleanup() { [ -n "$work" ] && rm -rf "$work"; }
trap cleanup EXIT

# ---- step 1: firmware and host tools from the host's own release ----

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null && command -v dpkg-query >/dev/null ||
    skip "no apt-get/dpkg-deb: the images come from Debian packages, run this on Debian 12 or later"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

need=
installed opensbi || need="$need opensbi"
installed u-boot-qemu || need="$need u-boot-qemu"
command -v cpio >/dev/null || need="$need cpio"
command -v xz >/dev/null || need="$need xz-utils"
command -v gzip >/dev/null || need="$need gzip"
if [ -n "$need" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=
    elif command -v sudo >/dev/null; then
        # a terminal may answer a password prompt; a script must not wait on one
        if [ -t 0 ]; then SUDO=sudo; else SUDO="sudo -n"; fi
    else
        skip "packages$need are missing and this is not root and has no sudo: run 'apt-get install$need' as root, then this again"
    fi
    say "installing$need with apt-get (apt-get update first)"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null ||
        skip "'apt-get update' failed (offline, or no permission): install$need by hand, then run this again"
    # shellcheck disable=SC2086
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need >/dev/null ||
        skip "'apt-get install$need' failed (offline, or not available on this release)"
fi

# ---- step 2: the riscv64 packages through a private apt ----

mkdir -p "$CACHE" || die "cannot create the cache directory $CACHE: set LOOM_IMAGE_CACHE to a writable place"
CACHE=$(cd "$CACHE" && pwd)
APTDIR=$CACHE/apt
STAMP=$CACHE/.complete
# the architecture of the packages the private apt fetches (the arm64
# step below switches it, and APTDIR, in its own subshell)
ARCH=riscv64

# The URI of this machine's main Debian archive: the first enabled "deb"
# source (deb822 .sources files, then one-line .list files) whose suites
# include the host's codename, else the first that is not a security archive.
host_mirror() {
    local codename
    codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
    {
        for f in /etc/apt/sources.list.d/*.sources; do
            [ -r "$f" ] || continue
            awk 'BEGIN { RS = ""; FS = "\n" }
                {
                    types = uris = suites = ""; enabled = "yes"
                    for (i = 1; i <= NF; i++) {
                        line = $i
                        if (line ~ /^[ \t]*#/) continue
                        k = line; sub(/:.*/, "", k); k = tolower(k)
                        v = line; sub(/^[^:]*:[ \t]*/, "", v)
                        if (k == "types") types = v
                        else if (k == "uris") uris = v
                        else if (k == "suites") suites = v
                        else if (k == "enabled") enabled = tolower(v)
                    }
                    if (enabled == "no" || (" " types " ") !~ / deb /) next
                    split(uris, u, /[ \t]+/)
                    print u[1], suites
                }' "$f"
        done
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [ -r "$f" ] || continue
            sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 3 { print $2, $3 }'
        done
    } | awk -v cn="$codename" '
        $1 ~ /^cdrom:/ { next }
        { for (i = 2; i <= NF; i++) if (cn != "" && $i == cn) { print $1; found = 1; exit } }
        first == "" && $1 !~ /security/ && $2 !~ /-security$/ { first = $1 }
        END { if (!found && first != "") print first }'
}

# apt-get/apt-cache with the private configuration: the system's own
# apt.conf (proxies, timeouts) still applies, its update/install hooks
# do not, and every path apt writes is under $APTDIR.
papt() {
    local tool=$1; shift
    "$tool" -c "$APTDIR/apt.conf" "$@"
}

setup_private_apt() {
    local mirror=$1
    mkdir -p "$APTDIR/etc/sources.list.d" "$APTDIR/etc/preferences.d" \
        "$APTDIR/state/lists/partial" "$APTDIR/cache/archives/partial" || return 1
    : >"$APTDIR/state/status"
    cat >"$APTDIR/etc/sources.list" <<EOF
deb [arch=$ARCH signed-by=$KEYRING] $mirror $SUITE main
EOF
    cat >"$APTDIR/apt.conf" <<EOF
// written by fetch-images.sh: a private apt for $ARCH $SUITE packages
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
#clear APT::Update::Pre-Invoke;
#clear DPkg::Post-Invoke;
#clear DPkg::Pre-Invoke;
#clear APT::Architectures;
APT::Architecture "$ARCH";
APT::Architectures { "$ARCH"; };
Dir::State "$APTDIR/state";
Dir::State::status "$APTDIR/state/status";
Dir::Cache "$APTDIR/cache";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Dir::Etc::sourcelist "$APTDIR/etc/sources.list";
Dir::Etc::sourceparts "$APTDIR/etc/sources.list.d";
Dir::Etc::preferences "$APTDIR/etc/preferences";
Dir::Etc::preferencesparts "$APTDIR/etc/preferences.d";
Debug::NoLocking "true";
Debug::pkgAcquire "false";
Debug::Acquire::http "false";
Acquire::Languages "none";
Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";
Acquire::IndexTargets::deb::DEP-11::DefaultEnabled "false";
EOF
}

# The candidate version of a package in the private apt.
candidate() {
    papt apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" { print $2 }'
}

# The kernel as -kernel loads it, from an extracted linux-image package.
# Debian's riscv64 packages ship /boot/vmlinux-VERSION as a raw RISC-V
# Image; a gzip'd one (vmlinuz) is unpacked.  A real ELF vmlinux has
# virtual addresses and is refused rather than guessed at.
extract_kernel() {
    local root=$1 out=$2 k
    k=$(find "$root/boot" -maxdepth 1 -type f \( -name 'vmlinux-*' -o -name 'vmlinuz-*' \) | head -n 1)
    [ -n "$k" ] || die "the kernel package ships no /boot/vmlinux-* or vmlinuz-*: look at 'dpkg-deb -c' of it"
    if [ "$(head -c 2 "$k" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
        gzip -dc "$k" >"$out.tmp" || die "cannot gunzip $k"
    else
        cp "$k" "$out.tmp" || die "cannot copy $k"
    fi
    # riscv Image header: magic "RSC\x05" at offset 0x38
    if [ "$(dd if="$out.tmp" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' ')" != 52534305 ]; then
        if [ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
            die "$(basename "$k") is an ELF vmlinux, not a RISC-V Image: this script needs an update for it"
        fi
        die "$(basename "$k") is neither a RISC-V Image nor a gzip'd one"
    fi
    mv "$out.tmp" "$out"
}

# Set up the private apt for $ARCH under $APTDIR and read its package lists.
update_lists() {
    local mirror
    [ -r "$KEYRING" ] || skip "no $KEYRING to check the downloads with: apt-get install debian-archive-keyring"
    mirror=${LOOM_DEBIAN_MIRROR:-$(host_mirror)}
    [ -n "$mirror" ] || skip "no Debian mirror found in /etc/apt/sources.list{,.d}: set LOOM_DEBIAN_MIRROR to a Debian mirror URI"
    setup_private_apt "$mirror" || die "cannot write the private apt configuration under $APTDIR"

    say "updating the private $ARCH $SUITE package lists from this machine's mirror"
    local st=0
    papt apt-get -q update >"$APTDIR/update.log" 2>&1 || st=$?
    grep -qE "GPG error|NO_PUBKEY|EXPKEYSIG|is not signed" "$APTDIR/update.log" &&
        skip "the $ARCH $SUITE package lists fail the signature check against $KEYRING (apt-get install debian-archive-keyring for newer keys): see $APTDIR/update.log"
    [ "$st" -eq 0 ] && ! grep -qE "^E:|Failed to fetch" "$APTDIR/update.log" ||
        skip "cannot read $ARCH $SUITE package lists from the configured mirror $mirror (offline?): see $APTDIR/update.log"
}

# linux-image-$ARCH is a metapackage: the image is the package it depends on
kernel_package() {
    papt apt-cache depends "linux-image-$ARCH" 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}

# The modules the initramfs loads to reach a virtio-blk disk, from an
# extracted linux-image package into $3: both are modules in Debian's
# kernels (riscv64 and arm64), xz-compressed, with no dependencies.  With
# $4 = builtin-ok, one the kernel's config builds in is left out.
extract_modules() {   # root kernel-package outdir [builtin-ok]
    local m f c
    mkdir -p "$3"
    for m in virtio/virtio_mmio block/virtio_blk; do
        f=$(ls "$1/usr/lib/modules/"*"/kernel/drivers/$m.ko"* 2>/dev/null | head -n 1)
        if [ -z "$f" ] && [ "${4:-}" = builtin-ok ]; then
            c=CONFIG_$(echo "${m#*/}" | tr '[:lower:]' '[:upper:]')
            grep -qx "$c=y" "$1/boot/config-"* 2>/dev/null && { rm -f "$3/${m#*/}.ko"; continue; }
        fi
        [ -n "$f" ] || die "$2 has no $m module"
        case "$f" in
            *.xz) xz -dc "$f" >"$3/${m#*/}.ko" ;;
            *.zst) zstd -dqc "$f" >"$3/${m#*/}.ko" ;;
            *.gz) gzip -dc "$f" >"$3/${m#*/}.ko" ;;
            *) cp "$f" "$3/${m#*/}.ko" ;;
        esac || die "cannot decompress $f"
    done
}

fetch_packages() {
    local kpkg kver bbver
    update_lists
    kpkg=$(kernel_package)
    [ -n "$kpkg" ] || skip "linux-image-riscv64 in $SUITE depends on no linux-image-VERSION package"
    kver=$(candidate "$kpkg")
    bbver=$(candidate busybox-static)
    sbiver=$(candidate opensbi)
    [ -n "$kver" ] && [ "$kver" != "(none)" ] || skip "$kpkg has no riscv64 candidate in $SUITE"
    [ -n "$bbver" ] && [ "$bbver" != "(none)" ] || skip "busybox-static has no riscv64 candidate in $SUITE"
    [ -n "$sbiver" ] && [ "$sbiver" != "(none)" ] || skip "opensbi has no candidate in $SUITE"

    work=$(mktemp -d "$CACHE/.work.XXXXXX") || die "cannot create a work directory in $CACHE"
    say "downloading $kpkg $kver, busybox-static $bbver and opensbi $sbiver (about 115 MB)"
    (cd "$work" && papt apt-get -q download "$kpkg=$kver" "busybox-static=$bbver" \
        "opensbi=$sbiver") >"$APTDIR/download.log" 2>&1 ||
        skip "downloading $kpkg, busybox-static and opensbi failed (offline?): see $APTDIR/download.log"

    say "unpacking"
    mkdir -p "$work/k" "$work/b" "$work/s"
    dpkg-deb -x "$work/${kpkg}_"*.deb "$work/k" || die "cannot unpack $kpkg"
    dpkg-deb -x "$work/busybox-static_"*.deb "$work/b" || die "cannot unpack busybox-static"
    dpkg-deb -x "$work/opensbi_"*.deb "$work/s" || die "cannot unpack opensbi"
    # the boot tests' firmware: the kernel's own release's OpenSBI (1.4
    # and later publish a hart's start address before its START_PENDING
    # state; Debian 12's 1.1 does it after, a race docs/design.md
    # "Known bugs" tells); the raw image, loaded at RAM start, since the
    # ELF of these releases is linked at 0 to be relocated
    mkdir -p "$CACHE/opensbi"
    cp "$work/s/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin" "$CACHE/opensbi/fw_jump.bin" ||
        die "opensbi has no generic/fw_jump.bin"

    extract_kernel "$work/k" "$CACHE/Image"
    cp "$work/b/usr/bin/busybox" "$CACHE/busybox.tmp" && mv "$CACHE/busybox.tmp" "$CACHE/busybox" ||
        die "busybox-static has no /usr/bin/busybox"
    extract_modules "$work/k" "$kpkg" "$CACHE/modules"
    {
        echo "suite $SUITE riscv64"
        echo "linux-image-riscv64 $(candidate linux-image-riscv64)"
        echo "$kpkg $kver"
        echo "busybox-static $bbver"
        echo "opensbi $sbiver ($SUITE, the boot tests'; $(dpkg-query -W -f='${Version}' opensbi) installed)"
        echo "u-boot-qemu $(dpkg-query -W -f='${Version}' u-boot-qemu)"
    } >"$CACHE/VERSIONS"
    rm -rf "$work"; work=
    # the downloaded lists are 10 MB and only needed again on --refresh
    rm -rf "$APTDIR/state/lists"
    echo "$SUITE" >"$STAMP"
}

# The arm64 kernel as -kernel loads it.  Debian's arm64 packages ship
# /boot/vmlinuz-VERSION as the raw arm64 Image (uncompressed, "ARM\x64"
# magic at 0x38, despite the name); a gzip'd one is unpacked, and so is an
# EFI zboot image ("MZ", "zimg" at 4: the little-endian offset and size of
# a gzip or zstd payload at 8 and 12, the compression's name at 0x18).
extract_kernel_arm64() {
    local root=$1 out=$2 k off size comp
    k=$(find "$root/boot" -maxdepth 1 -type f -name 'vmlinuz-*' | head -n 1)
    [ -n "$k" ] || die "the arm64 kernel package ships no /boot/vmlinuz-*: look at 'dpkg-deb -c' of it"
    if [ "$(head -c 2 "$k" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
        gzip -dc "$k" >"$out.tmp" || die "cannot gunzip $k"
    elif [ "$(dd if="$k" bs=1 skip=4 count=4 2>/dev/null)" = zimg ]; then
        off=$(od -An -tu4 -j8 -N4 --endian=little "$k" | tr -d ' ')
        size=$(od -An -tu4 -j12 -N4 --endian=little "$k" | tr -d ' ')
        comp=$(dd if="$k" bs=1 skip=24 count=8 2>/dev/null | tr -d '\0')
        case "$comp" in
            gzip) tail -c +$((off + 1)) "$k" | head -c "$size" | gzip -dc >"$out.tmp" ;;
            zstd) tail -c +$((off + 1)) "$k" | head -c "$size" | zstd -dqc >"$out.tmp" ;;
            *) die "$(basename "$k") is an EFI zboot image compressed with '$comp', which this script does not unpack" ;;
        esac || die "cannot unpack the zboot payload of $k"
    else
        cp "$k" "$out.tmp" || die "cannot copy $k"
    fi
    # arm64 Image header: magic "ARM\x64" at offset 0x38
    [ "$(dd if="$out.tmp" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' ')" = 41524d64 ] ||
        die "$(basename "$k") does not unpack to an arm64 Image"
    mv "$out.tmp" "$out"
}

# The arm64 kernel and busybox, the same way as the riscv64 ones, into
# $CACHE/arm64 (run in a subshell that set ARCH and APTDIR).
fetch_arm64_packages() {
    local dir=$CACHE/arm64 kpkg kver bbver
    update_lists
    kpkg=$(kernel_package)
    [ -n "$kpkg" ] || skip "linux-image-arm64 in $SUITE depends on no linux-image-VERSION package"
    kver=$(candidate "$kpkg")
    bbver=$(candidate busybox-static)
    [ -n "$kver" ] && [ "$kver" != "(none)" ] || skip "$kpkg has no arm64 candidate in $SUITE"
    [ -n "$bbver" ] && [ "$bbver" != "(none)" ] || skip "busybox-static has no arm64 candidate in $SUITE"

    work=$(mktemp -d "$CACHE/.work.XXXXXX") || die "cannot create a work directory in $CACHE"
    say "downloading $kpkg $kver and busybox-static $bbver for arm64 (about 95 MB)"
    (cd "$work" && papt apt-get -q download "$kpkg=$kver" "busybox-static=$bbver") \
        >"$APTDIR/download.log" 2>&1 ||
        skip "downloading the arm64 $kpkg and busybox-static failed (offline?): see $APTDIR/download.log"

    say "unpacking the arm64 packages"
    mkdir -p "$work/k" "$work/b"
    dpkg-deb -x "$work/${kpkg}_"*.deb "$work/k" || die "cannot unpack $kpkg"
    dpkg-deb -x "$work/busybox-static_"*.deb "$work/b" || die "cannot unpack the arm64 busybox-static"
    extract_kernel_arm64 "$work/k" "$dir/Image"
    cp "$work/b/usr/bin/busybox" "$dir/busybox.tmp" && mv "$dir/busybox.tmp" "$dir/busybox" ||
        die "the arm64 busybox-static has no /usr/bin/busybox"
    extract_modules "$work/k" "$kpkg" "$dir/modules" builtin-ok
    {
        echo "suite $SUITE arm64"
        echo "linux-image-arm64 $(candidate linux-image-arm64)"
        echo "$kpkg $kver"
        echo "busybox-static $bbver"
    } >"$dir/VERSIONS"
    rm -rf "$work"; work=
    rm -rf "$APTDIR/state/lists"
    echo "$SUITE" >"$dir/.complete"
}

if [ "$REFRESH" -eq 1 ] || [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$SUITE" ] ||
   [ ! -f "$CACHE/Image" ] || [ ! -f "$CACHE/busybox" ] || [ ! -f "$CACHE/opensbi/fw_jump.bin" ] ||
   [ ! -f "$CACHE/modules/virtio_blk.ko" ] || [ ! -f "$CACHE/modules/virtio_mmio.ko" ]; then
    rm -f "$STAMP"
    fetch_packages
else
    say "reusing the kernel and busybox in $CACHE (--refresh to look for newer ones)"
fi

# ---- step 3: the initramfs images ----
#
# Built every run (it takes a second) so that edits to the /init scripts
# below take effect; byte-for-byte reproducible: fixed owners and times,
# sorted names, gzip without a name or time.

# One newc cpio entry (header, name, data), for the device node that the
# kernel opens as the initial console before /init runs: a file list
# cannot create one without root's mknod.
newc_entry() {   # name mode rdevmajor rdevminor
    local name=$1 mode=$2 maj=$3 min=$4 namesize pad
    namesize=$(( ${#name} + 1 ))
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
        0 "$mode" 0 0 1 0 0 0 0 "$maj" "$min" "$namesize" 0
    printf '%s\0' "$name"
    pad=$(( (4 - (110 + namesize) % 4) % 4 ))
    head -c "$pad" /dev/zero
}

# The test init's line about the UARTs the kernel found (a second one when
# the test adds it): 16550s on riscv64's virt, PL011s on arm64's arm-virt
# (whose driver puts "uart:PL011 rev2", two words, before the address).
init_serial() {
    if [ "$ARCH" = arm64 ]; then
        cat <<'EOF'
# the PL011 UARTs the kernel found (a second one when the test adds it)
echo "loom-test: serial: $(echo $(grep -o 'mmio:0x[0-9A-Fa-f]*' /proc/tty/driver/ttyAMA))"
EOF
    else
        cat <<'EOF'
# the 16550 UARTs the kernel found (a second one when the test adds it)
echo "loom-test: serial: $(echo $(awk '/uart:16550A/ { print $3 }' /proc/tty/driver/serial))"
EOF
    fi
}

# The common start of both /init scripts.
init_common() {
    cat <<'EOF'
#!/bin/busybox sh
# loom boot-test init (generated by tests/system/images/fetch-images.sh)
/bin/busybox mkdir -p /proc /sys /dev /sbin /usr/bin /usr/sbin /tmp
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
insmod /lib/modules/virtio_mmio.ko
insmod /lib/modules/virtio_blk.ko
EOF
}

init_test() {
    init_common
    cat <<'EOF'
echo "loom-test: cpus online: $(nproc) ($(cat /sys/devices/system/cpu/online))"
echo "loom-test: mounts: $(echo $(awk '{ print $3 }' /proc/mounts))"
echo "loom-test: ls /: $(echo $(ls /))"
echo "loom-test: sha256 of seq 1 10000: $(seq 1 10000 | sha256sum | cut -d' ' -f1)"
# one sha256sum per CPU at once (seq 1 25000, 50000, ...): the first 16
# digits of each digest, in order
n=$(nproc)
i=1
while [ $i -le "$n" ]; do
    seq 1 $((i * 25000)) | sha256sum >/tmp/par.$i &
    i=$((i + 1))
done
wait
sums=$(i=1; while [ $i -le "$n" ]; do cut -c1-16 /tmp/par.$i; i=$((i + 1)); done)
echo "loom-test: parallel sha256: $(echo $sums)"
EOF
    init_serial
    cat <<'EOF'
# a virtio-blk disk, when the test gave one: its probe may finish just
# after insmod returns, so wait a little for the node
if grep -qx 0x0002 /sys/bus/virtio/devices/*/device 2>/dev/null; then
    i=0
    while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    echo "loom-test: vda line 1: $(head -n 1 /dev/vda)"
    echo "loom-test: vda sha256: $(sha256sum </dev/vda | cut -d' ' -f1)"
fi
echo "loom-test: done"
# poweroff -f does not wait for the console: give the tty a moment to
# send what is still buffered, or the last lines are cut
sleep 1
poweroff -f
EOF
}

init_shell() {
    init_common
    cat <<'EOF'
echo "loom: $(nproc) CPUs online; busybox shell on the console, 'poweroff -f' to stop"
setsid cttyhack sh -l
poweroff -f
EOF
}

# bench/run's Linux workload: one sha256sum of a 16 MiB file per CPU, in
# parallel, between two marker lines that the host timestamps as they
# arrive on the console; then the digests (all the same), and power off.
init_bench() {
    init_common
    cat <<'EOF'
echo "loom-bench: init reached, uptime $(cut -d' ' -f1 /proc/uptime) s"
n=$(nproc)
dd if=/dev/zero of=/tmp/data bs=1M count=16 2>/dev/null
echo "loom-bench: job start, $n CPUs"
i=0
while [ $i -lt "$n" ]; do
    sha256sum /tmp/data >/tmp/sum.$i &
    i=$((i + 1))
done
wait
echo "loom-bench: job end"
echo "loom-bench: sha256 $(cut -d' ' -f1 /tmp/sum.* | sort -u | tr '\n' ' ')"
echo "loom-bench: done"
# as in the test init: let the tty send the last lines before poweroff -f
sleep 1
poweroff -f
EOF
}

# tests/torture/linux-shootdown.sh's workload.  The test appends a second
# cpio archive holding /shootdown (built from tests/torture/linux/
# shootdown.c; the kernel unpacks concatenated archives in order), which
# runs while four sha256sum pipelines load the CPUs; then the pipelines'
# digests and the IPI lines of /proc/interrupts, and power off.
init_shootdown() {
    init_common
    cat <<'EOF'
echo "loom-shootdown: cpus online: $(nproc)"
i=1
while [ $i -le 4 ]; do
    seq 1 $((i * 25000)) | sha256sum >/tmp/load.$i &
    i=$((i + 1))
done
if [ -x /shootdown ]; then
    /shootdown
    echo "loom-shootdown: exit $?"
else
    echo "loom-shootdown: no /shootdown: the test appends it to this initramfs"
fi
wait
for i in 1 2 3 4; do
    echo "loom-shootdown: load $i: $(cut -d' ' -f1 /tmp/load.$i)"
done
grep IPI /proc/interrupts | while read -r line; do
    echo "loom-shootdown: interrupts: $(echo $line)"
done
echo "loom-shootdown: done"
# as in the test init: let the tty send the last lines before poweroff -f
sleep 1
poweroff -f
EOF
}

# The busybox and modules come from directory $3 (default $CACHE: riscv64).
build_initramfs() {   # init-function output [directory]
    local gen=$1 out=$2 src=${3:-$CACHE} root
    root=$(mktemp -d "$CACHE/.root.XXXXXX") || die "cannot create a directory in $CACHE"
    mkdir -p "$root/bin" "$root/lib/modules" "$root/proc" "$root/sys" "$root/tmp" "$root/root"
    cp "$src/busybox" "$root/bin/busybox" && chmod 755 "$root/bin/busybox"
    # (an arm64 kernel may build them in: then there are none)
    cp "$src/modules/"*.ko "$root/lib/modules/" 2>/dev/null
    "$gen" >"$root/init" && chmod 755 "$root/init"
    find "$root" -exec touch -h -d @0 {} +
    {
        newc_entry dev $((0040755)) 0 0
        newc_entry dev/console $((0020600)) 5 1
        newc_entry TRAILER!!! 0 0 0
        (cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
            cpio -o -H newc --owner=0:0 --reproducible --quiet)
    } | gzip -9n >"$out.tmp"
    local st=$?
    rm -rf "$root"
    [ $st -eq 0 ] || die "building $out failed"
    if cmp -s "$out.tmp" "$out"; then rm -f "$out.tmp"; else mv "$out.tmp" "$out"; fi
}

say "building the initramfs images"
build_initramfs init_test "$CACHE/initramfs.cpio.gz"
build_initramfs init_shell "$CACHE/initramfs-shell.cpio.gz"
build_initramfs init_bench "$CACHE/initramfs-bench.cpio.gz"
build_initramfs init_shootdown "$CACHE/initramfs-shootdown.cpio.gz"

# ---- step 4: the arm64 images, for tests/system/boot-arm64.sh ----
#
# In a subshell with its own private apt ($CACHE/arm64/apt), so that a
# skip here (exit 77: offline on the first run, ...) leaves the riscv64
# images above ready; boot-arm64.sh skips while its images are missing.
arm64_images() {
    local dir=$CACHE/arm64
    ARCH=arm64
    APTDIR=$dir/apt
    trap cleanup EXIT
    mkdir -p "$dir" || die "cannot create $dir"
    if [ "$REFRESH" -eq 1 ] || [ ! -f "$dir/.complete" ] || [ "$(cat "$dir/.complete")" != "$SUITE" ] ||
       [ ! -f "$dir/Image" ] || [ ! -f "$dir/busybox" ] || [ ! -d "$dir/modules" ]; then
        rm -f "$dir/.complete"
        fetch_arm64_packages
    else
        say "reusing the arm64 kernel and busybox in $dir"
    fi
    say "building the arm64 initramfs images"
    build_initramfs init_test "$dir/initramfs.cpio.gz" "$dir"
    build_initramfs init_shell "$dir/initramfs-shell.cpio.gz" "$dir"
    build_initramfs init_bench "$dir/initramfs-bench.cpio.gz" "$dir"
}
( arm64_images )
st=$?
[ "$st" -eq 0 ] || [ "$st" -eq 77 ] || exit "$st"

say "ready in $CACHE:"
sed 's/^/  /' "$CACHE/VERSIONS"
if [ "$st" -eq 0 ]; then
    say "and the arm64 images in $CACHE/arm64:"
    sed 's/^/  /' "$CACHE/arm64/VERSIONS"
else
    say "(no arm64 images: the SKIP line above says why)"
fi
exit 0
