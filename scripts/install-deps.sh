#!/bin/bash
# Install what building and testing loom needs on Debian 12, with apt.
# Runs as root, or through sudo when it is available.  Installs only the
# packages that are missing.
set -eu

packages=(
    build-essential autoconf automake pkg-config   # the build
    libglib2.0-dev libfdt-dev                      # glib/gmodule, libfdt
    gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf  # guest programs
    gcc-aarch64-linux-gnu                          # AArch64 guest programs
    gdb-multiarch                                  # tests/system/gdbstub.sh
    device-tree-compiler                           # dtc, to read dumped trees
    qemu-system-misc                               # bench/run compares with QEMU
    qemu-system-arm                                # AArch64 tests' reference
    libcapstone-dev                                # optional: -d out_asm disassembly
    clang libclang-rt-14-dev                       # make fuzz: libFuzzer, ASan, UBSan
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: everything is installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "install-deps: need root to install: ${missing[*]} (run as root or install sudo)" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
