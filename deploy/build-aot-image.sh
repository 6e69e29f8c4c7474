#!/usr/bin/env bash
# pgstack:jvm-aot from pgstack:jvm: a training run of the image itself (the service with -XX:AOTCacheOutput, the
# requests of deploy/aot-training.sh, then a stop: the JVM writes the cache as it exits), then
# deploy/Dockerfile.jvm-aot adds the cache. The training database gets a few users, messages, products and
# companies: use a scratch or staging database, never production.
#
#   bash deploy/build-aot-image.sh pgstack:jvm pgstack:jvm-aot 'postgresql://user:pass@db-host:5432/scratch'
#
# CONTAINER_ENGINE: docker (default) or podman. RUN_ARGS: more arguments for the training container (network,
# securityContext). HTTP_PORT, MGMT_PORT: the host ports it is published on (18480, 19400).
# The training run uses the Deployment's JVM options (deploy/jvm-options) without -XX:MaxMetaspaceSize: writing
# the cache needs more room for class metadata than that bound leaves (the JVM refuses to write it); running with
# the cache inside the bound is fine.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 3 ] || { sed -n '2,8p' "$0"; exit 2; }
IMAGE=$1 TAG=$2 URL=$3
ENGINE=${CONTAINER_ENGINE:-docker}
HTTP_PORT=${HTTP_PORT:-18480}
MGMT_PORT=${MGMT_PORT:-19400}
read -r -a EXTRA <<< "${RUN_ARGS:-}"
OUT=$(mktemp -d /tmp/pgstack-aot-XXXXXX)
chmod 777 "$OUT" # the image's user (185) writes the cache there
NAME=pgstack-aot-training-$$
trap '"$ENGINE" rm -f "$NAME" >/dev/null 2>&1 || true; rm -rf "$OUT"' EXIT

TRAIN_OPTS="-Djava.util.logging.manager=org.jboss.logmanager.LogManager $(sed -E 's/-XX:MaxMetaspaceSize=[^ ]+ ?//' deploy/jvm-options)"
echo "== training run of $IMAGE"
start=$(date +%s)
# -e DATABASE_URL without a value: taken from this environment, so that the password stays out of the process list
DATABASE_URL=$URL "$ENGINE" run -d --name "$NAME" "${EXTRA[@]}" -v "$OUT:/aot" -p "$HTTP_PORT:8080" \
    -p "$MGMT_PORT:9000" -e DATABASE_URL -e QUARKUS_SHUTDOWN_DELAY=0S -e GC_CONTAINER_OPTIONS=-XX:+UseSerialGC \
    -e JAVA_OPTS_APPEND="$TRAIN_OPTS" -e JDK_JAVA_OPTIONS="-XX:AOTCacheOutput=/aot/app.aot" "$IMAGE" >/dev/null
for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/q/health/ready" && break
    [ "$("$ENGINE" inspect --format '{{.State.Running}}' "$NAME")" = true ] \
        || { "$ENGINE" logs "$NAME" 2>&1 | tail -20; echo "the training container exited"; exit 1; }
    sleep 0.1
done
curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/q/health/ready" || { echo "not ready within 60 s"; exit 1; }
bash deploy/aot-training.sh "http://127.0.0.1:$HTTP_PORT"
# SIGTERM: graceful shutdown, then the JVM writes the cache (a minute at most here)
"$ENGINE" stop -t 300 "$NAME" >/dev/null
[ -s "$OUT/app.aot" ] || { "$ENGINE" logs "$NAME" 2>&1 | tail -20; echo "no AOT cache written"; exit 1; }
echo "AOT cache: $(($(stat -c %s "$OUT/app.aot") / 1024 / 1024)) MiB, trained in $(($(date +%s) - start)) s"
"$ENGINE" build -q --build-arg APP_IMAGE="$IMAGE" -f deploy/Dockerfile.jvm-aot -t "$TAG" "$OUT" >/dev/null
echo "built $TAG"
