#!/bin/bash
# Memory order (docs/design.md "Memory order: inserted barriers"): with
# -cpu rv64,ztso=on (RVTSO) and vCPUs in parallel, the core inserts
# mb LD_LD before each guest load and mb LD_ST ST_ST before each guest
# store on the interpreter (host order: none), and nothing on x86_64
# (host order: all but ST_LD, as RVTSO); RVWMO and single-threaded runs
# get nothing; -accel tcg,mb-insert=off (testing only) drops them with a
# warning.  -d mttcg says so, -d op_opt shows it.  Prints TAP.
set -u
LOOM=${LOOM:-./loom}
. "$(dirname "$0")/tap.sh"

# expect_log DESC LINE ARGS...: exit 0 and LINE, whole, in the log
expect_log() {
    local desc=$1 line=$2; shift 2
    timeout 60 "$LOOM" "$@" </dev/null >"$tmp/out" 2>&1
    local st=$?
    if [ "$st" -eq 0 ] && grep -qxF -- "$line" "$tmp/out"; then
        ok "$desc"
    else
        fail "$desc" "exit $st, want the line: $line" "got: $(head -c 600 "$tmp/out")"
    fi
}

echo "1..12"

# li a0,0x5555; lui t0,0x100; sw a0,0(t0): PASS through the finisher
printf '\x37\x55\x00\x00\x1b\x05\x55\x55\xb7\x02\x10\x00\x23\xa0\xa2\x00\x6f\x00\x00\x00' >"$tmp/pass.bin"
run=(-M virt -smp 2 -bios none -kernel "$tmp/pass.bin")
have_x86=$("$LOOM" -accel help 2>/dev/null | grep -c '^x86_64 ')

expect_log "interp, ztso=on: guest order RVTSO" \
    "mttcg: front-end riscv64: supports MTTCG; guest memory order: LD_LD LD_ST ST_ST" \
    -cpu rv64,ztso=on -accel tcg,backend=interp,thread=multi -d mttcg "${run[@]}"
expect_log "interp, ztso=on: barriers before loads and stores" \
    "mttcg: barriers inserted: mb LD_LD before each guest load, mb LD_ST ST_ST before each guest store" \
    -cpu rv64,ztso=on -accel tcg,backend=interp,thread=multi -d mttcg "${run[@]}"
expect_log "interp, ztso=on, thread=single: none" \
    "mttcg: barriers inserted: none (one thread runs the guest)" \
    -cpu rv64,ztso=on -accel tcg,backend=interp,thread=single -d mttcg "${run[@]}"
expect_log "interp, RVWMO: none" \
    "mttcg: barriers inserted: none (the host gives the guest's order)" \
    -accel tcg,backend=interp,thread=multi -d mttcg "${run[@]}"

# the IR: the store gets mb $0xc (LD_ST|ST_ST) right before it
timeout 60 "$LOOM" -cpu rv64,ztso=on -accel tcg,backend=interp,thread=multi -d op_opt \
    "${run[@]}" </dev/null >"$tmp/out" 2>&1
st=$?
desc="interp, ztso=on: -d op_opt shows mb \$0xc before the store"
if [ "$st" -eq 0 ] && grep -A1 -E '^ mb +\$0xc$' "$tmp/out" | grep -qE '^ qemu_st_i64 '; then
    ok "$desc"
else
    fail "$desc" "exit $st" "$(grep -B1 -A1 qemu_st "$tmp/out" | head -c 600)"
fi
timeout 60 "$LOOM" -accel tcg,backend=interp,thread=multi -d op_opt "${run[@]}" </dev/null >"$tmp/out" 2>&1
st=$?
desc="interp, RVWMO: no mb in the IR"
if [ "$st" -eq 0 ] && grep -q qemu_st_i64 "$tmp/out" && ! grep -qE '^ mb ' "$tmp/out"; then
    ok "$desc"
else
    fail "$desc" "exit $st" "$(grep -E '^ mb ' "$tmp/out" | head -c 300)"
fi

# -accel tcg,mb-insert=off (testing only): no barriers, one warning line
timeout 60 "$LOOM" -cpu rv64,ztso=on -accel tcg,backend=interp,thread=multi,mb-insert=off \
    -d mttcg,op_opt "${run[@]}" </dev/null >"$tmp/out" 2>&1
st=$?
desc="interp, ztso=on, mb-insert=off: none inserted, and -d mttcg says why"
if [ "$st" -eq 0 ] && grep -qxF "mttcg: barriers inserted: none (mb-insert=off: for testing only, the guest may break)" "$tmp/out"; then
    ok "$desc"
else
    fail "$desc" "exit $st" "$(grep mttcg "$tmp/out" | head -c 600)"
fi
desc="interp, ztso=on, mb-insert=off: no mb in the IR"
if [ "$st" -eq 0 ] && grep -q qemu_st_i64 "$tmp/out" && ! grep -qE '^ mb ' "$tmp/out"; then
    ok "$desc"
else
    fail "$desc" "exit $st" "$(grep -E '^ mb ' "$tmp/out" | head -c 300)"
fi
desc="interp, ztso=on, mb-insert=off: one warning naming what the guest loses"
want="loom: warning: -accel tcg,mb-insert=off: the guest gets no barriers for the LD_LD LD_ST ST_ST it needs and back-end interp lacks; for testing only"
if [ "$(grep -c warning "$tmp/out")" -eq 1 ] && grep -qxF "$want" "$tmp/out"; then
    ok "$desc"
else
    fail "$desc" "want the line: $want" "$(grep warning "$tmp/out" | head -c 600)"
fi

if [ "$have_x86" -eq 1 ]; then
    expect_log "x86_64, ztso=on: the host gives RVTSO" \
        "mttcg: the host already gives every ordering the guest needs" \
        -cpu rv64,ztso=on -accel tcg,backend=x86_64,thread=multi -d mttcg "${run[@]}"
    expect_log "x86_64, ztso=on: no barriers" \
        "mttcg: barriers inserted: none (the host gives the guest's order)" \
        -cpu rv64,ztso=on -accel tcg,backend=x86_64,thread=multi -d mttcg "${run[@]}"
    timeout 60 "$LOOM" -cpu rv64,ztso=on -accel tcg,backend=x86_64,thread=multi -d op_opt \
        "${run[@]}" </dev/null >"$tmp/out" 2>&1
    st=$?
    desc="x86_64, ztso=on: no mb in the IR"
    if [ "$st" -eq 0 ] && grep -q qemu_st_i64 "$tmp/out" && ! grep -qE '^ mb ' "$tmp/out"; then
        ok "$desc"
    else
        fail "$desc" "exit $st" "$(grep -E '^ mb ' "$tmp/out" | head -c 300)"
    fi
else
    for d in "x86_64, ztso=on: the host gives RVTSO" "x86_64, ztso=on: no barriers" \
             "x86_64, ztso=on: no mb in the IR"; do
        skip_ok "$d" "no x86_64 back-end on this host"
    done
fi

echo "# memory-order: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
