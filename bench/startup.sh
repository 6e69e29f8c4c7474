#!/usr/bin/env bash
# Start-to-ready of the packaged service on this machine, in one sitting: JDK 17 with the fast-jar (the packaging
# before a156609 of 2026-11-26, the issue's "about 4 s"), JDK 17 and JDK 25 with the aot-jar that ./mvnw package
# builds now, and
# JDK 25 with an AOT cache (JEP 483/515) trained by a run that starts the service, serves deploy/aot-training.sh's
# requests and stops. Every JVM runs with the Deployment's options (deploy/jvm-options); the training run without
# their -XX:MaxMetaspaceSize, as deploy/build-aot-image.sh does. Start-to-ready is from the exec of java to the first
# 200 of /q/health/ready (the database already up and migrated, as for a pod that restarts), probed from this shell
# every 20 ms without a new process (a curl per probe would take a tenth of these 2 cores); besides it, the CPU time
# the JVM used until then (user + system, all threads: steadier than the wall clock on a shared machine). The
# variants alternate run by run, so that a slow minute of the machine does not land on one of them only.
#
#   bash bench/startup.sh            # 5 starts each
#   RUNS=10 JDK25=/path/to/jdk25 bash bench/startup.sh
#   VARIANTS="jdk25-aot" APP_DIR=/path/to/quarkus-app bash bench/startup.sh   # one variant, another build
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

RUNS=${RUNS:-5}
VARIANTS=${VARIANTS:-jdk17-fast-jar jdk17 jdk25 jdk25-aot}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
PG_PORT=${PG_PORT:-55433}
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
read -r -a OPTS < deploy/jvm-options
read -r -a TRAIN_OPTS <<< "$(sed -E 's/-XX:MaxMetaspaceSize=[^ ]+ ?//' deploy/jvm-options)"
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
# the copies the runs use (a cache is only valid for the same jars and JDK)
cp -r "${APP_DIR:-target/quarkus-app}" "$WORK/app"
if [[ " $VARIANTS " == *" jdk17-fast-jar "* ]]; then
    echo "== building the fast-jar (target/startup-fast-jar)"
    ./mvnw -q -B package -DskipTests -Dquarkus.package.jar.type=fast-jar \
        -Dquarkus.package.output-directory=startup-fast-jar >/dev/null
    cp -r target/startup-fast-jar "$WORK/fast-jar"
fi

if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; fi
as_postgres "$PG_BIN/initdb" -D "$WORK/data" -U postgres -A trust >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -o "-p $PG_PORT -k $WORK" -l "$WORK/pg.log" -w start >/dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt -c "CREATE DATABASE app"
export DATABASE_URL="postgresql://postgres:unused@127.0.0.1:$PG_PORT/app"
export QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_MANAGEMENT_PORT=$MGMT_PORT QUARKUS_SHUTDOWN_DELAY=0S

ready() { # readiness 200, asked over bash's own socket
    { exec 3<>"/dev/tcp/127.0.0.1/$MGMT_PORT"; } 2>/dev/null || return 1
    printf 'GET /q/health/ready HTTP/1.0\r\n\r\n' >&3
    local status
    read -r status <&3 || true
    exec 3<&-
    [[ $status == *" 200 "* ]]
}
start_to_ready() { # app-dir java-binary [options...] -> "wall-ms cpu-ms"
    local dir=$1 java=$2; shift 2
    local t0 t1
    t0=$(date +%s%N)
    (cd "$dir" && exec "$java" "$@" -jar quarkus-run.jar > "$WORK/run.log" 2>&1) &
    local pid=$!
    until ready; do
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
start_to_ready "$WORK/app" "$JDK17/bin/java" "${OPTS[@]}" >/dev/null

if [[ " $VARIANTS " == *" jdk25-aot "* ]]; then
    echo "== training the AOT cache on JDK 25 (start, deploy/aot-training.sh, stop)"
    (cd "$WORK/app" && exec "$JDK25/bin/java" "${TRAIN_OPTS[@]}" -XX:AOTCacheOutput=app.aot -jar quarkus-run.jar \
        > "$WORK/train.log" 2>&1) &
    TRAIN=$!
    until ready; do sleep 0.1; done
    bash deploy/aot-training.sh "http://127.0.0.1:$HTTP_PORT"
    kill "$TRAIN"; wait "$TRAIN" 2>/dev/null || true
    [ -s "$WORK/app/app.aot" ] || { tail -20 "$WORK/train.log"; echo "no AOT cache written"; exit 1; }
    echo "AOT cache: $(($(stat -c %s "$WORK/app/app.aot") / 1024 / 1024)) MiB"
fi

declare -A walls cpus
for _ in $(seq 1 "$RUNS"); do
    for variant in $VARIANTS; do
        case $variant in
            jdk17-fast-jar) read -r wall cpu <<< "$(start_to_ready "$WORK/fast-jar" "$JDK17/bin/java" "${OPTS[@]}")" ;;
            jdk17) read -r wall cpu <<< "$(start_to_ready "$WORK/app" "$JDK17/bin/java" "${OPTS[@]}")" ;;
            jdk25) read -r wall cpu <<< "$(start_to_ready "$WORK/app" "$JDK25/bin/java" "${OPTS[@]}")" ;;
            jdk25-aot) read -r wall cpu <<< "$(start_to_ready "$WORK/app" "$JDK25/bin/java" "${OPTS[@]}" \
                -XX:AOTCache=app.aot)" ;;
            *) echo "unknown variant $variant"; exit 1 ;;
        esac
        walls[$variant]+="$wall "; cpus[$variant]+="$cpu "
    done
done
declare -A name=([jdk17-fast-jar]="JDK 17, fast-jar" [jdk17]="JDK 17" [jdk25]="JDK 25"
    [jdk25-aot]="JDK 25 + AOT cache")
first=${VARIANTS%% *}
base=$(tr ' ' '\n' <<< "${walls[$first]}" | grep . | median)
echo
echo "| JVM (aot-jar unless said) | start to ready, median of $RUNS | / ${name[$first]} | CPU time until ready, median | runs (ms) |"
echo "|---|---|---|---|---|"
for variant in $VARIANTS; do
    w=$(tr ' ' '\n' <<< "${walls[$variant]}" | grep . | median)
    c=$(tr ' ' '\n' <<< "${cpus[$variant]}" | grep . | median)
    echo "| ${name[$variant]} | $w ms | $(awk -v a="$w" -v b="$base" 'BEGIN {printf "%.2f", a / b}') | $c ms | ${walls[$variant]}|"
done
echo "machine: $(nproc) cores; JVM options: ${OPTS[*]}"
