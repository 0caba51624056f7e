#!/bin/bash
# The thread shape of a running loom, read from /proc/PID/task: -smp 4
# with thread=multi runs exactly 4 vCPU threads (named vcpu0..vcpu3), each
# of which uses CPU time; thread=single runs exactly one (vcpu-rr) and no
# per-vCPU thread; thread=auto on this front-end and back-end is multi.
# The guest is `j .` on every hart, so every vCPU is always busy.
# Prints TAP.
set -u
LOOM=${LOOM:-./loom}
. "$(dirname "$0")/tap.sh"

echo "1..6"
if [ ! -d /proc/self/task ]; then
    for i in $(seq 6); do skip_ok "thread shape $i" "no /proc/PID/task on this host"; done
    exit 0
fi
printf '\x6f\x00\x00\x00' >"$tmp/spin.bin"      # j .

# names PID: the sorted names of PID's threads, one a line
names() {
    local t
    for t in /proc/"$1"/task/*; do cat "$t/comm" 2>/dev/null; done | sort
}

# cputicks PID NAME: utime + stime of PID's thread called NAME
cputicks() {
    local t
    for t in /proc/"$1"/task/*; do
        if [ "$(cat "$t/comm" 2>/dev/null)" = "$2" ]; then
            # the fields after the ")" that ends the name: utime is 12th
            sed 's/.*) //' "$t/stat" | awk '{ print $12 + $13 }'
            return
        fi
    done
    echo -1
}

# shape MODE WANT_VCPUS: start loom, wait until its vCPU threads exist,
# leave the vcpu thread names in $tmp/vcpus and the pid in $pid
shape() {
    local mode=$1 want=$2 i
    "$LOOM" -M virt -smp "${smp:-4}" -accel tcg${mode:+,thread=$mode} -bios none \
        -kernel "$tmp/spin.bin" -nographic </dev/null >"$tmp/out" 2>&1 &
    pid=$!
    for i in $(seq 100); do
        names "$pid" | grep -E '^vcpu' >"$tmp/vcpus"
        [ "$(wc -l <"$tmp/vcpus")" -ge "$want" ] && break
        sleep 0.1
    done
    sleep 0.5                           # and no more come
    names "$pid" | grep -E '^vcpu' >"$tmp/vcpus"
}

stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }

shape multi 4
if [ "$(tr '\n' ' ' <"$tmp/vcpus")" = "vcpu0 vcpu1 vcpu2 vcpu3 " ]; then
    ok "thread=multi -smp 4: 4 vCPU threads (vcpu0..vcpu3)"
else
    fail "thread=multi -smp 4: 4 vCPU threads (vcpu0..vcpu3)" \
         "threads: $(names "$pid" | tr '\n' ' ')" "output: $(head -c 300 "$tmp/out")"
fi
declare -A before
for v in vcpu0 vcpu1 vcpu2 vcpu3; do before[$v]=$(cputicks "$pid" $v); done
sleep 1
idle=""
for v in vcpu0 vcpu1 vcpu2 vcpu3; do
    after=$(cputicks "$pid" $v)
    [ "$after" -gt "${before[$v]}" ] || idle="$idle $v(${before[$v]}->$after)"
done
if [ -z "$idle" ]; then
    ok "thread=multi: every vCPU thread runs (CPU time grows)"
else
    fail "thread=multi: every vCPU thread runs (CPU time grows)" "no CPU time:$idle"
fi
stop

shape single 1
if [ "$(tr '\n' ' ' <"$tmp/vcpus")" = "vcpu-rr " ]; then
    ok "thread=single -smp 4: one vCPU thread (vcpu-rr)"
else
    fail "thread=single -smp 4: one vCPU thread (vcpu-rr)" "threads: $(names "$pid" | tr '\n' ' ')"
fi
t0=$(cputicks "$pid" vcpu-rr)
sleep 1
t1=$(cputicks "$pid" vcpu-rr)
if [ "$t1" -gt "$t0" ]; then
    ok "thread=single: the vCPU thread runs"
else
    fail "thread=single: the vCPU thread runs" "CPU time $t0 -> $t1"
fi
stop

shape "" 4
if [ "$(tr '\n' ' ' <"$tmp/vcpus")" = "vcpu0 vcpu1 vcpu2 vcpu3 " ]; then
    ok "thread=auto -smp 4: multi-threaded (4 vCPU threads)"
else
    fail "thread=auto -smp 4: multi-threaded (4 vCPU threads)" "threads: $(names "$pid" | tr '\n' ' ')"
fi
stop

# -smp 1: one vCPU thread
smp=1 shape multi 1
if [ "$(tr '\n' ' ' <"$tmp/vcpus")" = "vcpu0 " ]; then
    ok "thread=multi -smp 1: one vCPU thread (vcpu0)"
else
    fail "thread=multi -smp 1: one vCPU thread (vcpu0)" "threads: $(names "$pid" | tr '\n' ' ')"
fi
stop
[ "$failed" -eq 0 ]
