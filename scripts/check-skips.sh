#!/bin/bash
# check-skips.sh BUILDDIR... - list every skipped test in the automake
# test logs under each BUILDDIR and fail on any skip that is not in
# tests/skips-allowed (scripts/bootstrap.sh check runs it after each
# test run).  Prints "check-skips: N skipped, M not allowed".
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
allow=$here/tests/skips-allowed
[ -r "$allow" ] || { echo "check-skips: cannot read $allow" >&2; exit 1; }

total=0 bad=0
for dir in "$@"; do
    # tap-driver.sh writes one "SKIP: <script> <n> - <description> # SKIP
    # <reason>" line per skipped test into the script's .log, and a
    # whole-script skip ("1..0 # SKIP reason") as "SKIP: <script> - ...".
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        rest=${line#SKIP: }
        script=${rest%% *}
        desc=${rest#"$script"}
        desc=${desc# }
        desc=$(printf '%s\n' "$desc" | sed -E 's/^[0-9]+ - //; s/^- //')
        total=$((total + 1))
        ok=0
        while read -r a_script a_re; do
            case "$a_script" in ''|'#'*) continue ;; esac
            if [ "$a_script" = "$script" ] && printf '%s\n' "$desc" | grep -Eq -- "$a_re"; then
                ok=1
                break
            fi
        done <"$allow"
        if [ "$ok" = 1 ]; then
            echo "check-skips: allowed: $script: $desc"
        else
            echo "check-skips: NOT ALLOWED: $script: $desc"
            bad=$((bad + 1))
        fi
    done < <(find "$dir/tests" -name '*.log' -exec grep -h '^SKIP: ' {} + 2>/dev/null || true)
done
echo "check-skips: $total skipped, $bad not allowed (tests/skips-allowed)"
[ "$bad" -eq 0 ]
