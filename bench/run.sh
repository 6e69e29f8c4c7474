#!/usr/bin/env bash
# pgstack against the JVM ceiling reference (../shared/reference) and against pgbench running the same SQL, in
# one sitting on this machine: the ratios are what to compare across runs (absolute numbers follow the load).
# Beside each throughput, the CPU each request cost the service process and all of PostgreSQL's processes.
#
#   bash bench/run.sh                                  # 10 s per measurement, 64 connections
#   DURATION=20 CONNECTIONS=64 WARMUP=15 bash bench/run.sh
#   JAVA_OPTS="-XX:MaxRAM=256m -XX:+UseSerialGC" bash bench/run.sh   # pgstack with other JVM options
#   PGBOUNCER=0 bash bench/run.sh                      # without the run behind PgBouncer
#
# Needs: a JDK, PostgreSQL server binaries (PG_BIN, default /usr/lib/postgresql/15/bin, with pgbench), wrk and
# Maven for the reference (both installed with apt-get when missing). Runs a throwaway cluster on its own port
# and data directory, seeded alike for both services: 10,000 products, 200 users x 50 messages, and 10 users
# with 5,000 active and 5,000 soft-deleted messages (the history case). Last, W1 and W3 again through PgBouncer
# (Debian's package, transaction pooling, pgbouncer=true) next to the direct figures.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# shellcheck source=bench/lib.sh
source bench/lib.sh
REF_PORT=${REF_PORT:-18090}
REFERENCE=${REFERENCE:-$ROOT/../shared/reference}

cleanup() {
    [ -n "${APP_PID:-}" ] && stop_pid "$APP_PID"
    [ -n "${REF_PID:-}" ] && kill "$REF_PID" 2>/dev/null || true
    [ -n "${BOUNCED_PID:-}" ] && kill "$BOUNCED_PID" 2>/dev/null || true
    # pgbouncer runs under runuser, which does not pass the signal on: stop it by its pid file
    [ -f "$WORK/pgbouncer.pid" ] && kill "$(cat "$WORK/pgbouncer.pid")" 2>/dev/null || true
    stop_cluster
    rm -rf "$WORK"
}
trap cleanup EXIT

if [ "${PGBOUNCER:-1}" = 1 ]; then prepare mvn:maven pgbouncer:pgbouncer; else prepare mvn:maven; fi
start_cluster
echo "== pgstack: packaged jar, pool of $POOL${JAVA_OPTS:+, JAVA_OPTS=$JAVA_OPTS}"
start_pgstack "$HTTP_PORT" "$MGMT_PORT" "$WORK/app.log"
seed

echo "== reference: $REFERENCE (built in a copy)"
cp -r "$REFERENCE" "$WORK/reference"
REF_PID=$(cd "$WORK/reference" && PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres PGPASSWORD=unused \
    PGDATABASE=bench PORT=$REF_PORT TMPDIR=$WORK bash run.sh)

write_workloads

# pgstack's request path is far longer than the reference's: 4 s of warm-up left it half compiled (W1 measured
# 7.1k req/s in one sitting, 11.2-11.5k once the same jar had run 30 s), so each workload warms for WARMUP
# seconds on both.
echo "== warm-up (JIT), both services: $WARMUP s per workload"
for s in "${WORKLOADS[@]}"; do warm "$HTTP_PORT" "$s" "$WARMUP"; done
for s in product history write history5000; do warm "$REF_PORT" "$s" "$WARMUP"; done

echo "== measuring: $DURATION s each, $CONNECTIONS connections, $THREADS wrk threads"
rows=()
cpu_rows=()
for s in "${WORKLOADS[@]}"; do
    read -r p_rps p_p99 p_bad p_svc p_pg <<< "$(measure_cpu "$HTTP_PORT" "$s" "$APP_PID")"
    if [ "$s" = page ]; then
        r_rps="-"; r_p99="-"; ratio="-"; r_svc="-"; r_pg="-"; svc_ratio="-"; pg_ratio="-"
    else
        read -r r_rps r_p99 _ r_svc r_pg <<< "$(measure_cpu "$REF_PORT" "$s" "$REF_PID")"
        ratio=$(ratio "$p_rps" "$r_rps"); svc_ratio=$(ratio "$p_svc" "$r_svc"); pg_ratio=$(ratio "$p_pg" "$r_pg")
    fi
    rows+=("| ${label[$s]} | $p_rps | $p_p99 | $p_bad | $r_rps | $r_p99 | $ratio |")
    cpu_rows+=("| ${label[$s]} | $p_svc / $p_pg | $r_svc / $r_pg | $svc_ratio / $pg_ratio |")
done

# the SQL that pgstack sends for W1 to W4 (db.reactive.ReactiveSql: one statement each, W3 its own
# transaction), run by pgbench with as many clients as pgstack has connections and the settings of its reactive
# connections (planned once, no JIT)
cat > "$WORK/w1.sql" <<'SQL'
\set id random(1, 10000)
SELECT id, name, description, price, quantity, category_id, created_at, updated_at FROM products WHERE id = :id;
SQL
cat > "$WORK/w2.sql" <<'SQL'
\set id random(1, 200)
SELECT m.id, m.role, m.content, m.content_length, m.created_at FROM users u LEFT JOIN LATERAL (SELECT id, role, content, content_length, created_at FROM messages WHERE user_id = u.id AND deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT COALESCE(20::integer, (SELECT max_history_messages FROM user_settings WHERE user_id = u.id), 20)) m ON true WHERE u.id = :id ORDER BY m.created_at DESC, m.id DESC;
SQL
cat > "$WORK/w3.sql" <<'SQL'
\set id random(1, 200)
INSERT INTO messages (id, user_id, role, content, content_length, created_at) VALUES (gen_random_uuid(), :id, 'user', 'bench message', 13, now());
SQL
cat > "$WORK/w4.sql" <<'SQL'
\set skip random(0, 9980)
\set limit 20
SELECT n.total, o.id, o.name, o.description, o.price, o.quantity, o.category_id, o.created_at, o.updated_at FROM (SELECT products AS total FROM product_count) n LEFT JOIN LATERAL (SELECT p.id FROM products p order by p.id OFFSET :skip ROWS FETCH FIRST :limit ROWS ONLY) page ON true LEFT JOIN LATERAL (SELECT o.* FROM products o WHERE o.id = page.id OFFSET 0) o ON true order by o.id;
SQL
pgbench_tps() {
    PGOPTIONS="-c plan_cache_mode=force_generic_plan -c jit=off" "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$POOL" -j "$THREADS" \
        -T "$DURATION" -f "$1" bench 2>/dev/null | awk '/^tps/ {print int($3)}'
}
w1_pg=$(pgbench_tps "$WORK/w1.sql")
w2_pg=$(pgbench_tps "$WORK/w2.sql")
w3_pg=$(pgbench_tps "$WORK/w3.sql")
w4_pg=$(pgbench_tps "$WORK/w4.sql")
app_rss=$(rss "$APP_PID")
ref_rss=$(rss "$REF_PID")

# the same service behind PgBouncer in transaction pooling mode (pgbouncer=true), the reference stopped
bouncer_rows=()
if [ "${PGBOUNCER:-1}" = 1 ]; then
    kill "$REF_PID" 2>/dev/null; REF_PID=
    BOUNCER_PORT=${BOUNCER_PORT:-56432}
    cat > "$WORK/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PG_PORT user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = $POOL
max_client_conn = 1000
ignore_startup_parameters = extra_float_digits
logfile = $WORK/pgbouncer.log
pidfile = $WORK/pgbouncer.pid
INI
    if [ "$(id -u)" = 0 ]; then chown postgres "$WORK/pgbouncer.ini"; fi
    as_postgres /usr/sbin/pgbouncer "$WORK/pgbouncer.ini" > /dev/null 2>&1 &
    sleep 1
    DIRECT_PID=$APP_PID
    BENCH_DATABASE_URL="postgresql://postgres:unused@127.0.0.1:$BOUNCER_PORT/bench?pgbouncer=true" \
        start_pgstack $((HTTP_PORT + 1)) $((MGMT_PORT + 1)) "$WORK/bounced.log"
    BOUNCED_PID=$APP_PID
    APP_PID=$DIRECT_PID
    # a JVM of its own: as much warm-up as the direct one (with 4 s its C2 compiler was still busy for a minute)
    for s in product write; do warm $((HTTP_PORT + 1)) "$s" "$WARMUP"; done
    for s in product write; do
        read -r b_rps b_p99 b_bad <<< "$(measure "$((HTTP_PORT + 1))" "$s")"
        direct=$([ "$s" = product ] && echo "${rows[0]}" || echo "${rows[2]}")
        d_rps=$(echo "$direct" | awk -F'|' '{print $3+0}')
        bouncer_rows+=("| ${label[$s]} | $d_rps | $b_rps | $b_p99 | $b_bad | $(ratio "$b_rps" "$d_rps") |")
    done
fi

echo
echo "| workload | pgstack req/s | pgstack p99 | pgstack non-2xx | reference req/s | reference p99 | pgstack / reference |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "| CPU per request, µs: service / PostgreSQL | pgstack | reference | pgstack / reference |"
echo "|---|---|---|---|"
printf '%s\n' "${cpu_rows[@]}"
echo
w1=$(echo "${rows[0]}" | awk -F'|' '{print $3+0}')
w2=$(echo "${rows[1]}" | awk -F'|' '{print $3+0}')
w3=$(echo "${rows[2]}" | awk -F'|' '{print $3+0}')
w4=$(echo "${rows[3]}" | awk -F'|' '{print $3+0}')
echo "| same SQL in pgbench ($POOL clients) | tx/s | pgstack / pgbench |"
echo "|---|---|---|"
echo "| W1 select by id | $w1_pg | $(ratio "$w1" "$w1_pg") |"
echo "| W2 history (one statement) | $w2_pg | $(ratio "$w2" "$w2_pg") |"
echo "| W3 insert (its own transaction) | $w3_pg | $(ratio "$w3" "$w3_pg") |"
echo "| W4 page and total (one statement) | $w4_pg | $(ratio "$w4" "$w4_pg") |"
if [ ${#bouncer_rows[@]} -gt 0 ]; then
    echo
    echo "| through PgBouncer (transaction mode, pool $POOL) | direct req/s | via PgBouncer req/s | p99 | non-2xx | via / direct |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${bouncer_rows[@]}"
fi
echo
echo "RSS after the run: pgstack $app_rss, reference $ref_rss"
echo "machine: $(nproc) cores; wrk, PostgreSQL and both services share them"
