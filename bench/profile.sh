#!/usr/bin/env bash
# Where pgstack's CPU goes on each hot path: JFR (built into the JDK) records the packaged jar under wrk for
# DURATION seconds per workload, after WARMUP seconds of warm-up, and prints the methods most often on top of a
# sampled stack (self time) and pgstack's own frames most often anywhere in one (total time), with the
# CPU each request cost the service and PostgreSQL in the same run. One recording per workload, kept in
# OUT (default target/profile) for JDK Mission Control.
#
#   bash bench/profile.sh                        # W1 and W3
#   PROFILE_WORKLOADS="product history write page" TOP=30 bash bench/profile.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/lib.sh
source bench/lib.sh
OUT=${OUT:-target/profile}
TOP=${TOP:-20}
read -r -a PROFILED <<< "${PROFILE_WORKLOADS:-product write}"
# jfr view (hot methods) needs a JDK 21+; the recording itself comes from whatever JDK runs the service
JFR_TOOL=${JFR_TOOL:-$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr 2>/dev/null || command -v jfr)}

cleanup() {
    [ -n "${APP_PID:-}" ] && stop_pid "$APP_PID"
    stop_cluster
    rm -rf "$WORK"
}
trap cleanup EXIT

prepare
mkdir -p "$OUT"
start_cluster
start_pgstack "$HTTP_PORT" "$MGMT_PORT" "$WORK/app.log"
seed
write_workloads
for s in "${PROFILED[@]}"; do
    warm "$HTTP_PORT" "$s" "$WARMUP"
    jcmd "$APP_PID" JFR.start name="$s" settings=profile filename="$OUT/$s.jfr" >/dev/null
    read -r rps p99 bad svc pg <<< "$(measure_cpu "$HTTP_PORT" "$s" "$APP_PID")"
    jcmd "$APP_PID" JFR.stop name="$s" >/dev/null
    echo
    echo "== ${label[$s]}: $rps req/s, p99 $p99, non-2xx $bad; CPU per request: service $svc µs, PostgreSQL $pg µs"
    echo "-- top $TOP methods on top of the sampled stacks (self)"
    { "$JFR_TOOL" view --width 160 --truncate beginning hot-methods "$OUT/$s.jfr" | tail -n +5 | head -n "$TOP"; } \
        || true # head closes the pipe early
    echo "-- top $TOP of pgstack's own frames anywhere in the sampled stacks (total)"
    "$JFR_TOOL" print --events jdk.ExecutionSample --stack-depth 64 "$OUT/$s.jfr" \
        | awk '/jdk.ExecutionSample/ {if (n) for (f in seen) total[f]++; delete seen; n++}
               /line:/ {sub(/^[ \t]+/, ""); sub(/[ \t]+line:.*/, ""); seen[$0] = 1}
               END {for (f in seen) total[f]++; for (f in total) printf "%6.1f%%  %s\n", 100 * total[f] / n, f}' \
        | grep -E "^ *[0-9.]+%  dev\.pgstack" \
        | sort -rn | head -n "$TOP" || true
done
echo
echo "recordings: $OUT/*.jfr; machine: $(nproc) cores, wrk, PostgreSQL and the service sharing them"
