#!/bin/bash
# The console's escape keys and the monitor: Ctrl-A h lists the keys,
# Ctrl-A a sends a Ctrl-A to the guest, Ctrl-A c opens the monitor, whose
# commands print exact state (info cpus, info registers, info mtree,
# info jit) and act (system_reset, quit); Ctrl-A x quits.  Through a
# pseudo-terminal (script(1)): Ctrl-A x stops a running Linux guest at its
# shell, and the terminal settings come back after Ctrl-A x and after a
# SIGTERM.  Prints TAP.
set -u
. "$(dirname "$0")/images/boot-lib.sh"
GUESTS=${GUESTS:-tests/system/guests}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"; kill $(jobs -p) 2>/dev/null' EXIT

echo "1..11"

# Wait until file $1 has a line matching $2 (grep -E), at most $3 s.
wait_for() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -qaE -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# The echo guest (-smp 2): hart 0 upper-cases what it reads, hart 1 sits
# in wfi at park.  Keys go in only once it said "ready".
keys() {
    local i
    wait_for "$tmp/out" '^ready' 20 || return
    printf 'hi\n\001h\001a'
    sleep 0.3
    printf '\001cinfo cpus\ninfo mtree\nfrob\ncpu 1\ninfo registers\ninfo jit\nsystem_reset\n'
    for ((i = 0; i < 200; i++)); do    # the reset guest's second ready
        [ "$(grep -ao ready "$tmp/out" | wc -l)" -ge 2 ] && break
        sleep 0.1
    done
    printf '\001cok\n'
    wait_for "$tmp/out" '^OK' 20
    printf '\001cquit\n'
    sleep 5     # keep stdin open: loom must leave through quit, not EOF
}
: >"$tmp/out"
keys | timeout 30 "$LOOM" -smp 2 -bios none -kernel "$GUESTS/echo.elf" -nographic \
    >"$tmp/out" 2>"$tmp/err"
st=${PIPESTATUS[1]}
tr -d '\r' <"$tmp/out" >"$tmp/o"

if [ "$st" -eq 0 ] && grep -qxF "C-a x    exit loom" "$tmp/o" &&
   grep -qxF "C-a c    switch between the console and the monitor" "$tmp/o"; then
    ok "C-a h lists the keys; quit exits 0"
else
    fail "C-a h lists the keys; quit exits 0" "exit $st" "$(head -c 400 "$tmp/o")" "$(head -c 200 "$tmp/err")"
fi
# the echo guest sends back what it gets: HI, then the Ctrl-A itself
if grep -qaF "$(printf '\001')" "$tmp/o"; then
    ok "C-a a sends C-a to the guest"
else
    fail "C-a a sends C-a to the guest" "$(od -c "$tmp/o" | head -5)"
fi
# Pass if the transcript has every line: "=TEXT" exactly, "~RE" matching;
# on a failure show what follows the command (context).
expect_lines() {   # description context line...
    local desc=$1 ctx=$2 l found; shift 2
    for l in "$@"; do
        case $l in
            =*) grep -qaxF -- "${l#=}" "$tmp/o" && found=1 || found= ;;
            *) grep -qaE -- "${l#\~}" "$tmp/o" && found=1 || found= ;;
        esac
        if [ -z "$found" ]; then
            fail "$desc" "missing: ${l#?}" "$(grep -a -A12 -- "$ctx" "$tmp/o" | head -16)"
            return
        fi
    done
    ok "$desc"
}
expect_lines "info cpus: hart 1 halted after its wfi" "info cpus" \
    '~^\* CPU #0: pc=0x00000000800000[0-9a-f]{2}$' "=  CPU #1: pc=0x0000000080000068 (halted)"
expect_lines "info mtree: RAM and the UART" "info mtree" \
    "=  0000000080000000-0000000087ffffff (ram): ram" \
    "=  0000000010000000-00000000100000ff (i/o): uart0"
expect_lines "an unknown command names itself" "frob" "=unknown command 'frob': try help"
expect_lines "cpu 1, info registers: hart 1's pc and a0 = its hart id" "CPU#" \
    "=hart 1  pc 0000000080000068  priv M" \
    '~^x8 /s0   0{16}  x9 /s1   0{16}  x10/a0   0{15}1  x11/a1 '
expect_lines "info jit: statistics with each vCPU's counts" "info jit" \
    '~^JIT statistics: back-end [a-z0-9_]+, multi-threaded, 2 vCPUs$' \
    '~^  cpu1 +TBs executed [1-9][0-9]*, translations [1-9]'
# system_reset: the guest says ready again and echoes what follows
if [ "$(grep -ao ready "$tmp/o" | wc -l)" -eq 2 ] && grep -qxF "OK" "$tmp/o"; then
    ok "system_reset restarts the guest; C-a c returns to the console"
else
    fail "system_reset restarts the guest; C-a c returns to the console" "$(tail -c 300 "$tmp/o")"
fi

# -S holds the machine until cont; stop holds it again: the guest's
# "ready" comes only after cont, and input typed while stopped is echoed
# only after the second cont
keys_stop() {
    sleep 1
    printf '\001cinfo status\ncont\n'
    wait_for "$tmp/out2" 'ready' 20 || return
    printf 'stop\ninfo status\n\001cabc\n'
    sleep 1
    printf '\001cinfo cpus\ncont\n'
    wait_for "$tmp/out2" 'ABC' 20
    printf '\001cquit\n'
    sleep 5
}
: >"$tmp/out2"
keys_stop | timeout 30 "$LOOM" -S -smp 2 -bios none -kernel "$GUESTS/echo.elf" -nographic \
    >"$tmp/out2" 2>&1
st=${PIPESTATUS[1]}
# the transcript, one event a line, in order
# hart 1 parks in `park: wfi; j park` (0x64): stopped there, it is in
# its wfi (halted, pc 0x68) or, if the stop came before it got there (a
# busy host; hart 0 says ready without waiting for it), about to run it
# or still at the entry point (its thread not yet scheduled)
# (the prompt after cont may land inside the guest's upper-cased echo,
# "A(loom) BC": the guest runs again as the monitor prints it)
order=$(tr -d '\r' <"$tmp/out2" | sed -E 's/\(loom\) ([A-Z])/\1/g' | grep -aoE 'VM status: [a-z]+|ready|\(loom\) cont|ABC|CPU #1: .*' |
    sed -E 's/^CPU #1: pc=0x0000000080000068 \(halted\)$|^CPU #1: pc=0x00000000800000(64|00)$/CPU #1: parked/' |
    tr '\n' '|')
want='VM status: paused|(loom) cont|ready|VM status: paused|CPU #1: parked|(loom) cont|ABC|'
if [ "$st" -eq 0 ] && [ "$order" = "$want" ]; then
    ok "-S, stop and cont hold and release the guest"
else
    fail "-S, stop and cont hold and release the guest" "exit $st" "want: $want" "got:  $order" "$(tr -d '\r' <"$tmp/out2" | tail -8)"
fi

# Through a pseudo-terminal: run "$@" in script(1) between two stty -a
# snapshots; the keys come from a FIFO that stays open while we type.
pty_run() {   # name command...
    local name=$1; shift
    rm -f "$tmp/fifo"; mkfifo "$tmp/fifo"
    script -qefc "stty -a >$tmp/$name.before; $*; echo loom-exit=\$?; stty -a >$tmp/$name.after" \
        /dev/null <"$tmp/fifo" >"$tmp/$name.out" 2>&1 &
    pty_pid=$!
    exec 3>"$tmp/fifo"
}
pty_done() {   # name: close the keys, wait for script to leave
    local i
    for ((i = 0; i < 300; i++)); do
        kill -0 "$pty_pid" 2>/dev/null || break
        sleep 0.1
    done
    exec 3>&-
    kill "$pty_pid" 2>/dev/null
    wait "$pty_pid" 2>/dev/null
}
restored() {   # name: the settings after equal those before, and are cooked
    [ -s "$tmp/$1.before" ] && cmp -s "$tmp/$1.before" "$tmp/$1.after" &&
        grep -qw icanon "$tmp/$1.after" && grep -qw echo "$tmp/$1.after"
}

# SIGTERM while the guest runs in raw mode
pty_run term "$LOOM -bios none -kernel $GUESTS/echo.elf -nographic"
if wait_for "$tmp/term.out" '^ready' 20; then
    # loom itself, not script(1) or its shell, whose command lines hold
    # it too (no pkill: procps is not in every Debian install)
    for p in /proc/[0-9]*; do
        [ "$({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null)" = "$LOOM -bios none -kernel $GUESTS/echo.elf -nographic " ] &&
            kill -TERM "${p#/proc/}"
    done
fi
pty_done term
if restored term && grep -qaE '^loom-exit=143' "$tmp/term.out"; then
    ok "pty: SIGTERM restores the terminal settings"
else
    fail "pty: SIGTERM restores the terminal settings" "$(tr -d '\r' <"$tmp/term.out" | tail -3)" \
        "$(diff "$tmp/term.before" "$tmp/term.after" 2>&1 | head -6)"
fi

# Ctrl-A x from Linux at its busybox shell, 2 harts
INITRD=$IMAGES/initramfs-shell.cpio.gz
why=$(missing "$OPENSBI" "$IMAGES/Image" "$INITRD")
if [ -n "$why" ]; then
    skip_test "pty: C-a x stops Linux at its shell, terminal restored" "$why"
else
    # --foreground: loom stays in the terminal's foreground process group,
    # where it may set the terminal up (a background group gets SIGTTOU)
    pty_run linux "timeout --foreground -k 5 $BOOT_TIMEOUT $LOOM -M virt -smp 2 -m 512M -bios $OPENSBI" \
        "-kernel $IMAGES/Image -initrd $INITRD -append 'console=ttyS0 quiet' -nographic"
    got=""
    if wait_for "$tmp/linux.out" 'busybox shell on the console' "$BOOT_TIMEOUT"; then
        sleep 1
        printf 'echo shell-$((6 * 7))\r' >&3
        wait_for "$tmp/linux.out" 'shell-42' 30 && got=yes
        printf '\001x' >&3
    fi
    pty_done linux
    if [ -n "$got" ] && restored linux && grep -qaE '^loom-exit=0' "$tmp/linux.out" &&
       grep -qaF "loom: terminated by C-a x" "$tmp/linux.out"; then
        ok "pty: C-a x stops Linux at its shell, terminal restored"
    else
        fail "pty: C-a x stops Linux at its shell, terminal restored" \
            "$(tr -d '\r' <"$tmp/linux.out" | tail -5)" \
            "$(diff "$tmp/linux.before" "$tmp/linux.after" 2>&1 | head -6)"
    fi
fi

echo "# monitor: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
