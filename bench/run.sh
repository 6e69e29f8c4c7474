#!/usr/bin/env bash
# pgstack against the JVM ceiling reference (../shared/reference) and against pgbench running the same SQL, in
# one sitting on this machine: the ratios are what to compare across runs (absolute numbers follow the load).
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

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
POOL=${POOL:-16}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55432}
HTTP_PORT=${HTTP_PORT:-18080}
MGMT_PORT=${MGMT_PORT:-19000}
REF_PORT=${REF_PORT:-18090}
REFERENCE=${REFERENCE:-$ROOT/../shared/reference}
JAVA_OPTS=${JAVA_OPTS:-}
WORK=$(mktemp -d /tmp/pgstack-bench-XXXXXX)
chmod 755 "$WORK"

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
    [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
    [ -n "${REF_PID:-}" ] && kill "$REF_PID" 2>/dev/null || true
    [ -n "${BOUNCED_PID:-}" ] && kill "$BOUNCED_PID" 2>/dev/null || true
    [ -n "${BOUNCER_PID:-}" ] && kill "$BOUNCER_PID" 2>/dev/null || true
    as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -q wrk >/dev/null; }
command -v mvn >/dev/null || { echo "installing maven"; apt-get install -y -q maven >/dev/null; }
if [ "${PGBOUNCER:-1}" = 1 ] && ! [ -x /usr/sbin/pgbouncer ]; then
    echo "installing pgbouncer"; apt-get install -y -q pgbouncer >/dev/null
fi
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests

echo "== PostgreSQL: throwaway cluster on port $PG_PORT"
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; fi
as_postgres "$PG_BIN/initdb" -D "$WORK/data" -U postgres -A trust >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -o "-p $PG_PORT -k $WORK -c max_connections=200" -l "$WORK/pg.log" \
    -w start >/dev/null
PSQL=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt)
"${PSQL[@]}" -c "CREATE DATABASE bench"

echo "== pgstack: packaged jar, pool of $POOL${JAVA_OPTS:+, JAVA_OPTS=$JAVA_OPTS}"
# shellcheck disable=SC2086
DATABASE_URL="postgresql://postgres:unused@127.0.0.1:$PG_PORT/bench" DB_POOL_SIZE=$POOL DB_MAX_OVERFLOW=0 \
    QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_MANAGEMENT_PORT=$MGMT_PORT QUARKUS_SHUTDOWN_DELAY=0S \
    QUARKUS_LOG_LEVEL=WARN java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
    curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/q/health/ready" && break
    sleep 0.5
done
curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/q/health/ready" || { cat "$WORK/app.log"; exit 1; }

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

echo "== reference: $REFERENCE (built in a copy)"
cp -r "$REFERENCE" "$WORK/reference"
REF_PID=$(cd "$WORK/reference" && PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres PGPASSWORD=unused \
    PGDATABASE=bench PORT=$REF_PORT TMPDIR=$WORK bash run.sh)

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

measure() { # port script -> "rps p99 non2xx"
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --latency -s "$WORK/$2.lua" "http://127.0.0.1:$1" \
        > "$WORK/wrk.out"
    awk '/Requests\/sec/ {rps=int($2)} $1 == "99%" {p99=$2} /Non-2xx/ {bad=$NF}
         END {printf "%s %s %s\n", rps, (p99 == "" ? "?" : p99), (bad == "" ? 0 : bad)}' "$WORK/wrk.out"
}
rss() { awk '/VmRSS/ {rss = $2} /VmHWM/ {peak = $2} END {printf "%d MiB (peak %d MiB)", rss / 1024, peak / 1024}' \
    "/proc/$1/status"; }

# pgstack's request path is far longer than the reference's: 4 s of warm-up left it half compiled (W1 measured
# 7.1k req/s in one sitting, 11.2-11.5k once the same jar had run 30 s), so each workload warms for WARMUP
# seconds on both.
echo "== warm-up (JIT), both services: $WARMUP s per workload"
for s in product history write page history5000; do
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" -s "$WORK/$s.lua" "http://127.0.0.1:$HTTP_PORT" >/dev/null
done
for s in product history write history5000; do
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" -s "$WORK/$s.lua" "http://127.0.0.1:$REF_PORT" >/dev/null
done

echo "== measuring: $DURATION s each, $CONNECTIONS connections, $THREADS wrk threads"
declare -A label=([product]="W1 GET /api/products/{id}" [history]="W2 GET /api/users/{id}/messages?limit=20 (50 messages)"
    [write]="W3 POST /api/users/{id}/messages" [page]="W4 GET /api/products?skip=N&limit=20"
    [history5000]="W5 GET /api/users/{id}/messages?limit=20 (5,000 + 5,000 deleted)")
rows=()
for s in product history write page history5000; do
    read -r p_rps p_p99 p_bad <<< "$(measure "$HTTP_PORT" "$s")"
    if [ "$s" = page ]; then
        r_rps="-"; r_p99="-"; ratio="-"
    else
        read -r r_rps r_p99 _ <<< "$(measure "$REF_PORT" "$s")"
        ratio=$(awk -v a="$p_rps" -v b="$r_rps" 'BEGIN {printf "%.2f", a / b}')
    fi
    rows+=("| ${label[$s]} | $p_rps | $p_p99 | $p_bad | $r_rps | $r_p99 | $ratio |")
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
INI
    if [ "$(id -u)" = 0 ]; then chown postgres "$WORK/pgbouncer.ini"; fi
    as_postgres /usr/sbin/pgbouncer "$WORK/pgbouncer.ini" > /dev/null 2>&1 &
    BOUNCER_PID=$!
    sleep 1
    # shellcheck disable=SC2086
    DATABASE_URL="postgresql://postgres:unused@127.0.0.1:$BOUNCER_PORT/bench?pgbouncer=true" DB_POOL_SIZE=$POOL \
        DB_MAX_OVERFLOW=0 QUARKUS_HTTP_PORT=$((HTTP_PORT + 1)) QUARKUS_MANAGEMENT_PORT=$((MGMT_PORT + 1)) \
        QUARKUS_SHUTDOWN_DELAY=0S QUARKUS_LOG_LEVEL=WARN java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar \
        > "$WORK/bounced.log" 2>&1 &
    BOUNCED_PID=$!
    for _ in $(seq 1 120); do
        curl -fs -o /dev/null "http://127.0.0.1:$((MGMT_PORT + 1))/q/health/ready" && break
        sleep 0.5
    done
    for s in product write; do
        wrk -t "$THREADS" -c "$CONNECTIONS" -d 4s -s "$WORK/$s.lua" "http://127.0.0.1:$((HTTP_PORT + 1))" >/dev/null
    done
    for s in product write; do
        read -r b_rps b_p99 b_bad <<< "$(measure "$((HTTP_PORT + 1))" "$s")"
        direct=$([ "$s" = product ] && echo "${rows[0]}" || echo "${rows[2]}")
        d_rps=$(echo "$direct" | awk -F'|' '{print $3+0}')
        bouncer_rows+=("| ${label[$s]} | $d_rps | $b_rps | $b_p99 | $b_bad | $(awk -v a="$b_rps" -v b="$d_rps" \
            'BEGIN {printf "%.2f", a / b}') |")
    done
fi

echo
echo "| workload | pgstack req/s | pgstack p99 | pgstack non-2xx | reference req/s | reference p99 | pgstack / reference |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
w1=$(echo "${rows[0]}" | awk -F'|' '{print $3+0}')
w2=$(echo "${rows[1]}" | awk -F'|' '{print $3+0}')
w3=$(echo "${rows[2]}" | awk -F'|' '{print $3+0}')
w4=$(echo "${rows[3]}" | awk -F'|' '{print $3+0}')
echo "| same SQL in pgbench ($POOL clients) | tx/s | pgstack / pgbench |"
echo "|---|---|---|"
echo "| W1 select by id | $w1_pg | $(awk -v a="$w1" -v b="$w1_pg" 'BEGIN {printf "%.2f", a / b}') |"
echo "| W2 history (one statement) | $w2_pg | $(awk -v a="$w2" -v b="$w2_pg" 'BEGIN {printf "%.2f", a / b}') |"
echo "| W3 insert (its own transaction) | $w3_pg | $(awk -v a="$w3" -v b="$w3_pg" 'BEGIN {printf "%.2f", a / b}') |"
echo "| W4 page and total (one statement) | $w4_pg | $(awk -v a="$w4" -v b="$w4_pg" 'BEGIN {printf "%.2f", a / b}') |"
if [ ${#bouncer_rows[@]} -gt 0 ]; then
    echo
    echo "| through PgBouncer (transaction mode, pool $POOL) | direct req/s | via PgBouncer req/s | p99 | non-2xx | via / direct |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${bouncer_rows[@]}"
fi
echo
echo "RSS after the run: pgstack $app_rss, reference $ref_rss"
echo "machine: $(nproc) cores; wrk, PostgreSQL and both services share them"
