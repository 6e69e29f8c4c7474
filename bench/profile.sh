#!/usr/bin/env bash
# Where pgstack's CPU goes on each hot path: JFR (built into the JDK) records the packaged jar under wrk for
# DURATION seconds per workload, after WARMUP seconds of warm-up, and prints the methods most often on top of a
# sampled stack (self time) and pgstack's own frames most often anywhere in one (total time), with the
# CPU each request cost the service and PostgreSQL in the same run. One recording per workload, kept in
# OUT (default target/profile) for JDK Mission Control.
# PROFILER=async samples with async-profiler instead (fetched from Maven Central into target/async-profiler,
# attached with jcmd): every thread's CPU, native code and the kernel's part included, where JFR sees only Java
# frames and few samples. It prints µs of the service's CPU per request spent with each layer on the stack
# (layers nest: the rows overlap) and keeps the stacks in OUT/<workload>.collapsed (flame graph input).
#
#   bash bench/profile.sh                        # W1 and W3
#   PROFILE_WORKLOADS="product history write page" TOP=30 bash bench/profile.sh
#   PROFILER=async bash bench/profile.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/lib.sh
source bench/lib.sh
OUT=${OUT:-target/profile}
TOP=${TOP:-20}
read -r -a PROFILED <<< "${PROFILE_WORKLOADS:-product write}"
# jfr view (hot methods) needs a JDK 21+; the recording itself comes from whatever JDK runs the service
JFR_TOOL=${JFR_TOOL:-$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr 2>/dev/null || command -v jfr)}
PROFILER=${PROFILER:-jfr}
ASYNC_PROFILER_VERSION=${ASYNC_PROFILER_VERSION:-4.2}
ASYNC_LIB=target/async-profiler/linux-x64/libasyncProfiler.so
INTERVAL_US=997 # async-profiler's CPU sampling interval: one sample is this much CPU

async_profiler() { # start|stop,...: the options, passed to the agent quoted (jcmd would split them at '=')
    jcmd "$APP_PID" JVMTI.agent_load "$PWD/$ASYNC_LIB" "\"$1\"" >/dev/null
}

# µs of CPU per request with each layer somewhere on the sampled stack
layers() { # collapsed-file requests
    awk -v n="$2" -v us="$INTERVAL_US" '
        BEGIN {
            k = split("_[k]|kernel (system calls, network)#" \
                  "org/jboss/resteasy/reactive|Quarkus REST#" \
                  "io/vertx/ext/web|Vert.x Web router (Quarkus HTTP filters and routes)#" \
                  "io/vertx/pgclient|reactive PostgreSQL client#" \
                  "com/fasterxml/jackson|Jackson#" \
                  "micrometer|Micrometer#" \
                  "io/quarkus/arc|ArC (CDI, interceptors)#" \
                  "org/hibernate/validator|Hibernate Validator#" \
                  "io/smallrye/mutiny|Mutiny#" \
                  "io/smallrye/context|SmallRye context propagation#" \
                  "dev/pgstack|pgstack'"'"'s own frames#" \
                  "CompileBroker|JIT compilers", spec, "#")
            for (i = 1; i <= k; i++) { split(spec[i], kv, "|"); pat[i] = kv[1]; name[i] = kv[2] }
        }
        { c = $NF; total += c; for (i = 1; i <= k; i++) if (index($0, pat[i])) hit[i] += c }
        END {
            printf "%8.1f µs  all of the service'"'"'s CPU\n", total * us / n
            for (i = 1; i <= k; i++) printf "%8.1f µs  %s\n", hit[i] * us / n, name[i]
        }' "$1"
}

if [ "$PROFILER" = async ] && [ ! -f "$ASYNC_LIB" ]; then
    mkdir -p target/async-profiler
    curl -fsSL -o target/async-profiler/ap.jar "https://repo1.maven.org/maven2/tools/profiler/async-profiler/$ASYNC_PROFILER_VERSION/async-profiler-$ASYNC_PROFILER_VERSION-linux-x64.jar"
    (cd target/async-profiler && unzip -q -o ap.jar 'linux-x64/*')
fi

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
    if [ "$PROFILER" = async ]; then
        async_profiler "start,event=cpu,interval=${INTERVAL_US}us"
        read -r rps p99 bad svc pg <<< "$(measure_cpu "$HTTP_PORT" "$s" "$APP_PID")"
        async_profiler "stop,collapsed,file=$PWD/$OUT/$s.collapsed"
        echo
        echo "== ${label[$s]}: $rps req/s, p99 $p99, non-2xx $bad; CPU per request: service $svc µs, PostgreSQL $pg µs"
        echo "-- the service's CPU per request by layer on the stack (async-profiler; layers nest, rows overlap)"
        layers "$OUT/$s.collapsed" "$(awk '/requests in/ {print $1}' "$WORK/wrk.out")"
        continue
    fi
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
echo "recordings: $OUT/*.jfr or *.collapsed; machine: $(nproc) cores, wrk, PostgreSQL and the service sharing them"
