#!/bin/bash
# The gdbstub (-gdb tcp::PORT, -s, -S; docs/manual.md "Debugging with
# GDB"): Debian's gdb-multiarch in batch mode against a 4-hart guest
# with symbols (tests/system/guests/gdb-guest.S), in both thread modes:
# thread list, a breakpoint at a symbol, stepi, exact register values
# (a1, mhartid of another hart, f registers), register and memory writes
# the guest's exit status shows, a watchpoint stopping at the store,
# continue to the guest's exit; Ctrl-C (0x03) at the protocol level;
# kill; a debugger that vanishes mid-run leaves the guest running to its
# exit; attaching to a running guest (no -S) stops it, and a detach lets
# it run on, twice; a written pc stays instruction-aligned; a packet
# beyond PacketSize and a checksum that is not hex are NAKed; bad -gdb
# arguments and a port in use are one-line errors; an aarch64 guest's
# registers (GDB's aarch64 core feature), stepi and a memory write.
# Every command runs under timeout.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
. "$(dirname "$0")/tap.sh"
ELF=${LOOM_BUILDDIR:-.}/tests/system/guests/gdb-guest.elf
SPIN_ELF=${LOOM_BUILDDIR:-.}/tests/system/guests/gdb-guest-spin.elf
GDB=${GDB:-gdb-multiarch}
modes="single multi"

echo "1..20"

# A port nothing listens on now (another test may take it before loom
# does: run_loom retries on "in use").
free_port() {
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    echo 0
}

# run_loom MODE ARGS...: start loom -S -gdb tcp::$port in the background
# (pid in $lpid, output in $tmp/loom.out); with run_running=1, without
# -S, and with the guest that spins until a debugger lets it go.
run_loom() {
    local mode=$1 elf=$ELF stop=-S; shift
    if [ "${run_running:-0}" = 1 ]; then
        elf=$SPIN_ELF stop=
    fi
    for _ in 1 2 3 4 5; do
        port=$(free_port)
        timeout 60 "$LOOM" -M virt -smp 4 -accel tcg,thread="$mode" -bios none \
            -kernel "$elf" -nographic $stop -gdb tcp::"$port" "$@" \
            </dev/null >"$tmp/loom.out" 2>&1 &
        lpid=$!
        sleep 0.2
        if ! grep -q "is in use" "$tmp/loom.out"; then
            return
        fi
        wait "$lpid"
    done
}

# gdb_batch SCRIPT: run gdb-multiarch on SCRIPT (with PORT replaced),
# output without the lines that vary (the host's own messages).
gdb_batch() {
    sed "s/PORT/$port/" "$1" >"$tmp/run.gdb"
    timeout -k 5 60 "$GDB" -batch -nx -x "$tmp/run.gdb" "$ELF" </dev/null 2>&1 |
        grep -v -e '^warning:' -e '^$' >"$tmp/gdb.out"
}

if [ ! -f "$ELF" ] || [ ! -f "$SPIN_ELF" ]; then
    for i in $(seq 20); do skip "gdbstub test $i" "$ELF not built (needs RISCV_CC)"; done
    exit 0
fi
if ! command -v "$GDB" >/dev/null 2>&1; then
    for i in $(seq 20); do skip "gdbstub test $i" "$GDB not installed (apt-get install gdb-multiarch)"; done
    exit 0
fi

cat >"$tmp/main.gdb" <<'GDB'
set pagination off
set confirm off
target remote 127.0.0.1:PORT
info threads
break *marker
continue
stepi
p/x $a1
thread 3
p $mhartid
thread 1
set var $a2 = 3
set var *(long *)&gdb_value = 42
x/gx &gdb_value
set var $ft0 = 1.5
p $ft0
watch *(long *)&wvar
continue
info symbol $pc
delete
continue
GDB
cat >"$tmp/main.expected" <<'OUT'
0x0000000080000000 in _start ()
  Id   Target Id         Frame 
* 1    Thread 1 (hart 0) 0x0000000080000000 in _start ()
  2    Thread 2 (hart 1) 0x0000000080000000 in _start ()
  3    Thread 3 (hart 2) 0x0000000080000000 in _start ()
  4    Thread 4 (hart 3) 0x0000000080000000 in _start ()
Breakpoint 1 at 0x80000030
Thread 1 hit Breakpoint 1, 0x0000000080000030 in marker ()
0x0000000080000034 in marker ()
$1 = 0x123
[Switching to thread 3 (Thread 3)]
$2 = 2
[Switching to thread 1 (Thread 1)]
#0  0x0000000080000034 in marker ()
0x80000088:	0x000000000000002a
$3 = {float = 0, double = 1.5}
Hardware watchpoint 2: *(long *)&wvar
Thread 1 hit Hardware watchpoint 2: *(long *)&wvar
Old value = 0
New value = 99
0x0000000080000048 in after_store ()
after_store in section .text
[Inferior 1 (Remote target) exited with code 055]
OUT

for mode in $modes; do
    # 1, 2: the whole session; the guest exits with a2 + gdb_value = 45
    run_loom "$mode"
    gdb_batch "$tmp/main.gdb"
    wait "$lpid"
    st=$?
    # where hart 2 is at the breakpoint varies (the harts race): its
    # frame line is not compared
    sed -i -E '/^#0  0x[0-9a-f]+ in (_start|park) \(\)$/d' "$tmp/gdb.out"
    if diff "$tmp/main.expected" "$tmp/gdb.out" >"$tmp/diff"; then
        ok "thread=$mode: threads, breakpoint, stepi, registers, memory, watchpoint, exit"
    else
        fail "thread=$mode: threads, breakpoint, stepi, registers, memory, watchpoint, exit" \
            "$(head -20 "$tmp/diff")"
    fi
    if [ "$st" -eq 45 ]; then
        ok "thread=$mode: the guest saw the written register and memory (exit status 45)"
    else
        fail "thread=$mode: the guest saw the written register and memory (exit status 45)" \
            "exit status $st" "$(tail -3 "$tmp/loom.out")"
    fi
done

# The remote protocol by hand on fd 3: send_pkt DATA, recv_pkt (the
# next packet's body in $body, '' on a timeout).
send_pkt() {
    local d=$1 s=0 c i
    for ((i = 0; i < ${#d}; i++)); do
        printf -v c '%d' "'${d:i:1}"
        s=$(((s + c) & 255))
    done
    printf '$%s#%02x' "$d" "$s" >&3
}
recv_pkt() {
    local raw cs
    body=
    IFS= read -r -d '#' -t 10 -u 3 raw || return
    IFS= read -r -n 2 -t 10 -u 3 cs
    body=${raw##*\$}
    printf '+' >&3
}
hold_addr=$("$GDB" -batch -nx -ex 'printf "%lx\n", &hold' "$ELF" 2>/dev/null)
counted_addr=$("$GDB" -batch -nx -ex 'printf "%lx\n", &counted' "$ELF" 2>/dev/null)

for mode in $modes; do
    # 3, 4: Ctrl-C stops every hart with SIGINT in thread 1; then a
    # breakpoint stops hart 0 right after it read and decremented `hold`
    # (the worst place for the write of 0 that lets it go: the guest
    # must not write a stale count back); then exit
    what="thread=$mode: Ctrl-C stops the running guest (T02thread:1;), threads m1,2,3,4, a stop mid-countdown, exit W00"
    run_loom "$mode"
    got=
    for _ in $(seq 50); do
        exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null && break
        sleep 0.1
    done
    send_pkt "?"; recv_pkt; got="$body"
    # hold the guest in its spin loop for a very long time
    send_pkt "M$hold_addr,8:0000000000010000"; recv_pkt; got="$got $body"
    send_pkt "c"
    sleep 0.3
    printf '\003' >&3; recv_pkt; got="$got $body"
    send_pkt "qfThreadInfo"; recv_pkt; got="$got $body"
    send_pkt "qsThreadInfo"; recv_pkt; got="$got $body"
    send_pkt "Z0,$counted_addr,4"; recv_pkt; got="$got $body"
    send_pkt "c"; recv_pkt; got="$got $body"
    send_pkt "z0,$counted_addr,4"; recv_pkt; got="$got $body"
    send_pkt "M$hold_addr,8:0000000000000000"; recv_pkt; got="$got $body"
    send_pkt "c"; recv_pkt; got="$got $body"
    exec 3>&-
    wait "$lpid"
    st=$?
    want="T05thread:1; OK T02thread:1; m1,2,3,4 l OK T05thread:1; OK OK W00"
    if [ "$got" = "$want" ] && [ "$st" -eq 0 ]; then
        ok "$what"
    else
        fail "$what" "got '$got' exit $st" "want '$want' exit 0"
    fi

    # 5, 6: kill ends loom with status 0
    what="thread=$mode: kill ends loom with status 0"
    run_loom "$mode"
    printf 'target remote 127.0.0.1:PORT\nkill\n' >"$tmp/kill.gdb"
    gdb_batch "$tmp/kill.gdb"
    wait "$lpid"
    st=$?
    if [ "$st" -eq 0 ] && grep -qx '\[Inferior 1 (Remote target) killed\]' "$tmp/gdb.out"; then
        ok "$what"
    else
        fail "$what" "exit $st" "$(cat "$tmp/gdb.out")"
    fi

    # 7, 8: the debugger dies while the guest runs with a breakpoint
    # set: the stub removes it and the guest runs on to its exit (0)
    what="thread=$mode: a vanished debugger leaves the guest running to its exit"
    run_loom "$mode"
    cat >"$tmp/vanish.gdb" <<'GDB'
set confirm off
target remote 127.0.0.1:PORT
set var *(long *)&hold = 200000
break *after_store
continue &
shell kill -9 $PPID
GDB
    gdb_batch "$tmp/vanish.gdb"
    wait "$lpid"
    st=$?
    if [ "$st" -eq 0 ]; then
        ok "$what"
    else
        fail "$what" "exit $st (124: timed out)" "$(tail -3 "$tmp/loom.out")"
    fi
done

cat >"$tmp/attach.gdb" <<'GDB'
set pagination off
set confirm off
target remote 127.0.0.1:PORT
info threads
printf "hold %ld\n", *(long *)&hold
detach
GDB
cat >"$tmp/finish.gdb" <<'GDB'
set confirm off
target remote 127.0.0.1:PORT
printf "hold %ld\n", *(long *)&hold
set var *(long *)&hold = 0
continue
GDB
for mode in $modes; do
    # 9, 10: attach to a running guest (no -S): it stops, GDB lists the
    # four harts, detach lets it run on; twice; then a third debugger
    # sees it still counting, lets it go and sees it exit
    what="thread=$mode: attach to a running guest, 4 threads, detach; twice; it runs on to its exit"
    run_running=1 run_loom "$mode"
    why= last=
    for round in 1 2; do
        gdb_batch "$tmp/attach.gdb"
        threads=$(grep -cE '^\*? +[1-4] +Thread [1-4] \(hart [0-3]\) ' "$tmp/gdb.out")
        hold=$(sed -n 's/^hold //p' "$tmp/gdb.out")
        if [ "$threads" != 4 ] || [ -z "$hold" ] ||
           ! grep -qxF '[Inferior 1 (Remote target) detached]' "$tmp/gdb.out"; then
            why="attach $round: $threads threads, hold '$hold': $(head -c 300 "$tmp/gdb.out")"
            break
        fi
        if [ -n "$last" ] && [ "$hold" -ge "$last" ]; then
            why="attach $round: hold $hold, not below $last: the guest did not run after a detach"
            break
        fi
        last=$hold
        sleep 0.2
        if ! kill -0 "$lpid" 2>/dev/null; then
            why="loom ended after detach $round: $(tail -2 "$tmp/loom.out")"
            break
        fi
    done
    if [ -z "$why" ]; then
        gdb_batch "$tmp/finish.gdb"
        hold=$(sed -n 's/^hold //p' "$tmp/gdb.out")
        if [ -z "$hold" ] || [ "$hold" -ge "$last" ] ||
           ! grep -qxF '[Inferior 1 (Remote target) exited normally]' "$tmp/gdb.out"; then
            why="third attach: hold '$hold' (last $last): $(head -c 300 "$tmp/gdb.out")"
        fi
    fi
    [ -n "$why" ] && kill "$lpid" 2>/dev/null
    wait "$lpid"
    st=$?
    if [ -z "$why" ] && [ "$st" -eq 0 ]; then
        ok "$what"
    else
        fail "$what" "${why:-exit status $st}"
    fi
done

# gdb_connect: open fd 3 to the stub of the loom run_loom started
gdb_connect() {
    for _ in $(seq 50); do
        exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null && return
        sleep 0.1
    done
}

# session_end WHAT WANT: kill the loom behind fd 3 and close it; the
# answers collected in $got must be WANT and loom must exit 0
session_end() {
    local st
    send_pkt "k" 2>/dev/null
    exec 3>&-
    trap - PIPE
    wait "$lpid"
    st=$?
    if [ "$got" = "$2" ] && [ "$st" -eq 0 ]; then
        ok "$1"
    else
        fail "$1" "got '$got' exit $st" "want '$2' exit 0" "$(tail -2 "$tmp/loom.out")"
    fi
}

# pc_write_case WHAT WANT PC_HEX [PACKET...] -- LOOM_ARGS...: write PC_HEX
# (target byte order) to the pc, read it back, send PACKETs, kill; the
# answers, space-separated, must be WANT and loom must exit 0
pc_write_case() {
    local what=$1 want=$2 pc=$3 p
    local -a extra=()
    shift 3
    while [ $# -gt 0 ] && [ "$1" != -- ]; do extra+=("$1"); shift; done
    shift
    run_loom single "$@"
    gdb_connect
    send_pkt "?"; recv_pkt; got="$body"
    send_pkt "P20=$pc"; recv_pkt; got="$got $body"
    send_pkt "p20"; recv_pkt; got="$got $body"
    for p in "${extra[@]}"; do send_pkt "$p"; recv_pkt; got="$got $body"; done
    session_end "$what" "$want"
}

# 11: a debugger's write of an odd pc: the hart's pc keeps bit 0 clear
# (IALIGN: docs/manual.md), and the hart steps from there
pc_write_case "an odd pc written by the debugger reads back with bit 0 clear and steps" \
    "T05thread:1; OK 3000008000000000 T05thread:1;" 3100008000000000 s --

# 12: without C (IALIGN 32) the write drops bit 1 as well
pc_write_case "-cpu rv64,c=off: a pc written with bit 1 set reads back 4-byte aligned" \
    "T05thread:1; OK 3000008000000000" 3200008000000000 -- -cpu rv64,c=off


# 15: a packet longer than the PacketSize the stub announces (4096) is
# NAKed as soon as it is too long, before its end, and dropped as it
# arrives; a packet of nearly 4096 bytes and the packets after are served
what="a packet beyond PacketSize is NAKed before its end and dropped; the next one is served"
run_loom single
gdb_connect
printf -v big '%*s' 5000 ''
printf -v hex '%*s' 2000 ''
trap '' PIPE    # if loom dies, the writes below fail instead of killing the test
send_pkt "M80001000,7d0:${hex// /5a}"; recv_pkt; got="$body"
send_pkt "m80001000,2"; recv_pkt; got="$got $body"
printf '$%s' "${big// /a}" >&3
nak=; IFS= read -r -n 1 -t 5 -u 3 nak; got="$got ${nak:-none}"
printf '#00' >&3
send_pkt "qC"; recv_pkt; got="$got $body"
session_end "$what" "OK 5a5a - QC1"

# 16: a checksum that is not hex is NAKed, and the next packet served
# (its digits were once shifted as -1: undefined behaviour)
what="a packet whose checksum is not hex is NAKed; the next one is served"
run_loom single
gdb_connect
trap '' PIPE
got=
for bad in '$qC#zz' '$qC#b' '$qC#z4'; do
    printf '%s' "$bad" >&3
    [ "$bad" = '$qC#b' ] && printf 'x' >&3
    nak=; IFS= read -r -n 1 -t 5 -u 3 nak; got="${got:+$got }${nak:-none}"
done
send_pkt "qC"; recv_pkt; got="$got $body"
session_end "$what" "- - - QC1"

# 17-19: bad -gdb arguments, a port in use
expect_error "-gdb tcp::notaport: one-line error" "'notaport' is not a port number" \
    -M virt -bios none -kernel "$ELF" -gdb tcp::notaport
expect_error "-gdb with a non-loopback host: one-line error" "loopback address only" \
    -M virt -bios none -kernel "$ELF" -gdb tcp:192.0.2.1:1234
run_loom single
expect_error "-gdb on a port in use: one-line error" "port $port is in use" \
    -M virt -bios none -kernel "$ELF" -S -gdb tcp::"$port"
kill "$lpid" 2>/dev/null
wait "$lpid" 2>/dev/null

# 20: an aarch64 guest: GDB's aarch64 core feature (x0-x30, sp, pc, cpsr),
# its fpu feature (a V register written and read as lanes, FPCR keeping
# only the bits it defines), stepi, a memory write the guest's exit
# status shows.  The program:
# movz x1, #0x1234; add x2, x1, #1; adr x1, block; mov w0, #0x20;
# hlt #0xf000 (semihosting SYS_EXIT_EXTENDED); block: application exit
# with the subcode GDB writes into the block (x3 below is unused)
what="aarch64: core and fpu registers, stepi, a memory write seen by the guest"
le() { local v=$1 i; for ((i = 0; i < $2; i++)); do printf "\\x$(printf %02x $(((v >> (8 * i)) & 255)))"; done; }
{ le 0xd2824681 4; le 0x91000422 4; le 0x10000061 4; le 0x52800400 4; le 0xd45e0000 4
  le 0x20026 8; le 0 8; } >"$tmp/a64.bin"
cat >"$tmp/a64.gdb" <<'GDB'
set pagination off
set confirm off
set architecture aarch64
target remote 127.0.0.1:PORT
p/x $cpsr
stepi
stepi
p/x $x2
set var $v5.d.u[1] = 0x1234
p/x $v5.d.u
set var $fpcr = 0xffffffff
p/x $fpcr
set var *(long *)0x4000001c = 9
continue
GDB
port=$(free_port)
timeout 60 "$LOOM" -M "${LOOM_SRCDIR:-.}/tests/fixtures/machines/aarch64-bare.machine" \
    -semihosting -kernel "$tmp/a64.bin" -S -gdb tcp::"$port" </dev/null >"$tmp/loom.out" 2>&1 &
lpid=$!
sleep 0.2
sed "s/PORT/$port/" "$tmp/a64.gdb" >"$tmp/run.gdb"
timeout -k 5 60 "$GDB" -batch -nx -x "$tmp/run.gdb" </dev/null 2>&1 |
    grep -v -e '^warning:' -e '^$' >"$tmp/gdb.out"
wait "$lpid"
st=$?
if [ "$st" -eq 9 ] && grep -qx '\$1 = 0x3c5' "$tmp/gdb.out" && grep -qx '\$2 = 0x1235' "$tmp/gdb.out" &&
   grep -qx '\$3 = {0x0, 0x1234}' "$tmp/gdb.out" && grep -qx '\$4 = 0x7c00000' "$tmp/gdb.out"; then
    ok "$what"
else
    fail "$what" "exit $st, want 9" "$(head -c 600 "$tmp/gdb.out")" "$(tail -2 "$tmp/loom.out")"
fi
exit 0
