#!/bin/bash
# The core knows no guest and no host (docs/design.md, "ABI 2.0"): no
# RISC-V word and no host-architecture test anywhere in core/, comments
# included; what is ISA- or host-specific lives in plugins and machine
# files.  Prints TAP.
set -u
SRC=${LOOM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$(dirname "$0")/tap.sh"
echo "1..2"

check_absent() {   # desc regex
    local hits
    hits=$(grep -rniE -- "$2" "$SRC/core" --include='*.c' --include='*.h' | head -n 5)
    if [ -z "$hits" ] && [ -d "$SRC/core" ]; then
        ok "$1"
    else
        fail "$1" "${hits:-no $SRC/core}"
    fi
}
check_absent "core/ names no guest ISA or firmware" 'riscv|rv64|opensbi'
check_absent "core/ tests no host architecture" '__x86_64__|__aarch64__|__i386__|__arm__'
[ "$failed" -eq 0 ]
