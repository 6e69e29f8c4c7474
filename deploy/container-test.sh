#!/usr/bin/env bash
# The container images, built and probed the way an orchestrator runs them, on a machine without Docker or a
# registry: podman builds deploy/Dockerfile.jvm unchanged on a base image made from Debian's packages (what the
# UBI base provides that the Dockerfile uses: a JDK 25 runtime, user 185, /deployments, run-java.sh), and
# deploy/build-aot-image.sh makes the image with its AOT cache from it (a training run in a container). Both run
# with the Deployment's environment and memory limit against a PostgreSQL this script owns. The migration runs
# first as the Job does (same image, `migrate`). Checks: the cache loads; on the cached image, the one the manifests
# name, started/live/ready answer 200 on the manifest's paths and port, the API serves a write, the benchmark's hot
# paths run LOAD_SECONDS each (64 connections, wrk) inside the memory limit without an OOM, readiness turns 503
# during shutdown, `podman stop` ends with exit 0 within terminationGracePeriodSeconds. Prints the image sizes and
# start-to-ready without and with the cache.
#
#   bash deploy/container-test.sh        # after ./mvnw package (builds it when target/quarkus-app is missing)
#
# Needs root (podman, mmdebstrap), Debian's packages podman, runc, slirp4netns, uidmap, mmdebstrap, wrk and a
# PostgreSQL server (installed with apt-get when missing), npm (the manifests are validated first) and a JDK 25
# (JDK25, /usr/lib/jvm/temurin-25-jdk-amd64). The base image is kept between runs (pgstack-test-base-jdk25).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

need=()
for tool in podman runc mmdebstrap slirp4netns newuidmap wrk; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
    echo "installing podman runc mmdebstrap slirp4netns uidmap wrk"
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc mmdebstrap slirp4netns \
        uidmap wrk) >/dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PG_BIN" ] || fail "no PostgreSQL server binaries (apt-get install postgresql)"
# the image's JDK: the base image gets a runtime made with jlink from this JDK 25 (the UBI base has its own)
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x "$JDK25/bin/jlink" ] || fail "no JDK 25 at $JDK25 (set JDK25)"
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests

MANIFEST=deploy/kubernetes.yaml
WORK=$(mktemp -d /tmp/pgstack-container-XXXXXX)
chmod 755 "$WORK"
NAME=pgstack-container-test-$$
PG_PORT=${PG_PORT:-$((50000 + RANDOM % 10000))}
HTTP_PORT=${HTTP_PORT:-18280}
MGMT_PORT=${MGMT_PORT:-19200}
LOAD_SECONDS=${LOAD_SECONDS:-10}

# This sandbox cannot raise rlimits and crun fails on its hybrid cgroups: runc, fixed ulimits, cgroupfs.
cat > "$WORK/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export CONTAINERS_CONF=$WORK/containers.conf

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    podman rm -f "$NAME" >/dev/null 2>&1 || true
    as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# ---- the manifests, validated offline against the Kubernetes schemas (npm kubernetes-models) ------------------
(cd "$WORK" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund --silent kubernetes-models js-yaml \
    >/dev/null 2>&1) || fail "npm install kubernetes-models js-yaml"
NODE_PATH="$WORK/node_modules" node deploy/validate-manifests.cjs deploy/kubernetes.yaml deploy/migrate-job.yaml \
    || fail "manifests"

# ---- what the manifest says ------------------------------------------------------------------------------------
probe_path() { awk -v probe="$1" '$1 == probe":" {p = 1} p && /path:/ {sub(/.*path: */, ""); sub(/[ ,}].*/, ""); print; exit}' "$MANIFEST"; }
STARTED_PATH=$(probe_path startupProbe)
LIVE_PATH=$(probe_path livenessProbe)
READY_PATH=$(probe_path readinessProbe)
MANAGEMENT_PORT=$(awk '/name: management, containerPort:/ {sub(/.*containerPort: */, ""); sub(/[^0-9].*/, ""); print; exit}' \
    "$MANIFEST")
GRACE=$(awk '/terminationGracePeriodSeconds:/ {print $2; exit}' "$MANIFEST")
MEMORY=$(awk '/limits:/ && /memory:/ {sub(/.*memory: */, ""); sub(/ *}.*/, ""); print; exit}' "$MANIFEST")
# the Deployment's env entries, written - { name: X, value: "Y" }
mapfile -t ENV_ARGS < <(awk '/^ *env:/ {e = 1; next} e && /^ *#/ {next} e && /^ *- *\{ *name:/ {
        line = $0; sub(/.*name: */, "", line); name = line; sub(/,.*/, "", name)
        value = line; sub(/.*value: */, "", value); sub(/ *}.*/, "", value); gsub(/"/, "", value)
        print "-e"; print name "=" value; next } e && !/^ *- / {e = 0}' "$MANIFEST")
[ -n "$STARTED_PATH" ] && [ -n "$LIVE_PATH" ] && [ -n "$READY_PATH" ] && [ -n "$MANAGEMENT_PORT" ] \
    && [ -n "$GRACE" ] && [ -n "$MEMORY" ] && [ ${#ENV_ARGS[@]} -ge 2 ] || fail "could not read $MANIFEST"
echo "manifest: probes $STARTED_PATH $LIVE_PATH $READY_PATH on $MANAGEMENT_PORT, memory $MEMORY, grace ${GRACE}s," \
    "env ${ENV_ARGS[*]}"

# ---- base and application images -------------------------------------------------------------------------------
BASE=pgstack-test-base-jdk25
if ! podman image exists "$BASE"; then
    echo "== base image from Debian's packages (minbase) and a JDK 25 runtime (jlink of $JDK25)"
    start=$(date +%s)
    # the runtime modules of the UBI openjdk-25-runtime image that a Quarkus service uses, with their CDS archive
    "$JDK25/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.management,jdk.naming.dns,jdk.zipfs,jdk.jfr,jdk.crypto.cryptoki \
        --strip-debug --no-man-pages --no-header-files --generate-cds-archive --output "$WORK/jre" >/dev/null
    # stand-in for the UBI image's run-java.sh, as it composes the command: its default options
    # (java-default-options: heap ratio, GC_CONTAINER_OPTIONS or else ParallelGC, heap free ratios, exit on OOM)
    # then JAVA_OPTS_APPEND, or JAVA_OPTS alone when set; from /deployments
    cat > "$WORK/run-java.sh" <<'RUN'
#!/bin/sh
defaults="-XX:MaxRAMPercentage=50.0 ${GC_CONTAINER_OPTIONS:--XX:+UseParallelGC} -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90 -XX:+ExitOnOutOfMemoryError"
cd /deployments
exec java ${JAVA_OPTS-$defaults ${JAVA_OPTS_APPEND:-}} -jar "$JAVA_APP_JAR" "$@"
RUN
    chmod 755 "$WORK/run-java.sh"
    mmdebstrap --quiet --variant=minbase --include=ca-certificates \
        --customize-hook='echo "jboss:x:185:0:jboss:/home/jboss:/bin/sh" >> "$1/etc/passwd"' \
        --customize-hook='mkdir -p "$1/deployments" "$1/home/jboss" "$1/opt/jboss/container/java/run" "$1/usr/lib/jvm" && chown 185:0 "$1/deployments" "$1/home/jboss"' \
        --customize-hook="copy-in $WORK/jre /usr/lib/jvm" \
        --customize-hook="copy-in $WORK/run-java.sh /opt/jboss/container/java/run" \
        --customize-hook='ln -s /usr/lib/jvm/jre/bin/java "$1/usr/bin/java"' \
        --customize-hook='rm -rf "$1/usr/share/doc" "$1/usr/share/man" "$1/var/cache/apt" "$1/var/lib/apt/lists"' \
        bookworm "$WORK/base.tar"
    podman import --change 'USER 185' --change 'WORKDIR /deployments' --change 'ENV JAVA_HOME=/usr/lib/jvm/jre' \
        "$WORK/base.tar" "$BASE" >/dev/null
    rm -rf "$WORK/base.tar" "$WORK/jre"
    echo "base image built in $(($(date +%s) - start)) s"
fi
echo "== podman build --from $BASE -f deploy/Dockerfile.jvm"
start=$(date +%s)
podman build -q --from "$BASE" -f deploy/Dockerfile.jvm -t pgstack:jvm-test . >/dev/null
echo "image built in $(($(date +%s) - start)) s"
SIZE=$(podman image inspect --format '{{.Size}}' pgstack:jvm-test)

# ---- a PostgreSQL of our own -------------------------------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; fi
as_postgres "$PG_BIN/initdb" -D "$WORK/data" -U postgres -A trust >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1" \
    -l "$WORK/pg.log" -w start >/dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt -c "CREATE ROLE app LOGIN PASSWORD 'container-pw'" \
    -c "CREATE DATABASE app OWNER app"
# inside the container the host's loopback is 10.0.2.2 (slirp4netns allow_host_loopback)
DATABASE_URL="postgresql://app:container-pw@10.0.2.2:$PG_PORT/app"
NET=(--network slirp4netns:allow_host_loopback=true)
# the manifest's securityContext: user 185, read-only root filesystem with a writable /tmp, no privilege escalation,
# no capabilities
SECURE=(--user 185 --read-only --tmpfs /tmp:rw,size=64m --security-opt no-new-privileges --cap-drop ALL)
grep -q 'readOnlyRootFilesystem: true' "$MANIFEST" || fail "the manifest no longer asks for a read-only root"
grep -qF -- "$(cat deploy/jvm-options)" "$MANIFEST" || fail "the Deployment's JAVA_OPTS_APPEND is not deploy/jvm-options"

echo "== migration, as the Job runs it"
podman run --rm "${NET[@]}" "${SECURE[@]}" -e ENVIRONMENT=production -e DATABASE_URL="$DATABASE_URL" pgstack:jvm-test migrate \
    | grep '^migrate' || fail "the migrate command printed no result line"
pass "migrate Job: exit 0"
# the rows the load below reads (and the training run finds): 10,000 products, 200 users with 50 messages each
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d app -qAt -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO products (id, name, description, price, quantity, category_id, created_at, updated_at)
    SELECT g, 'product ' || g, 'description of product ' || g, (g % 1000) + 0.99, g % 7, NULL, now(), now()
    FROM generate_series(1, 10000) g;
INSERT INTO users SELECT g, now(), now() FROM generate_series(1, 200) g ON CONFLICT (id) DO NOTHING;
INSERT INTO messages (id, user_id, role, content, content_length, created_at)
    SELECT gen_random_uuid(), u, 'user', 'message ' || m, 8 + length(m::text), now() - m * interval '1 second'
    FROM generate_series(1, 200) u, generate_series(1, 50) m;
-- the ids above were given, not drawn: the sequence moves past them for the rows the API creates
SELECT setval('products_id_seq', 10000);
SQL

status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true; }
# podman run with the Deployment's environment, memory limit and securityContext; waits for readiness 200 and
# sets READY_MS (podman run to the first 200)
start_service() {
    local image=$1 start_ns ready=""
    start_ns=$(date +%s%N)
    podman run -d --name "$NAME" "${NET[@]}" "${SECURE[@]}" --memory "${MEMORY/Mi/m}" -p "$HTTP_PORT:8080" \
        -p "$MGMT_PORT:$MANAGEMENT_PORT" "${ENV_ARGS[@]}" -e DATABASE_URL="$DATABASE_URL" "$image" >/dev/null
    for _ in $(seq 1 600); do
        if [ "$(status "http://127.0.0.1:$MGMT_PORT$READY_PATH")" = 200 ]; then ready=yes; break; fi
        podman container exists "$NAME" && [ "$(podman inspect --format '{{.State.Running}}' "$NAME")" = true ] \
            || { podman logs "$NAME" 2>&1 | tail -20; fail "the container exited"; }
        sleep 0.05
    done
    [ -n "$ready" ] || { podman logs "$NAME" 2>&1 | tail -20; fail "not ready within 30 s"; }
    READY_MS=$((($(date +%s%N) - start_ns) / 1000000))
}

echo "== the image without an AOT cache: start to ready"
start_service pgstack:jvm-test
PLAIN_READY_MS=$READY_MS
podman rm -f "$NAME" >/dev/null
pass "pgstack:jvm-test ready in $PLAIN_READY_MS ms"

echo "== the image with an AOT cache trained on it (deploy/build-aot-image.sh)"
CONTAINER_ENGINE=podman RUN_ARGS="${NET[*]} ${SECURE[*]}" bash deploy/build-aot-image.sh pgstack:jvm-test \
    pgstack:jvm-aot-test "$DATABASE_URL" || fail "deploy/build-aot-image.sh"
AOT_SIZE=$(podman image inspect --format '{{.Size}}' pgstack:jvm-aot-test)
# the Job's command on the cached image: the cache must be usable (AOTMode=on refuses to start otherwise)
podman run --rm "${NET[@]}" "${SECURE[@]}" -e ENVIRONMENT=production -e DATABASE_URL="$DATABASE_URL" \
    -e JDK_JAVA_OPTIONS="-XX:AOTCache=/deployments/app.aot -XX:AOTMode=on" pgstack:jvm-aot-test migrate > "$WORK/migrate.out" 2>&1 \
    || { tail -5 "$WORK/migrate.out"; fail "the AOT cache does not load"; }
pass "the AOT cache loads (AOTMode=on), migrate on pgstack:jvm-aot-test: exit 0"

echo "== the service (pgstack:jvm-aot-test), with the Deployment's environment and memory limit"
start_service pgstack:jvm-aot-test
for path in "$STARTED_PATH" "$LIVE_PATH" "$READY_PATH"; do
    code=$(status "http://127.0.0.1:$MGMT_PORT$path")
    [ "$code" = 200 ] || fail "$path answered $code"
    pass "$path 200 on the management port"
done
[ "$(status "http://127.0.0.1:$HTTP_PORT$READY_PATH")" = 404 ] || fail "health answers on the public port"
pass "no health on the public port"

code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "http://127.0.0.1:$HTTP_PORT/api/users/100042")
[ "$code" = 201 ] || fail "PUT /api/users/100042 answered $code"
code=$(curl -s -o "$WORK/message.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"role":"user","content":"from the container"}' "http://127.0.0.1:$HTTP_PORT/api/users/100042/messages")
[ "$code" = 201 ] || fail "POST a message answered $code: $(cat "$WORK/message.json")"
stored=$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d app -qAt \
    -c "SELECT count(*) FROM messages WHERE content = 'from the container'")
[ "$stored" = 1 ] || fail "the write is not in the database"
pass "the API serves a write (201, stored)"

echo "== the benchmark's hot paths for ${LOAD_SECONDS}s each, inside the memory limit ($MEMORY)"
cat > "$WORK/product.lua" <<'LUA'
request = function() return wrk.format("GET", "/api/products/" .. math.random(1, 10000)) end
LUA
cat > "$WORK/history.lua" <<'LUA'
request = function() return wrk.format("GET", "/api/users/" .. math.random(1, 200) .. "/messages?limit=20") end
LUA
cat > "$WORK/write.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"role":"user","content":"load"}'
request = function() return wrk.format(nil, "/api/users/" .. math.random(1, 200) .. "/messages") end
LUA
LOAD=()
for s in product history write; do
    wrk -t 2 -c 64 -d "${LOAD_SECONDS}s" -s "$WORK/$s.lua" "http://127.0.0.1:$HTTP_PORT" > "$WORK/wrk.out"
    rps=$(awk '/Requests\/sec/ {print int($2)}' "$WORK/wrk.out")
    bad=$(awk '/Non-2xx/ {print $NF} /Socket errors/ {print "errors"}' "$WORK/wrk.out")
    [ -z "$bad" ] || { cat "$WORK/wrk.out"; fail "$s: failed requests under load"; }
    LOAD+=("$s $rps req/s")
done
[ "$(podman inspect --format '{{.State.Running}}' "$NAME")" = true ] || fail "the container died under load"
[ "$(podman inspect --format '{{.State.OOMKilled}}' "$NAME")" = false ] || fail "OOM-killed"
if podman logs "$NAME" 2>&1 | grep -q OutOfMemoryError; then fail "OutOfMemoryError in the log"; fi
# the container's cgroup (v1 or v2): the most memory it ever used
CGROUP=$(podman inspect --format '{{.State.CgroupPath}}' "$NAME")
PEAK=$( (cat "/sys/fs/cgroup/memory$CGROUP/memory.max_usage_in_bytes" "/sys/fs/cgroup$CGROUP/memory.peak" \
    2>/dev/null || true) | head -1)
pass "${LOAD[*]}; no OOM, peak memory $((${PEAK:-0} / 1024 / 1024)) MiB of $MEMORY"

echo "== shutdown: podman stop (SIGTERM, then SIGKILL after the grace period)"
stop_start=$(date +%s%N)
podman stop -t "$GRACE" "$NAME" >/dev/null &
STOP_PID=$!
saw503=""
while kill -0 "$STOP_PID" 2>/dev/null; do
    [ "$(status "http://127.0.0.1:$MGMT_PORT$READY_PATH")" = 503 ] && saw503=yes
    sleep 0.1
done
wait "$STOP_PID"
STOP_MS=$((($(date +%s%N) - stop_start) / 1000000))
EXIT_CODE=$(podman inspect --format '{{.State.ExitCode}}' "$NAME")
[ -n "$saw503" ] || fail "readiness never answered 503 during shutdown"
pass "readiness 503 during shutdown"
[ "$EXIT_CODE" = 0 ] || { podman logs "$NAME" | tail -20; fail "exit code $EXIT_CODE"; }
[ "$STOP_MS" -lt $((GRACE * 1000)) ] || fail "stopping took ${STOP_MS} ms, more than ${GRACE} s"
pass "exit 0 after SIGTERM in ${STOP_MS} ms (grace ${GRACE} s)"
if podman logs "$NAME" 2>&1 | grep -qE $'\tat |\\\\tat |"exception"'; then fail "stack trace in the container log"; fi
if podman logs "$NAME" 2>&1 | grep -q 'container-pw'; then fail "password in the container log"; fi

echo
echo "| container | figure |"
echo "|---|---|"
echo "| image size (Debian base + JDK 25 runtime + app; with the AOT cache) | $((SIZE / 1024 / 1024)) MiB; $((AOT_SIZE / 1024 / 1024)) MiB |"
echo "| start to ready (podman run to readiness 200), without and with the AOT cache | ${PLAIN_READY_MS} ms; ${READY_MS} ms |"
echo "| SIGTERM to exit 0 | ${STOP_MS} ms |"
echo "| under load inside $MEMORY (${LOAD_SECONDS} s each, 64 connections) | ${LOAD[*]}, peak $((${PEAK:-0} / 1024 / 1024)) MiB |"
echo "container test passed"
