#!/usr/bin/env bash
# pgstack inside a memory limit (256 MiB, the Deployment's) against the same jar without one: throughput of the
# five workloads, peak memory, and whether anything ran out of memory.
#
#   bash bench/memory.sh                      # 3 rounds, 256 MiB
#   ROUNDS=5 LIMIT_MIB=256 bash bench/memory.sh
#
# The limited run uses what the container uses: deploy/jvm-options, -XX:MaxRAM=<limit>, MALLOC_ARENA_MAX=2 and
# QUARKUS_THREAD_POOL_MAX_THREADS=20 (deploy/kubernetes.yaml), and it runs inside a memory cgroup with that limit
# when this machine lets the script make one (cgroup v1 or v2; otherwise -XX:MaxRAM alone, and it says so).
# The two runs alternate on one database, round after round, and the medians are compared: on a shared machine
# one run after the other mostly measures the machine's drift (W1 once read 0.84 that way, and 1.01 by medians).
# Each run is a fresh JVM that warms each workload for WARMUP seconds first; the messages written by W3 are
# deleted after each run so that every run starts from the same data.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/lib.sh
source bench/lib.sh
ROUNDS=${ROUNDS:-3}
LIMIT_MIB=${LIMIT_MIB:-256}
BASE_JAVA_OPTS=$JAVA_OPTS
CGROUP=

cleanup() {
    [ -n "${APP_PID:-}" ] && stop_pid "$APP_PID"
    [ -n "$CGROUP" ] && rmdir "$CGROUP" 2>/dev/null || true
    stop_cluster
    rm -rf "$WORK"
}
trap cleanup EXIT

# a child of this shell's memory cgroup with the limit; sets CGROUP and PEAK_FILE (its peak usage)
make_cgroup() {
    local v1 v2
    v1=$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)
    v2=$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
    if [ -n "$v1" ] && [ -d "/sys/fs/cgroup/memory$v1" ]; then
        CGROUP="/sys/fs/cgroup/memory${v1%/}/pgstack-bench-$$"
        mkdir "$CGROUP" 2>/dev/null && echo $((LIMIT_MIB * 1024 * 1024)) > "$CGROUP/memory.limit_in_bytes" \
            && PEAK_FILE=memory.max_usage_in_bytes && return 0
    elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
        CGROUP="/sys/fs/cgroup${v2%/}/pgstack-bench-$$"
        mkdir "$CGROUP" 2>/dev/null && echo $((LIMIT_MIB * 1024 * 1024)) > "$CGROUP/memory.max" \
            && PEAK_FILE=memory.peak && return 0
    fi
    [ -n "$CGROUP" ] && rmdir "$CGROUP" 2>/dev/null
    CGROUP=
    return 1
}

prepare
start_cluster
if make_cgroup; then
    printf '#!/bin/sh\necho $$ > "%s/cgroup.procs" || exit 1\nexec "$@"\n' "$CGROUP" > "$WORK/in-cgroup"
    chmod +x "$WORK/in-cgroup"
    limit_note="a memory cgroup limited to $LIMIT_MIB MiB ($CGROUP)"
else
    limit_note="no memory cgroup could be made here: -XX:MaxRAM=${LIMIT_MIB}m only"
fi
echo "== limited runs: $limit_note"

# migrate once, then seed
start_pgstack "$HTTP_PORT" "$MGMT_PORT" "$WORK/app.log"
stop_pid "$APP_PID"; APP_PID=
seed
write_workloads

declare -A rps p99
oom_errors=0
peak_rss=0
peak_cgroup=0
run() { # round unlimited|limited
    local mode=$2 s r p _
    if [ "$mode" = limited ]; then
        JAVA_OPTS="$BASE_JAVA_OPTS -XX:MaxRAM=${LIMIT_MIB}m $(cat deploy/jvm-options)"
        [ -n "$CGROUP" ] && { LAUNCH="$WORK/in-cgroup"; echo 0 > "$CGROUP/$PEAK_FILE" 2>/dev/null || true; }
        start_pgstack "$HTTP_PORT" "$MGMT_PORT" "$WORK/$mode.log" MALLOC_ARENA_MAX=2 QUARKUS_THREAD_POOL_MAX_THREADS=20
    else
        JAVA_OPTS=$BASE_JAVA_OPTS
        LAUNCH=
        start_pgstack "$HTTP_PORT" "$MGMT_PORT" "$WORK/$mode.log"
    fi
    for s in "${WORKLOADS[@]}"; do
        warm "$HTTP_PORT" "$s" "$WARMUP"
        read -r r p _ <<< "$(measure "$HTTP_PORT" "$s")"
        rps[$mode,$s]+="$r "
        p99[$mode,$s]+="$p "
    done
    kill -0 "$APP_PID" 2>/dev/null || { echo "pgstack ($mode) died during round $1"; cat "$WORK/$mode.log"; exit 1; }
    if [ "$mode" = limited ]; then
        local hwm
        hwm=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$APP_PID/status")
        [ "$hwm" -gt "$peak_rss" ] && peak_rss=$hwm
        if [ -n "$CGROUP" ]; then
            local cg
            cg=$(( $(cat "$CGROUP/$PEAK_FILE") / 1024 / 1024 ))
            [ "$cg" -gt "$peak_cgroup" ] && peak_cgroup=$cg
        fi
    fi
    stop_pid "$APP_PID"; APP_PID=
    if grep -q 'OutOfMemoryError' "$WORK/$mode.log"; then oom_errors=$((oom_errors + 1)); fi
    echo "round $1 $mode: $(for s in "${WORKLOADS[@]}"; do printf '%s ' "$(echo "${rps[$mode,$s]}" | awk '{print $NF}')"; done)req/s"
    "${PSQL[@]}" -d bench -c "DELETE FROM messages WHERE content = 'bench message'" -c "VACUUM ANALYZE messages"
}

echo "== $ROUNDS rounds, each workload warmed $WARMUP s then measured $DURATION s, $CONNECTIONS connections"
for round in $(seq 1 "$ROUNDS"); do
    # alternate which goes first, so that drift within a round falls on both alike
    if [ $((round % 2)) = 1 ]; then run "$round" unlimited; run "$round" limited
    else run "$round" limited; run "$round" unlimited; fi
done

med() { # values (wrk's latencies in us, ms or s become ms)
    echo "$1" | tr ' ' '\n' | grep -v '^$' | awk '{v = $1; f = 1}
        v ~ /us$/ {f = 0.001} v ~ /ms$/ {f = 1} v ~ /[0-9]s$/ {f = 1000}
        {sub(/[mu]?s$/, "", v); print v * f}' | median
}
echo
echo "| workload | unlimited req/s | $LIMIT_MIB MiB req/s | $LIMIT_MIB MiB / unlimited | unlimited p99 | $LIMIT_MIB MiB p99 |"
echo "|---|---|---|---|---|---|"
for s in "${WORKLOADS[@]}"; do
    u=$(med "${rps[unlimited,$s]}"); l=$(med "${rps[limited,$s]}")
    echo "| ${label[$s]} | $u | $l | $(ratio "$l" "$u") | $(med "${p99[unlimited,$s]}") ms | $(med "${p99[limited,$s]}") ms |"
done
echo
echo "medians of $ROUNDS rounds; runs (req/s):"
for s in "${WORKLOADS[@]}"; do echo "  ${label[$s]}: unlimited ${rps[unlimited,$s]}| $LIMIT_MIB MiB ${rps[limited,$s]}"; done
echo "$LIMIT_MIB MiB runs: $limit_note; peak RSS (VmHWM) $peak_rss MiB${CGROUP:+, cgroup peak $peak_cgroup MiB (with page cache)}; runs with an OutOfMemoryError: $oom_errors"
echo "machine: $(nproc) cores; wrk, PostgreSQL and pgstack share them"
