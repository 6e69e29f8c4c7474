#!/usr/bin/env bash
# Start-to-ready of the packaged jar on this machine: JDK 17 (the default), JDK 25, and JDK 25 with an AOT cache
# (JEP 483/515, -XX:AOTCache) trained by a short run that starts the service, serves the example APIs and stops.
# Start-to-ready is from the exec of java to the first 200 of /q/health/ready (the database already up and
# migrated, as for a pod that restarts), and the CPU time the JVM used until then (user + system, all threads:
# steadier than the wall clock on a shared machine, and what a start costs a node).
#
#   bash bench/startup.sh            # 5 starts each
#   RUNS=10 JDK25=/path/to/jdk25 bash bench/startup.sh
#   VARIANTS="jdk25-aot" APP_DIR=/path/to/quarkus-app bash bench/startup.sh   # one variant, another build
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

RUNS=${RUNS:-5}
VARIANTS=${VARIANTS:-jdk17 jdk25 jdk25-aot}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
PG_PORT=${PG_PORT:-55433}
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
HTTP_PORT=18380
MGMT_PORT=19300
WORK=$(mktemp -d /tmp/pgstack-startup-XXXXXX)
chmod 755 "$WORK"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
[ -x "$JDK25/bin/java" ] || { echo "no JDK 25 at $JDK25 (set JDK25)"; exit 1; }

if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; fi
as_postgres "$PG_BIN/initdb" -D "$WORK/data" -U postgres -A trust >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -o "-p $PG_PORT -k $WORK" -l "$WORK/pg.log" -w start >/dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt -c "CREATE DATABASE app"
export DATABASE_URL="postgresql://postgres:unused@127.0.0.1:$PG_PORT/app"
export QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_MANAGEMENT_PORT=$MGMT_PORT QUARKUS_SHUTDOWN_DELAY=0S

# the copy of target/quarkus-app that the cache belongs to (a cache is only valid for the same jars and JDK)
cp -r "${APP_DIR:-target/quarkus-app}" "$WORK/app"

start_to_ready() { # java-binary [options...] -> "wall-ms cpu-ms"
    local java=$1; shift
    local t0 t1
    t0=$(date +%s%N)
    (cd "$WORK/app" && exec "$java" "$@" -jar quarkus-run.jar > "$WORK/run.log" 2>&1) &
    local pid=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/q/health/ready"; do
        kill -0 "$pid" 2>/dev/null || { cat "$WORK/run.log"; exit 1; }
        sleep 0.02
    done
    t1=$(date +%s%N)
    local ticks
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "$(((t1 - t0) / 1000000)) $((ticks * 1000 / $(getconf CLK_TCK)))"
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# first start migrates the empty database; not measured
start_to_ready "$JDK17/bin/java" >/dev/null

if [[ " $VARIANTS " == *" jdk25-aot "* ]]; then
    echo "== training the AOT cache on JDK 25 (start, serve each API, stop)"
    (cd "$WORK/app" && exec "$JDK25/bin/java" -XX:AOTCacheOutput=app.aot -jar quarkus-run.jar > "$WORK/train.log" 2>&1) &
    TRAIN=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/q/health/ready"; do sleep 0.1; done
    for i in $(seq 1 30); do
        curl -fs -o /dev/null -X PUT "http://127.0.0.1:$HTTP_PORT/api/users/$i"
        curl -fs -o /dev/null -H 'Content-Type: application/json' -d '{"role":"user","content":"train"}' \
            "http://127.0.0.1:$HTTP_PORT/api/users/$i/messages"
        curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/api/users/$i/messages?limit=20"
        curl -fs -o /dev/null -H 'Content-Type: application/json' -d "{\"name\":\"p$i\",\"price\":1.5}" \
            "http://127.0.0.1:$HTTP_PORT/api/products"
        curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/api/products?limit=20"
        curl -fs -o /dev/null -H 'Content-Type: application/json' -d "{\"name\":\"c$i\"}" \
            "http://127.0.0.1:$HTTP_PORT/api/companies" || true
    done
    kill "$TRAIN"; wait "$TRAIN" 2>/dev/null || true
    [ -s "$WORK/app/app.aot" ] || { tail -20 "$WORK/train.log"; echo "no AOT cache written"; exit 1; }
    echo "AOT cache: $(($(stat -c %s "$WORK/app/app.aot") / 1024 / 1024)) MiB"
fi

declare -A results
for variant in $VARIANTS; do
    times=(); cpus=()
    for _ in $(seq 1 "$RUNS"); do
        case $variant in
            jdk17) read -r wall cpu <<< "$(start_to_ready "$JDK17/bin/java")" ;;
            jdk25) read -r wall cpu <<< "$(start_to_ready "$JDK25/bin/java")" ;;
            jdk25-aot) read -r wall cpu <<< "$(start_to_ready "$JDK25/bin/java" -XX:AOTCache=app.aot)" ;;
            *) echo "unknown variant $variant"; exit 1 ;;
        esac
        times+=("$wall"); cpus+=("$cpu")
    done
    results[$variant]="$(printf '%s\n' "${times[@]}" | median) ms | $(printf '%s\n' "${cpus[@]}" | median) ms | ${times[*]}"
done
declare -A name=([jdk17]="JDK 17" [jdk25]="JDK 25" [jdk25-aot]="JDK 25 + AOT cache")
echo
echo "| JVM | start to ready, median of $RUNS | CPU time until ready, median | runs (ms) |"
echo "|---|---|---|---|"
for variant in $VARIANTS; do echo "| ${name[$variant]} | ${results[$variant]} |"; done
echo "machine: $(nproc) cores"
