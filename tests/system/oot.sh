#!/bin/bash
# The in-tree guest and host plugins as third parties would build them:
# make install into a DESTDIR staging prefix, copy plugins/frontends/riscv
# and plugins/backends/x86_64 out of the tree, build each with its own
# Makefile knowing loom only through pkg-config loom-plugin, install both
# into one directory, and run the staged loom with --plugin-path on it:
# the copies are the plugins loaded (-d plugin names their files), -d
# out_asm still disassembles, every guest test passes on both back-ends
# (thread=multi; the interpreter is the staged one), and OpenSBI + U-Boot
# boot on both.  Prints TAP.
set -u
BUILD=$(cd "${LOOM_BUILDDIR:-.}" && pwd)
SRC=$(cd "${LOOM_SRCDIR:-.}" && pwd)
ELF_DIR=${GUEST_ELF_DIR:-$BUILD/tests/guest}
. "$(dirname "$0")/tap.sh"
# details of a failure, every line a TAP comment (sub-suites' lines too)
fail() {
    n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift
    local l; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}

echo "1..10"

stage=$tmp/stage
prefix=/usr/local
root=$stage$prefix
sloom=$root/bin/loom
plugins=$tmp/plugins
pass_bin=$tmp/pass.bin
# a RISC-V guest that passes at once: li a0,0x5555; lui t0,0x100; sw a0,0(t0)
printf '\x37\x55\x00\x00\x1b\x05\x55\x55\xb7\x02\x10\x00\x23\xa0\xa2\x00\x6f\x00\x00\x00' >"$pass_bin"

# the build's make, without the flags of the make running this test
bmake() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} "$@"; }

(cd "$BUILD" && bmake -s install DESTDIR="$stage" prefix="$prefix") >"$tmp/install.log" 2>&1
st=$?
if [ "$st" -eq 0 ] && [ -x "$sloom" ] && [ -f "$root/lib/pkgconfig/loom-plugin.pc" ]; then
    ok "make install DESTDIR=... stages loom and loom-plugin.pc"
else
    fail "make install DESTDIR=..." "exit $st" "$(tail -c 600 "$tmp/install.log")"
fi
x86=no
[ -f "$root/lib/loom/backend-x86_64.so" ] && x86=yes

# copies of the two plugin directories; only pkg-config says where loom
# is (--define-prefix rebases the staged .pc on its location; GLib,
# libfdt and Capstone come from the system's pkg-config as they are)
export PKG_CONFIG_PATH=$root/lib/pkgconfig
mkdir -p "$tmp/work" "$plugins"
cp -R "$SRC/plugins/frontends/riscv" "$SRC/plugins/frontends/aarch64" \
    "$SRC/plugins/backends/x86_64" "$tmp/work/"
chmod -R u+w "$tmp/work"
# the project's own warnings (configure.ac), as errors
cflags="-O2 -g -Wall -Wextra -Wno-unused-parameter -Wmissing-prototypes -Wstrict-prototypes -Wshadow=local -Wformat=2 -Werror"
oot_build() {   # dir plugin-file
    local dir=$1 so=$2 st
    bmake -C "$tmp/work/$dir" LOOM_PKG_CONFIG="pkg-config --define-prefix" \
        CFLAGS="$cflags" all install plugindir="$plugins" >"$tmp/$dir.log" 2>&1
    st=$?
    if [ "$st" -eq 0 ] && [ -f "$plugins/$so" ] &&
       ! grep -qF -- "$SRC" "$tmp/$dir.log" "$plugins/$so" &&
       ! grep -qF -- "$BUILD" "$tmp/$dir.log" "$plugins/$so"; then
        ok "$dir: a copy builds with pkg-config loom-plugin only, no path into the tree ($so)"
    else
        fail "$dir: a copy builds with pkg-config loom-plugin only" \
             "exit $st; build log (must not name $SRC or $BUILD):" \
             "$(tail -c 800 "$tmp/$dir.log")"
    fi
}
oot_build riscv frontend-riscv64.so
oot_build aarch64 frontend-aarch64.so
if [ "$x86" = yes ]; then
    oot_build x86_64 backend-x86_64.so
else
    skip_ok "x86_64: a copy builds with pkg-config loom-plugin only" "no x86_64 back-end on this host"
fi

# the staged loom with --plugin-path: the copies win over the staged
# plugins of the same names
be=interp
[ "$x86" = yes ] && be=x86_64
(cd "$tmp" && timeout 20 "$sloom" --plugin-path "$plugins" -d plugin -M virt -bios none \
    -kernel "$pass_bin" -nographic) </dev/null >"$tmp/out" 2>&1
st=$?
loaded() {   # kind name dir
    grep -q "^plugin: loaded $1 plugin '$2' .* from $3/$1-$2.so\$" "$tmp/out"
}
if [ "$st" -eq 0 ] && loaded frontend riscv64 "$plugins" &&
   { [ "$x86" = no ] || loaded backend x86_64 "$plugins"; } &&
   ! grep -q "^plugin: loaded .* from $root/lib/loom/\(frontend-riscv64\|backend-x86_64\)\.so" "$tmp/out"; then
    ok "--plugin-path: the copies are loaded (riscv64 front-end, $be back-end), not the staged files"
else
    fail "--plugin-path: the copies are loaded" "exit $st" "$(grep -e '^plugin: loaded' -e '^loom' "$tmp/out" | head -c 800)"
fi
# -accel help lists the copy's back-end and the staged interpreter
"$sloom" --plugin-path "$plugins" -accel help >"$tmp/out" 2>&1
if grep -q "^interp .*($root/lib/loom/backend-interp.so)\$" "$tmp/out" &&
   { [ "$x86" = no ] || grep -q "^x86_64 .*($plugins/backend-x86_64.so)\$" "$tmp/out"; }; then
    ok "-accel help: x86_64 from the copy, interp from the staged loom"
else
    fail "-accel help: x86_64 from the copy, interp from the staged loom" "$(head -c 600 "$tmp/out")"
fi
# the copy's -d out_asm: Capstone's mnemonics when it was found, so the
# back-end's build knows HAVE_CAPSTONE without loom's config.h
if [ "$x86" = no ]; then
    skip_ok "-d out_asm on the copied back-end disassembles" "no x86_64 back-end on this host"
elif ! pkg-config --exists capstone; then
    skip "-d out_asm on the copied back-end disassembles" "no capstone.pc (libcapstone-dev)"
else
    timeout 20 "$sloom" --plugin-path "$plugins" -d out_asm -M virt -bios none \
        -kernel "$pass_bin" -nographic </dev/null >"$tmp/out" 2>&1
    st=$?
    if [ "$st" -eq 0 ] && grep -q '^  0x0000:  lea  *rax, \[rip - 0x[0-9a-f]*\]$' "$tmp/out"; then
        ok "-d out_asm on the copied back-end disassembles (Capstone)"
    else
        fail "-d out_asm on the copied back-end disassembles" "exit $st" "$(head -n 5 "$tmp/out")"
    fi
fi

# a command that runs the staged loom on the copies; a back-end given
# here holds for the whole run (a later -accel tcg,thread=... keeps it)
wrap() {   # file backend
    printf '#!/bin/sh\nexec "%s" --plugin-path "%s" %s "$@"\n' "$sloom" "$plugins" \
        "${2:+-accel tcg,backend=$2}" >"$1"
    chmod +x "$1"
}
wrap "$tmp/loom-oot" ""

# sub-suite SCRIPT's TAP as one line: ok when it ran and all passed;
# a skipped plan or skipped tests are a skip (a failure under CI)
subsuite() {   # desc log st
    local desc=$1 log=$2 st=$3 runs notok skips
    runs=$(grep -c '^ok ' "$log")
    notok=$(grep -c '^not ok ' "$log")
    skips=$(grep -c '^ok .* # SKIP' "$log")
    if grep -q '^1\.\.0 # SKIP' "$log"; then
        skip "$desc" "$(sed -n 's/^1\.\.0 # SKIP //p' "$log")"
    elif [ "$st" -eq 0 ] && [ "$notok" -eq 0 ] && [ "$runs" -gt 0 ] && [ "$skips" -eq 0 ]; then
        ok "$desc ($runs runs)"
    elif [ "$st" -eq 0 ] && [ "$notok" -eq 0 ] && [ "$skips" -gt 0 ]; then
        skip "$desc" "$(grep -m1 '^ok .* # SKIP' "$log" | sed 's/.* # SKIP //')"
    else
        fail "$desc" "exit $st, $notok failed of $((runs + notok))" \
             "$(grep -A4 '^not ok ' "$log" | head -n 40)"
    fi
}

# every guest test, thread=multi, on every back-end -accel help lists
# (the copied x86_64 and the staged interp), optimiser on and off
env -u GUEST_TESTS -u GUEST_BACKENDS -u GUEST_OPTS GUEST_MODES=multi LOOM="$tmp/loom-oot" \
    bash "$SRC/tests/guest/run-guest-tests.sh" "$ELF_DIR" >"$tmp/guest.log" 2>&1
st=$?
want="interp"
[ "$x86" = yes ] && want="x86_64 interp"
for b in $want; do
    grep -q "^ok .*backend=$b" "$tmp/guest.log" || grep -q '^1\.\.0 # SKIP' "$tmp/guest.log" ||
        echo "not ok - no guest test ran on backend=$b" >>"$tmp/guest.log"
done
subsuite "guest tests on the copies (thread=multi, back-ends: $want)" "$tmp/guest.log" "$st"

# OpenSBI + U-Boot on 4 harts, both thread modes, on each back-end
for b in x86_64 interp; do
    if [ "$b" = x86_64 ] && [ "$x86" = no ]; then
        skip_ok "OpenSBI + U-Boot on the copies, backend=x86_64" "no x86_64 back-end on this host"
        continue
    fi
    wrap "$tmp/loom-oot-$b" "$b"
    LOOM="$tmp/loom-oot-$b" bash "$SRC/tests/system/boot-uboot.sh" >"$tmp/boot-$b.log" 2>&1
    subsuite "OpenSBI + U-Boot on the copies, backend=$b" "$tmp/boot-$b.log" $?
done

[ "$failed" -eq 0 ]
