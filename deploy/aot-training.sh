#!/usr/bin/env bash
# The requests of an AOT training run (deploy/build-aot-image.sh, bench/startup.sh): each API once per round, writes
# and reads, so that the cache holds the classes and method profiles of serving, not only of starting.
#   bash deploy/aot-training.sh http://127.0.0.1:8080 [rounds]
set -uo pipefail
BASE=$1
ROUNDS=${2:-30}
run=$((RANDOM * 32768 + RANDOM)) # user ids are numbers: a random range of its own
post() { curl -fs -o /dev/null -H 'Content-Type: application/json' -d "$2" "$BASE$1"; }
failed=0
for i in $(seq 1 "$ROUNDS"); do
    user=$((run * 1000 + i))
    curl -fs -o /dev/null -X PUT "$BASE/api/users/$user" || failed=$((failed + 1))
    post "/api/users/$user/messages" '{"role":"user","content":"training"}' || failed=$((failed + 1))
    curl -fs -o /dev/null "$BASE/api/users/$user/messages?limit=20" || failed=$((failed + 1))
    post /api/products "{\"name\":\"aot $run $i\",\"price\":1.5}" || failed=$((failed + 1))
    curl -fs -o /dev/null "$BASE/api/products?limit=20" || failed=$((failed + 1))
    curl -fs -o /dev/null "$BASE/api/products/$i" || true # a 404 is served too
    post /api/companies "{\"name\":\"aot $run $i\"}" || failed=$((failed + 1))
    curl -fs -o /dev/null "$BASE/api/companies?limit=20" || failed=$((failed + 1))
done
[ "$failed" = 0 ] || { echo "aot-training: $failed of $((ROUNDS * 7)) requests failed" >&2; exit 1; }
