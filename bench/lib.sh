# Shared by the benchmark scripts (sourced, not run): settings, a throwaway PostgreSQL cluster seeded with the
# benchmark's data, the wrk scripts of the five workloads, starting pgstack, and measuring.
# shellcheck shell=bash

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
POOL=${POOL:-16}
MAX_CONNECTIONS=${MAX_CONNECTIONS:-200}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55432}
HTTP_PORT=${HTTP_PORT:-18080}
MGMT_PORT=${MGMT_PORT:-19000}
JAVA_OPTS=${JAVA_OPTS:-}
WORKLOADS=(product history write page history5000)
declare -A label=([product]="W1 GET /api/products/{id}" [history]="W2 GET /api/users/{id}/messages?limit=20 (50 messages)"
    [write]="W3 POST /api/users/{id}/messages" [page]="W4 GET /api/products?skip=N&limit=20"
    [history5000]="W5 GET /api/users/{id}/messages?limit=20 (5,000 + 5,000 deleted)")

WORK=$(mktemp -d /tmp/pgstack-bench-XXXXXX)
chmod 755 "$WORK"
PSQL=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt)

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_cluster() {
    as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true
}

# installs what is missing (wrk, and whatever else is named) and builds the jar if there is none
prepare() { # [command:debian-package...]
    local wanted command package
    for wanted in wrk:wrk "$@"; do
        command=${wanted%%:*}; package=${wanted#*:}
        command -v "$command" >/dev/null || [ -x "/usr/sbin/$command" ] \
            || { echo "installing $package"; apt-get install -y -q "$package" >/dev/null; }
    done
    [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
}

start_cluster() {
    echo "== PostgreSQL: throwaway cluster on port $PG_PORT"
    if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; fi
    as_postgres "$PG_BIN/initdb" -D "$WORK/data" -U postgres -A trust >/dev/null
    as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -o "-p $PG_PORT -k $WORK -c max_connections=$MAX_CONNECTIONS" \
        -l "$WORK/pg.log" -w start >/dev/null
    "${PSQL[@]}" -c "CREATE DATABASE bench"
}

# pgstack on the bench database. Extra environment as arguments (NAME=value); JAVA_OPTS as set; a wrapper
# command (e.g. one that enters a memory cgroup) in LAUNCH; another jar in JAR_OVERRIDE. Sets APP_PID and waits
# until it is ready.
start_pgstack() { # http-port mgmt-port log [NAME=value...]
    local http=$1 mgmt=$2 log=$3
    shift 3
    # shellcheck disable=SC2086
    env DATABASE_URL="${BENCH_DATABASE_URL:-postgresql://postgres:unused@127.0.0.1:$PG_PORT/bench}" \
        DB_POOL_SIZE="$POOL" DB_MAX_OVERFLOW="$POOL" QUARKUS_HTTP_PORT="$http" QUARKUS_MANAGEMENT_PORT="$mgmt" \
        QUARKUS_SHUTDOWN_DELAY=0S QUARKUS_LOG_LEVEL=WARN "$@" \
        ${LAUNCH:-} java $JAVA_OPTS -jar "${JAR_OVERRIDE:-target/quarkus-app/quarkus-run.jar}" > "$log" 2>&1 &
    APP_PID=$!
    local _
    for _ in $(seq 1 120); do
        curl -fs -o /dev/null "http://127.0.0.1:$mgmt/q/health/ready" && return 0
        kill -0 "$APP_PID" 2>/dev/null || break
        sleep 0.5
    done
    cat "$log"
    echo "pgstack did not become ready"
    return 1
}

stop_pid() { # pid: TERM, then wait for it to exit
    kill "$1" 2>/dev/null || return 0
    wait "$1" 2>/dev/null || true
}

seed() {
    echo "== seeding"
    "${PSQL[@]}" -d bench <<'SQL'
INSERT INTO products (id, name, description, price, quantity, category_id, created_at, updated_at)
    SELECT g, 'product ' || g, 'description of product ' || g, (g % 1000) + 0.99, g % 7, NULL,
           now() - g * interval '1 minute', now() FROM generate_series(1, 10000) g;
SELECT setval('products_id_seq', 20000);
INSERT INTO users SELECT g, now(), now() FROM generate_series(1, 200) g;
INSERT INTO users SELECT g, now(), now() FROM generate_series(1001, 1010) g;
INSERT INTO messages (id, user_id, role, content, content_length, created_at)
    SELECT gen_random_uuid(), u, 'user', 'message ' || m, 8 + length(m::text), now() - m * interval '1 second'
    FROM generate_series(1, 200) u, generate_series(1, 50) m;
-- the history case: 5,000 active messages, and 5,000 newer ones that were soft-deleted
INSERT INTO messages (id, user_id, role, content, content_length, created_at, deleted_at)
    SELECT gen_random_uuid(), u, 'user', 'message ' || m, 8 + length(m::text), now() - m * interval '1 second',
           CASE WHEN m <= 5000 THEN now() END
    FROM generate_series(1001, 1010) u, generate_series(1, 10000) m;
VACUUM ANALYZE;
SQL
}

write_workloads() {
    lua() { # name method path-expression [body]
        cat > "$WORK/$1.lua" <<LUA
wrk.method = "$2"
wrk.headers["Content-Type"] = "application/json"
${4:+wrk.body = '$4'}
request = function()
  return wrk.format(nil, $3)
end
LUA
    }
    lua product GET '"/api/products/" .. math.random(1, 10000)'
    lua history GET '"/api/users/" .. math.random(1, 200) .. "/messages?limit=20"'
    lua write POST '"/api/users/" .. math.random(1, 200) .. "/messages"' '{"role":"user","content":"bench message"}'
    lua page GET '"/api/products?skip=" .. math.random(0, 9980) .. "&limit=20"'
    lua history5000 GET '"/api/users/" .. math.random(1001, 1010) .. "/messages?limit=20"'
}

warm() { # port workload seconds
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${3}s" -s "$WORK/$2.lua" "http://127.0.0.1:$1" >/dev/null
}

measure() { # port workload -> "rps p99 non2xx"
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --latency -s "$WORK/$2.lua" "http://127.0.0.1:$1" \
        > "$WORK/wrk.out"
    awk '/Requests\/sec/ {rps=int($2)} $1 == "99%" {p99=$2} /Non-2xx/ {bad=$NF}
         END {printf "%s %s %s\n", rps, (p99 == "" ? "?" : p99), (bad == "" ? 0 : bad)}' "$WORK/wrk.out"
}

# CPU time (user + system, in clock ticks) a process has used so far; 0 once it is gone
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# the same for the cluster: its postmaster and every child (backends, walwriter, checkpointer, ...), and the
# children that ended (the postmaster's cutime + cstime: it reaps its backends), so that a backend ending during a
# run keeps its CPU in the sum (an idle pool connection closing while the other service is measured)
pg_ticks() {
    local postmaster total p
    postmaster=$(head -1 "$WORK/data/postmaster.pid")
    total=$(awk '{print $16 + $17}' "/proc/$postmaster/stat" 2>/dev/null || echo 0)
    for p in $postmaster $(pgrep -P "$postmaster"); do total=$((total + $(cpu_ticks "$p"))); done
    echo "$total"
}

# measure, and the CPU each request cost: the service process's and all of PostgreSQL's, in microseconds per
# request (the CPU over the run divided by the requests wrk counted)
measure_cpu() { # port workload service-pid -> "rps p99 non2xx service-us postgres-us"
    local svc0 pg0 svc1 pg1 tck requests m_rps m_p99 m_bad
    svc0=$(cpu_ticks "$3"); pg0=$(pg_ticks)
    read -r m_rps m_p99 m_bad <<< "$(measure "$1" "$2")"
    svc1=$(cpu_ticks "$3"); pg1=$(pg_ticks)
    tck=$(getconf CLK_TCK)
    requests=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
    awk -v r="$m_rps" -v p="$m_p99" -v b="$m_bad" -v n="$requests" -v s=$((svc1 - svc0)) -v g=$((pg1 - pg0)) \
        -v t="$tck" 'BEGIN {printf "%s %s %s %.1f %.1f\n", r, p, b, s * 1e6 / t / n, g * 1e6 / t / n}'
}

rss() { awk '/VmRSS/ {rss = $2} /VmHWM/ {peak = $2} END {printf "%d MiB (peak %d MiB)", rss / 1024, peak / 1024}' \
    "/proc/$1/status"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
