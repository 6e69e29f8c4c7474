#!/usr/bin/env bash
# pgstack against pgbench running the same SQL, in one run on this machine (the ratio is what to compare:
# absolute numbers move with the machine's load).
#
#   bash bench/run.sh            # 15 s per measurement
#   DURATION=30 bash bench/run.sh
#
# Needs: a JDK, PostgreSQL server binaries (PG_BIN, default /usr/lib/postgresql/15/bin, with pgbench) and wrk
# (installed with apt-get when missing). Runs a throwaway cluster on its own port and data directory.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15}
CLIENTS=${CLIENTS:-8}
THREADS=${THREADS:-2}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55432}
HTTP_PORT=${HTTP_PORT:-18080}
MGMT_PORT=${MGMT_PORT:-19000}
USERS=1000
WORK=$(mktemp -d /tmp/pgstack-bench-XXXXXX)
chmod 755 "$WORK"

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
    [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
    as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -q wrk >/dev/null; }
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests

echo "== PostgreSQL: throwaway cluster on port $PG_PORT"
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; fi
as_postgres "$PG_BIN/initdb" -D "$WORK/data" -U postgres -A trust >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -o "-p $PG_PORT -k $WORK -c max_connections=100" -l "$WORK/pg.log" \
    -w start >/dev/null
PSQL=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt)
"${PSQL[@]}" -c "CREATE DATABASE bench"

echo "== pgstack: packaged jar, pool of $CLIENTS"
DATABASE_URL="postgresql://postgres:unused@127.0.0.1:$PG_PORT/bench" DB_POOL_SIZE=$CLIENTS DB_MAX_OVERFLOW=0 \
    QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_MANAGEMENT_PORT=$MGMT_PORT QUARKUS_SHUTDOWN_DELAY=0S \
    QUARKUS_LOG_LEVEL=WARN java -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
    curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/q/health/ready" && break
    sleep 0.5
done
curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/q/health/ready" || { cat "$WORK/app.log"; exit 1; }
"${PSQL[@]}" -d bench -c "INSERT INTO users SELECT g, now(), now() FROM generate_series(1, $USERS) g"

# the statements Hibernate sends for GET /api/users/{id} and POST /api/users/{id}/messages
cat > "$WORK/read.sql" <<SQL
\set id random(1, $USERS)
select cu1_0.id,cu1_0.created_at,cu1_0.updated_at from users cu1_0 where cu1_0.id=:id;
SQL
cat > "$WORK/write.sql" <<SQL
\set id random(1, $USERS)
BEGIN;
select cu1_0.id,cu1_0.created_at,cu1_0.updated_at from users cu1_0 where cu1_0.id=:id;
insert into messages (content,content_length,created_at,deleted_at,role,user_id,id) values ('bench message',13,now(),null,'user',:id,gen_random_uuid());
COMMIT;
SQL
cat > "$WORK/read.lua" <<LUA
request = function()
  return wrk.format("GET", "/api/users/" .. math.random(1, $USERS))
end
LUA
cat > "$WORK/write.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"role":"user","content":"bench message"}'
request = function()
  return wrk.format(nil, "/api/users/" .. math.random(1, $USERS) .. "/messages")
end
LUA

pgbench_tps() {
    "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$CLIENTS" -j "$THREADS" \
        -T "$DURATION" -f "$1" bench 2>/dev/null | awk '/^tps/ {print int($3)}'
}
wrk_rps() {
    wrk -t "$THREADS" -c "$CLIENTS" -d "${DURATION}s" --latency -s "$1" "http://127.0.0.1:$HTTP_PORT" > "$WORK/wrk.out"
    local rps p99 non2xx
    rps=$(awk '/Requests\/sec/ {print int($2)}' "$WORK/wrk.out")
    p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk.out")
    echo "$rps ${p99:-?} ${non2xx:-0}"
}

echo "== warm-up (JIT)"
wrk -t "$THREADS" -c "$CLIENTS" -d 5s -s "$WORK/read.lua" "http://127.0.0.1:$HTTP_PORT" >/dev/null

echo "== measuring: $DURATION s each, $CLIENTS clients, $THREADS threads"
read_pg=$(pgbench_tps "$WORK/read.sql")
read "read_http" "read_p99" "read_bad" <<< "$(wrk_rps "$WORK/read.lua")"
write_pg=$(pgbench_tps "$WORK/write.sql")
read "write_http" "write_p99" "write_bad" <<< "$(wrk_rps "$WORK/write.lua")"

echo
printf '| workload | pgbench (same SQL) tx/s | pgstack HTTP req/s | ratio | pgstack p99 | non-2xx |\n'
printf '|---|---|---|---|---|---|\n'
printf '| read: GET /api/users/{id} | %s | %s | %s | %s | %s |\n' "$read_pg" "$read_http" \
    "$(awk -v a="$read_http" -v b="$read_pg" 'BEGIN {printf "%.2f", a / b}')" "$read_p99" "$read_bad"
printf '| write: POST /api/users/{id}/messages | %s | %s | %s | %s | %s |\n' "$write_pg" "$write_http" \
    "$(awk -v a="$write_http" -v b="$write_pg" 'BEGIN {printf "%.2f", a / b}')" "$write_p99" "$write_bad"
echo
echo "machine: $(nproc) cores; pgbench and wrk share them with the server and the service"
