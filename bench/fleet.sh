#!/usr/bin/env bash
# A fleet on one small server: is a fleet whose instances share the server's connections (db.fleet) as fast as
# one instance? On a PostgreSQL with max_connections = 100 and a role that is not a superuser, the same client
# load (CONNECTIONS in all, split evenly over the instances) against:
#   1. one instance at its defaults (a budget of 40 connections);
#   2. four instances at their defaults, sharing the server (DB_FLEET_SHARE=true: about 18 connections each);
#   3. four instances sized by hand to fit (DB_FLEET_SHARE=false, a budget of 24 each: 96 in all), the control:
#      what four JVMs cost on this machine without any sharing.
# Per workload (W1-W3), the requests per second summed over the instances, non-2xx answers and the most client
# sessions the server had during the run. On a machine with fewer cores than instances the instances compete for
# the CPU: compare row 2 with row 3 for what the sharing costs, and with row 1 for what the fleet costs.
#
#   bash bench/fleet.sh
#   WARMUP=30 CONNECTIONS=64 bash bench/fleet.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/lib.sh
MAX_CONNECTIONS=100
source bench/lib.sh
WARMUP=${WARMUP:-20}
MEASURED=(product history write)
PIDS=()

cleanup() {
    stop_fleet
    stop_cluster
    rm -rf "$WORK"
}
trap cleanup EXIT

prepare
start_cluster
"${PSQL[@]}" -c "CREATE ROLE fleet LOGIN" -c "ALTER DATABASE bench OWNER TO fleet"
URL="postgresql://fleet:unused@127.0.0.1:$PG_PORT/bench"

start_fleet() { # instances [NAME=value...]: starts them together, sets PIDS
    local n=$1 i
    shift
    PIDS=()
    for i in $(seq 0 $((n - 1))); do
        (BENCH_DATABASE_URL=$URL start_pgstack $((HTTP_PORT + i)) $((MGMT_PORT + i)) "$WORK/app-$i.log" \
            DB_POOL_SIZE=5 DB_MAX_OVERFLOW=35 QUARKUS_LOG_LEVEL=INFO "$@" >/dev/null; \
            echo "$APP_PID" > "$WORK/pid-$i") &
    done
    wait
    for i in $(seq 0 $((n - 1))); do PIDS+=("$(cat "$WORK/pid-$i")"); done
}

stop_fleet() { # TERM to each, then wait until they are gone (they are not this shell's children)
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
    PIDS=()
}

# every instance counted the others: its log says "Fleet: <n> instances"
await_census() { # instances
    local i _
    for i in $(seq 0 $(($1 - 1))); do
        for _ in $(seq 1 60); do
            grep -q "Fleet: $1 instances" "$WORK/app-$i.log" && break
            sleep 0.5
        done
    done
}

# the workload on every instance at once, CONNECTIONS split evenly -> "rps non2xx peak-sessions"
fleet_measure() { # instances workload seconds
    local n=$1 i per=$(( CONNECTIONS / $1 ))
    ( while true; do
        "${PSQL[@]}" -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
        sleep 0.2
    done ) > "$WORK/sessions" 2>/dev/null &
    local sampler=$!
    for i in $(seq 0 $((n - 1))); do
        wrk -t 1 -c "$per" -d "${3}s" -s "$WORK/$2.lua" "http://127.0.0.1:$((HTTP_PORT + i))" > "$WORK/wrk-$i.out" &
    done
    wait $(jobs -p | grep -v "^$sampler$") 2>/dev/null || true
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
    cat "$WORK"/wrk-*.out | awk -v peak="$(sort -n "$WORK/sessions" | tail -1)" \
        '/Requests\/sec/ {rps += $2} /Non-2xx/ {bad += $NF} END {printf "%d %d %s\n", rps, bad, peak}'
    rm -f "$WORK"/wrk-*.out
}

rows=()
round() { # label instances census(yes|no) [NAME=value...]
    local name=$1 n=$2 census=$3 s rps bad peak
    shift 3
    echo "== $name"
    start_fleet "$n" "$@"
    [ -f "$WORK/seeded" ] || { seed >/dev/null; write_workloads; touch "$WORK/seeded"; }
    [ "$census" = no ] || await_census "$n"
    for s in "${MEASURED[@]}"; do fleet_measure "$n" "$s" "$WARMUP" >/dev/null; done
    local row="| $name |"
    for s in "${MEASURED[@]}"; do
        read -r rps bad peak <<< "$(fleet_measure "$n" "$s" "$DURATION")"
        row+=" $rps ($bad non-2xx, peak $peak) |"
    done
    grep -h "Fleet: $n instances" "$WORK"/app-*.log | tail -1 | sed 's/.*"message":"\([^"]*\)".*/   \1/' || true
    rows+=("$row")
    stop_fleet
}

round "1 instance, defaults (budget 40)" 1 no
round "4 instances, defaults, sharing the server" 4 yes
round "4 instances sized by hand (budget 24, no sharing)" 4 no DB_FLEET_SHARE=false DB_POOL_SIZE=5 DB_MAX_OVERFLOW=19

echo
echo "max_connections 100, $CONNECTIONS client connections in all, $DURATION s per run after $WARMUP s of warm-up;"
echo "requests per second summed over the instances (non-2xx answers, most client sessions on the server)"
echo
echo "| fleet | ${label[product]} | ${label[history]} | ${label[write]} |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
