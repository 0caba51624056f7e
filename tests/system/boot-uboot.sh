#!/bin/bash
# OpenSBI then U-Boot in S-mode on 4 harts, in both thread modes: OpenSBI
# counts 4 harts, U-Boot reaches its prompt, and a command typed on stdin
# is answered (`version` prints the same line as U-Boot's banner).
# Debian's opensbi and u-boot-qemu packages (make images installs them);
# without them every test is skipped.  Prints TAP.
set -u
. "$(dirname "$0")/images/boot-lib.sh"

tmp=$(mktemp -d) || exit 1
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    exec 3>&- 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
# a write after the emulator has gone must not kill this script
trap '' PIPE

modes="single multi"
echo "1..6"

why=$(missing "$OPENSBI" "$UBOOT")
for mode in $modes; do
    t0=$SECONDS
    what="OpenSBI + U-Boot -smp 4 (thread=$mode)"
    if [ -n "$why" ]; then
        skip_test "$what: Platform HART Count : 4" "$why"
        skip_test "$what: U-Boot prompt" "$why"
        skip_test "$what: 'version' typed on stdin is answered" "$why"
        continue
    fi
    out=$tmp/out-$mode
    rm -f "$tmp/in"; mkfifo "$tmp/in" || exit 1
    # the fifo keeps the console's stdin open between the lines we type
    timeout -k 10 "$BOOT_TIMEOUT" "$LOOM" -M virt -smp 4 -accel tcg,thread=$mode \
        -bios "$OPENSBI" -kernel "$UBOOT" -nographic <"$tmp/in" >"$out" 2>&1 &
    pid=$!
    exec 3>"$tmp/in"

    if wait_console "$out" '^Platform HART Count +: ' 0 "$BOOT_TIMEOUT" "$pid" &&
       [ "$(console_from "$out" 0 | grep -E '^Platform HART Count +: ' | sed 's/  */ /g')" = \
         "Platform HART Count : 4" ]; then
        ok "$what: Platform HART Count : 4"
    else
        fail "$what: Platform HART Count : 4" "$(log_tail "$out")"
    fi

    # a key during the countdown stops autoboot; if it comes too late,
    # the distro boot finds nothing to boot and the prompt comes anyway
    wait_console "$out" '^Hit any key to stop autoboot|^=> ' 0 "$BOOT_TIMEOUT" "$pid"
    printf '\n' >&3
    if wait_console "$out" '^=> ' 0 "$BOOT_TIMEOUT" "$pid"; then
        ok "$what: U-Boot prompt"
    else
        fail "$what: U-Boot prompt" "$(log_tail "$out")"
    fi

    banner=$(console_from "$out" 0 | grep -m1 -E '^U-Boot [0-9]')
    sleep 0.5   # let the prompt settle: no more output is expected
    # what follows is U-Boot's echo of the command, then its answer
    at=$(stat -c %s "$out")
    printf 'version\n' >&3
    if wait_console "$out" '^U-Boot [0-9]' "$at" 60 "$pid" &&
       [ -n "$banner" ] &&
       [ "$(console_from "$out" "$at" | grep -m1 -E '^U-Boot [0-9]')" = "$banner" ] &&
       [ "$(console_from "$out" "$at" | head -n 1 | sed 's/^=> //')" = version ]; then
        ok "$what: 'version' typed on stdin is answered"
    else
        fail "$what: 'version' typed on stdin is answered" "banner: $banner" \
            "after 'version':" "$(console_from "$out" "$at" | head -n 10)"
    fi

    printf 'poweroff\n' >&3
    exec 3>&-
    # bounded: poweroff ends the emulator; if not, stop it
    end=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.2; done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=
    echo "# thread=$mode: $((SECONDS - t0)) s"
done

echo "# boot-uboot: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
