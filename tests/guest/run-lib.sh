# shellcheck shell=bash
# run-lib.sh - what the bare-metal test runners share (sourced, not run).
#
# Used by tests/guest/run-guest-tests.sh and tests/torture/run-torture.sh:
# read a test list, find the back-ends, run every test under each
# back-end in each thread mode and print one TAP line per run.
#
# The runner sets, before sourcing:
#   LOOM ELF_DIR LIST MODES TIMEOUT ONLY LOG_DIR   (its environment)
#   RUN_MACHINE (optional) the -M argument, default virt
#   RUN_ARGS    (optional) words before -kernel, default "-bios none"
#   RUN_INPUT_DIR (optional) where a test's console input <name>.in is
#               (its stdin; without one, /dev/null)
#   RUN_CC_VAR, RUN_CC_NAME (optional) the variable naming the guest
#               cross compiler and its program, default RISCV_CC and
#               riscv64-unknown-elf-gcc
#   OPTS        (optional) optimiser settings, default "on": a test
#               flagged opt-off in the list also runs with opt=off when
#               OPTS has "off"; every test runs with opt=on when it has "on"
#   KIND        "guest" or "torture" (messages)
#   WAIT_TEXT   what exit status 254 means for its tests
# and defines, before calling run_all:
#   run_skip    (optional) prints "ok ... # SKIP" and returns 0 to skip
#               the run
#   run_report  prints the TAP line and comments for a finished run and
#               returns 0 if it passed, 1 if it failed, or 2 (printing
#               only comments) to run it again, at most $ATTEMPTS times
#               in all (default 3): for measurements that a busy host
#               can spoil; it sees the run's number in $attempt
# Both see: n name smp flag extra elf backend mode opt accel desc cmd,
# and run_report also status (exit status), secs (run time), cpus_used
# (the host CPUs the run used on average), attempt and tmp (the run's
# console output).  run_all leaves passed, failed, skipped.

# Print the plan's skip and exit when there is no cross compiler; bail
# out when the list or the log directory is unusable.
# shellcheck source=../skip-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../skip-lib.sh"
run_prepare() {
    local ccvar=${RUN_CC_VAR:-RISCV_CC}
    if [ -n "${!ccvar+set}" ] && [ -z "${!ccvar}" ]; then
        skip_plan "no ${RUN_CC_NAME:-riscv64-unknown-elf-gcc}: $KIND tests not built"
    fi
    if [ ! -r "$LIST" ]; then
        echo "Bail out! cannot read test list $LIST"
        exit 1
    fi
    if [ -n "$LOG_DIR" ]; then
        mkdir -p "$LOG_DIR" || { echo "Bail out! cannot create $LOG_DIR"; exit 1; }
    fi
}

# names smps flags extras: the list's tests ("name smp flags extra..."),
# only those in $ONLY when it is set.
run_read_list() {
    names=() smps=() flags=() extras=()
    while read -r name smp flag extra; do
        case "$name" in ''|'#'*) continue ;; esac
        if [ -n "$ONLY" ]; then
            case " $ONLY " in *" $name "*) ;; *) continue ;; esac
        fi
        names+=("$name")
        smps+=("${smp:-1}")
        flags+=("${flag:--}")
        extras+=("$extra")
    done < "$LIST"
}

# Every back-end `$LOOM -accel help` lists, else interp.
run_loom_backends() {
    local b
    b=$("$LOOM" -accel help 2>/dev/null |
        sed -n '/^Back-ends/,$p' | awk 'NR > 1 && $1 !~ /^\(/ { print $1 }')
    echo "${b:-interp}"
}

describe_status() {
    case "$1" in
        124|137) echo "timed out after ${TIMEOUT}s" ;;
        126|127) echo "could not run $LOOM" ;;
        253) echo "test fell off its end without PASS" ;;
        254) echo "$WAIT_TEXT" ;;
        255) echo "unexpected trap" ;;
        *) if [ "$1" -ge 1 ] && [ "$1" -le 249 ]; then
               echo "failing check $1"
           else
               echo "unexpected exit status"
           fi ;;
    esac
}

run_skip() { return 1; }
ATTEMPTS=${RUN_ATTEMPTS:-3}

# The optimiser settings test i runs with: "on" (if in $OPTS), then
# "off" if it is flagged opt-off and $OPTS has "off".
run_opts() {
    local o out=
    for o in ${OPTS:-on}; do
        case "$o" in
            on) out="on${out:+ $out}" ;;
            off) case ",${flags[$1]}," in *,opt-off,*) out="${out:+$out }off" ;; esac ;;
        esac
    done
    echo "$out"
}

# The back-ends test i runs on: $BACKENDS; a runner may define
# run_backends_filter FLAGS to narrow them (prints the back-ends a test
# with those flags runs on).
run_backends() {
    if declare -F run_backends_filter >/dev/null; then
        run_backends_filter "${flags[$1]}"
    else
        echo "$BACKENDS"
    fi
}

# Under thread=multi on 2 or more host CPUs: did the harts run at the
# same time (tests/guest/testmacros.h, "Overlap")?  Sets why when they did not.  At
# least 1 tick in 1000 must have seen another hart move (harts taking
# turns see about 1 in 20000).  A busy host can give a run a single CPU,
# and then no loom overlaps: a run with too little overlap is run again
# (ATTEMPTS in all), and fails only if one of them had the CPUs for it
# (used 1.5 or more on average); otherwise the overlap is reported, not
# asserted.
overlap_check() {
    local ov ticks
    ov=$(tr -d '\r' <"$tmp" | sed -n 's/^overlap: \([0-9][0-9]*\)$/\1/p' | tail -n 1)
    ticks=$(tr -d '\r' <"$tmp" | sed -n 's/^overlap ticks: \([0-9][0-9]*\)$/\1/p' | tail -n 1)
    [ "$attempt" -eq 1 ] && max_cpus=0
    max_cpus=$(awk -v a="$max_cpus" -v b="$cpus_used" 'BEGIN { print (b > a ? b : a) }')
    if [ -z "$ov" ] || [ -z "$ticks" ]; then
        why="no overlap lines: the guest must report its overlap (torture.h)"
    elif [ $((ov * 1000)) -ge "$ticks" ]; then
        return
    elif [ "$attempt" -lt "$ATTEMPTS" ]; then
        echo "# $desc: the harts overlapped on only $ov of $ticks ticks, using $cpus_used CPUs (run $attempt): again"
        return 2
    elif awk -v c="$max_cpus" 'BEGIN { exit !(c >= 1.5) }'; then
        why="the harts did not run in parallel: they overlapped on $ov of $ticks ticks (want 1 in 1000) although a run used $max_cpus host CPUs ($ATTEMPTS runs)"
    else
        echo "# overlap not asserted: the host gave each of $ATTEMPTS runs at most $max_cpus CPUs (busy)"
    fi
}

NCPUS=$(nproc 2>/dev/null || echo 1)

# Print the plan, then run every test on each of its back-ends
# (run_backends; "-": pass none, as for QEMU) in every mode, with each of its
# optimiser settings (run_opts; opt=on passes nothing).
run_all() {
    local i total=0 start status secs suffix
    set -f      # $MODES, $BACKENDS, $extra and the opts are lists of words
    for i in "${!names[@]}"; do
        for _ in $(run_backends "$i"); do for _ in $MODES; do for _ in $(run_opts "$i"); do
            total=$((total + 1))
        done; done; done
    done
    echo "1..$total"

    n=0 passed=0 failed=0 skipped=0
    tmp=$(mktemp) || exit 1
    trap 'rm -f "$tmp" "$tmp.time"' EXIT
    local TIMEFORMAT='%R %U %S'     # for `time` below

    for i in "${!names[@]}"; do
        name=${names[$i]} smp=${smps[$i]} flag=${flags[$i]} extra=${extras[$i]}
        elf=$ELF_DIR/$name.elf
        for backend in $(run_backends "$i"); do
        for mode in $MODES; do
        for opt in $(run_opts "$i"); do
            n=$((n + 1))
            accel="tcg,thread=$mode"
            desc="thread=$mode"
            if [ "$backend" != - ]; then
                accel="$accel,backend=$backend"
                desc="$desc, backend=$backend"
            fi
            if [ "$opt" = off ]; then
                accel="$accel,opt=off"
                desc="$desc, opt=off"
            fi
            desc="$name ($desc)"
            input=/dev/null
            if [ -n "${RUN_INPUT_DIR:-}" ] && [ -r "$RUN_INPUT_DIR/$name.in" ]; then
                input=$RUN_INPUT_DIR/$name.in
            fi
            cmd="$LOOM -M ${RUN_MACHINE:-virt} -smp $smp -accel $accel ${RUN_ARGS--bios none} -kernel $elf -nographic $extra"
            if run_skip; then
                skipped=$((skipped + 1))
                continue
            fi
            if [ ! -r "$elf" ]; then
                echo "not ok $n - $desc"
                echo "# missing $elf (build the $KIND tests first)"
                failed=$((failed + 1))
                continue
            fi
            attempt=1
            while :; do
                # shellcheck disable=SC2086 # $extra is a list of arguments
                # shellcheck disable=SC2086 # and $RUN_ARGS
                { time timeout -k 5 "$TIMEOUT" "$LOOM" -M "${RUN_MACHINE:-virt}" -smp "$smp" \
                    -accel "$accel" ${RUN_ARGS--bios none} -kernel "$elf" \
                    -nographic $extra <"$input" >"$tmp" 2>&1; } 2>"$tmp.time"
                status=$?
                # wall seconds, and the CPUs the run used on average
                # (user + system time over wall time)
                read -r secs cpus_used < <(awk '{ printf "%.2f %.2f\n", $1,
                    ($1 > 0 ? ($2 + $3) / $1 : 0) }' "$tmp.time")
                if [ -n "$LOG_DIR" ]; then
                    suffix=
                    [ "$opt" = off ] && suffix=.opt-off
                    cp "$tmp" "$LOG_DIR/$name.$mode.${backend#-}$suffix.log"
                fi
                run_report
                rc=$?
                # 2: run it again (a measurement a busy host can spoil)
                if [ "$rc" -eq 2 ] && [ "$attempt" -lt "$ATTEMPTS" ]; then
                    attempt=$((attempt + 1))
                    continue
                fi
                break
            done
            if [ "$rc" -eq 0 ]; then
                passed=$((passed + 1))
            else
                failed=$((failed + 1))
            fi
        done
        done
        done
    done
}
