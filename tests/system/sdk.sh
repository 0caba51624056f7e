#!/bin/bash
# The plugin SDK as a third party meets it: make install into a DESTDIR
# staging prefix, loom-plugin.pc, the staged loom finding its own plugins
# and machines, the examples (examples/acc, examples/ticker) built from a
# copy of their directories with nothing but pkg-config loom-plugin, run
# on the staged loom, and plugins built for another ABI refused with both
# versions named.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
BUILD=$(cd "${LOOM_BUILDDIR:-.}" && pwd)
SRC=$(cd "${LOOM_SRCDIR:-.}" && pwd)
. "$(dirname "$0")/tap.sh"

echo "1..20"

stage=$tmp/stage
prefix=/usr/local
root=$stage$prefix
sloom=$root/bin/loom
# the build's make, without the flags of the make running this test
(cd "$BUILD" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s install \
    DESTDIR="$stage" prefix="$prefix") >"$tmp/install.log" 2>&1
st=$?
missing=
for f in bin/loom lib/loom/frontend-riscv64.so lib/loom/backend-interp.so \
         lib/loom/device-ns16550a.so share/loom/machines/virt.machine \
         include/loom/loom.h include/loom/plugin.h include/loom/frontend.h \
         include/loom/device.h lib/pkgconfig/loom-plugin.pc; do
    [ -f "$root/$f" ] || missing="$missing $f"
done
if [ "$st" -eq 0 ] && [ -z "$missing" ]; then
    ok "make install DESTDIR=... prefix=$prefix installs loom, plugins, machines, headers, .pc"
else
    fail "make install DESTDIR=... prefix=$prefix" "exit $st, missing:$missing" \
         "$(tail -c 600 "$tmp/install.log")"
fi

# pkg-config on the staged .pc: --define-prefix takes the prefix from
# where the file is, so every variable follows the staging directory
export PKG_CONFIG_PATH=$root/lib/pkgconfig
pc="pkg-config --define-prefix"
cflags=$($pc --cflags loom-plugin 2>&1 | sed 's/ *$//')
plugindir=$($pc --variable=plugindir loom-plugin 2>&1)
machinedir=$($pc --variable=machinedir loom-plugin 2>&1)
abi="$($pc --variable=abi_major loom-plugin).$($pc --variable=abi_minor loom-plugin)"
if [ "$cflags" = "-I$root/include" ] && [ "$plugindir" = "$root/lib/loom" ] &&
   [ "$machinedir" = "$root/share/loom/machines" ]; then
    ok "loom-plugin.pc: cflags, plugindir, machinedir"
else
    fail "loom-plugin.pc: cflags, plugindir, machinedir" "cflags '$cflags'" \
         "plugindir '$plugindir'" "machinedir '$machinedir'"
fi
if "$sloom" --version 2>&1 | grep -qF "plugin ABI $abi"; then
    ok "loom-plugin.pc: abi_major.abi_minor ($abi) is the staged loom's plugin ABI"
else
    fail "loom-plugin.pc ABI" "pc says $abi" "$("$sloom" --version 2>&1 | head -3)"
fi

# the staged loom uses the staged directories, not the build tree's
(cd "$tmp" && "$sloom" -d plugin -M help) >"$tmp/out" 2>&1
if grep -qxF "plugin: search path 0: $root/lib/loom" "$tmp/out" &&
   ! grep -q "search path 1" "$tmp/out" &&
   grep -q "^virt .*($root/share/loom/machines/virt.machine)\$" "$tmp/out"; then
    ok "staged loom: its plugin path is the staged plugin directory, -M help the staged machines"
else
    fail "staged loom's plugin path and machines" "$(head -c 600 "$tmp/out")"
fi
# while the build tree's loom, uninstalled, uses the build tree's plugins
(cd "$tmp" && "$LOOM" -d plugin -M help) >"$tmp/out" 2>&1
if grep -qxF "plugin: search path 0: $BUILD/plugins" "$tmp/out" &&
   grep -qF "(${LOOM_SRCDIR:-.}/machines/virt.machine)" "$tmp/out"; then
    ok "build-tree loom: the build tree's plugins and the source tree's machines first"
else
    fail "build-tree loom's plugin path and machines" "$(head -c 600 "$tmp/out")"
fi
# a RISC-V guest that passes at once: li a0,0x5555; lui t0,0x100; sw a0,0(t0)
printf '\x37\x55\x00\x00\x1b\x05\x55\x55\xb7\x02\x10\x00\x23\xa0\xa2\x00\x6f\x00\x00\x00' >"$tmp/pass.bin"
timeout 20 "$sloom" -M virt -kernel "$tmp/pass.bin" -nographic </dev/null >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 0 ]; then
    ok "staged loom runs -M virt with its staged plugins"
else
    fail "staged loom runs -M virt" "exit $st" "$(head -c 400 "$tmp/out")"
fi

# the examples, from a copy of their directories: only pkg-config
# loom-plugin says where loom is
mkdir -p "$tmp/work"
cp -R "$SRC/examples/acc" "$SRC/examples/ticker" "$tmp/work/"
chmod -R u+w "$tmp/work"
exflags="-O2 -Wall -Wextra -Wno-unused-parameter -Werror"
for ex in acc ticker; do
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -C "$tmp/work/$ex" \
        PKG_CONFIG="$pc" CFLAGS="$exflags" all install >"$tmp/$ex.log" 2>&1
    st=$?
    if [ "$st" -eq 0 ] && ! grep -qF -- "$SRC" "$tmp/$ex.log" &&
       ! grep -qF -- "$BUILD" "$tmp/$ex.log"; then
        ok "examples/$ex: make && make install with pkg-config loom-plugin only"
    else
        fail "examples/$ex: make && make install" "exit $st" "$(tail -c 600 "$tmp/$ex.log")"
    fi
done
# the acceptance's own command line
mkdir -p "$tmp/direct"
if ${CC:-cc} $(pkg-config --define-prefix --cflags loom-plugin) -shared -fPIC \
       -o "$tmp/direct/device-ticker.so" "$tmp/work/ticker/ticker.c" 2>"$tmp/cc.err"; then
    ok "cc \$(pkg-config --cflags loom-plugin) -shared -fPIC builds the ticker"
else
    fail "cc \$(pkg-config --cflags loom-plugin) -shared -fPIC" "$(head -c 400 "$tmp/cc.err")"
fi

# the staged loom runs the example machine: "hi", three ticker
# interrupts, the ticker's count; one thread (acc declares no MTTCG)
run_acc() {
    local desc=$1 loom=$2; shift 2
    (cd "$tmp" && timeout 20 "$loom" -M acc -kernel "$tmp/work/acc/hello.bin" -nographic "$@") \
        </dev/null >"$tmp/out" 2>"$tmp/err"
    local st=$?
    if [ "$st" -eq 0 ] && [ "$(od -An -c "$tmp/out" | tr -s ' ')" = " h i \n 3 \n" ]; then
        ok "$desc"
    else
        fail "$desc" "exit $st, want stdout 'hi\\n3\\n'" "stdout: $(od -An -c "$tmp/out" | head -2)" \
             "stderr: $(head -c 400 "$tmp/err")"
    fi
}
backends=interp
[ -f "$root/lib/loom/backend-x86_64.so" ] && backends="$backends x86_64"
for be in $backends; do
    run_acc "staged loom, -M acc (example ISA and device), backend=$be" "$sloom" \
        -accel tcg,backend=$be
done
[ "$backends" = interp ] && skip_ok "-M acc, backend=x86_64" "no x86_64 back-end on this host"
run_acc "-M acc -d mttcg: one thread for the front-end without MTTCG" "$sloom" -d mttcg
if grep -qF "(thread=auto: the front-end does not support MTTCG)" "$tmp/err"; then
    ok "-M acc -d mttcg says why it runs single-threaded"
else
    fail "-M acc -d mttcg says why" "$(head -c 400 "$tmp/err")"
fi
# a guest error in the example ISA: one line, exit status 1
printf '\x01\x02\x03\x00\x0e\x00\x00\x00' >"$tmp/illegal.bin"
LOOM=$sloom expect_error "acc: an illegal instruction stops the machine with one line" \
    "^acc: pc 0x4: illegal instruction 0xe: the machine stops\$" -M acc -kernel "$tmp/illegal.bin"

# plugins built against the installed headers but claiming another ABI
mkdir -p "$tmp/abi"
cat >"$tmp/abi/abi.c" <<'CEOF'
#include <loom/loom.h>
static void *create(LoomDevice *dev, char **err) { return (void *)1; }
static const LoomPropInfo props[] = { { 0 } };
static const LoomDeviceOps ops = { .props = props, .create = create };
__attribute__((visibility("default")))
const LoomPluginDescriptor loom_plugin_descriptor = {
    .abi_major = LOOM_ABI_MAJOR + DMAJOR, .abi_minor = LOOM_ABI_MINOR + DMINOR,
    .kind = LOOM_PLUGIN_DEVICE, .name = NAME, .version = "1.0", .license = "MIT",
    .description = "a plugin from another ABI", .ops = &ops,
};
CEOF
abi_build() {
    local name=$1 dmajor=$2 dminor=$3
    ${CC:-cc} $cflags -shared -fPIC -DDMAJOR="$dmajor" -DDMINOR="$dminor" -DNAME="\"$name\"" \
        -o "$tmp/abi/device-$name.so" "$tmp/abi/abi.c" 2>"$tmp/cc.err" || echo "# cc failed: $(cat "$tmp/cc.err")"
}
abi_case() {
    local name=$1 dmajor=$2 dminor=$3 want=$4
    abi_build "$name" "$dmajor" "$dminor"
    LOOM=$sloom expect_error "ABI $want refused with both versions named" \
        "^loom: .*plugin device-$name.so was built for ABI $want, this loom provides $abi: rebuild the plugin against this loom's headers\$" \
        --plugin-path "$tmp/abi" -M acc -device "$name" -kernel "$tmp/work/acc/hello.bin"
}
major=${abi%.*} minor=${abi#*.}
abi_case newminor 0 1 "$major.$((minor + 1))"
abi_case nextmajor 1 "-$minor" "$((major + 1)).0"
abi_case prevmajor -1 0 "$((major - 1)).$minor"
# the last 1.x, whose layout 2.0 replaced
abi_case abi13 $((1 - major)) $((3 - minor)) "1.3"
# an older minor of the same major is accepted
if [ "$minor" -gt 0 ]; then
    abi_build oldminor 0 -1
    run_acc "ABI $major.$((minor - 1)) (older minor) accepted" "$sloom" \
        --plugin-path "$tmp/abi" -device oldminor
else
    skip_ok "older minor accepted" "the ABI is $abi: there is no older minor"
fi

# the installation moved elsewhere as a whole still finds its own files
mkdir -p "$tmp/moved"
mv "$root" "$tmp/moved/opt"
run_acc "a moved installation (prefix/bin/loom, prefix/lib/loom) finds its plugins and machines" \
    "$tmp/moved/opt/bin/loom"

[ "$failed" -eq 0 ]
