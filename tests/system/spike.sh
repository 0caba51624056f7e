#!/bin/bash
# -M spike: riscv-tests-convention programs talk to loom through HTIF
# (their tohost/fromhost words); loom's exit status is theirs.  Exact exit
# statuses and console output, in both thread modes.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
GUESTS=${LOOM_BUILDDIR:-.}/tests/system/guests
. "$(dirname "$0")/tap.sh"

if [ ! -f "$GUESTS/htif-pass.elf" ]; then
    skip_plan "spike guests not built (no riscv64-unknown-elf-gcc)"
    exit 0
fi

# run NAME WANT_STATUS WANT_STDOUT WANT_STDERR MODE
run() {
    local name=$1 want_st=$2 want_out=$3 want_err=$4 mode=$5 st what
    what="$name: exit $want_st${want_out:+, console '${want_out//$'\n'/\\n}'} (thread=$mode)"
    timeout 30 "$LOOM" -M spike -accel tcg,thread=$mode -bios none \
        -kernel "$GUESTS/$name.elf" </dev/null >"$tmp/out" 2>"$tmp/err"
    st=$?
    if [ "$st" -eq "$want_st" ] && [ "$(cat "$tmp/out")" = "$want_out" ] &&
       [ "$(cat "$tmp/err")" = "$want_err" ]; then
        ok "$what"
    else
        fail "$what" "exit $st" "stdout: $(head -c 200 "$tmp/out")" "stderr: $(head -c 300 "$tmp/err")"
    fi
}

echo "1..14"
for mode in single multi; do
    run htif-pass 0 "" "" $mode
    run htif-fail 3 "" "" $mode
    run htif-hello 0 "hello from htif" "" $mode
    run htif-write 0 "write ok" "" $mode
    run htif-notohost 1 "" "loom: htif: the program has no 'tohost' symbol: link it with 8-byte tohost/fromhost words (riscv-tests convention), or run it on -M virt" $mode
done

# -smp 2: hart 1 parks, hart 0's exit still ends the run
timeout 30 "$LOOM" -M spike -smp 2 -bios none -kernel "$GUESTS/htif-fail.elf" </dev/null >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 3 ] && [ ! -s "$tmp/out" ]; then
    ok "htif-fail: exit 3 with -smp 2"
else
    fail "htif-fail: exit 3 with -smp 2" "exit $st" "$(head -c 200 "$tmp/out")"
fi

# the device tree names HTIF and the CLINT as spike's does
if timeout 10 "$LOOM" -M spike,dumpdtb="$tmp/spike.dtb" -bios none \
       -kernel "$GUESTS/htif-pass.elf" </dev/null >/dev/null 2>&1 &&
   grep -qa "ucb,htif0" "$tmp/spike.dtb"; then
    ok "dumpdtb: /htif compatible ucb,htif0"
else
    fail "dumpdtb: /htif compatible ucb,htif0"
fi

# the loader reads the symbol table with every offset checked: a corrupt
# one is one line, exit 1 (little-endian fields patched in a copy)
u() { od -An -t "u$2" -j "$3" -N "$2" "$1" | tr -d ' '; }
put() {     # FILE OFFSET BYTES VALUE
    local i s=""
    for ((i = 0; i < $3; i++)); do s+=$(printf '\\x%02x' $((($4 >> (8 * i)) & 255))); done
    printf "$s" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
corrupt() { # NAME WANT_ERROR_TAIL
    local st what="corrupt ELF: $1 is one error line, exit 1"
    timeout 10 "$LOOM" -M spike -bios none -kernel "$tmp/$1.elf" </dev/null >"$tmp/out" 2>"$tmp/err"
    st=$?
    if [ "$st" -eq 1 ] && [ ! -s "$tmp/out" ] &&
       [ "$(cat "$tmp/err")" = "loom: -kernel: $tmp/$1.elf: $2" ]; then
        ok "$what"
    else
        fail "$what" "exit $st" "stderr: $(head -c 300 "$tmp/err")"
    fi
}
cp "$GUESTS/htif-pass.elf" "$tmp/shoff.elf"
put "$tmp/shoff.elf" $((0x28)) 8 $((0x7fffffff00))
corrupt shoff "truncated or corrupt ELF section headers: rebuild the image"
# the last symbol (a global) gets a name offset past the string table
cp "$GUESTS/htif-pass.elf" "$tmp/stname.elf"
shoff=$(u "$tmp/stname.elf" 8 $((0x28))) shnum=$(u "$tmp/stname.elf" 2 $((0x3c)))
for ((i = 0; i < shnum; i++)); do
    sh=$((shoff + 64 * i))
    if [ "$(u "$tmp/stname.elf" 4 $((sh + 4)))" -eq 2 ]; then      # SHT_SYMTAB
        last=$(($(u "$tmp/stname.elf" 8 $((sh + 24))) + $(u "$tmp/stname.elf" 8 $((sh + 32))) - 24))
        put "$tmp/stname.elf" "$last" 4 $((0x7fffffff))
    fi
done
corrupt stname "ELF symbol name outside the string table: rebuild the image"

echo "# spike: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
