#!/usr/bin/env bash
# Runs the README's quick start as written: its curl lines, against the packaged application on :8080 with a
# throwaway PostgreSQL (bench/lib.sh's), and checks what they answer. .ci/run calls it after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/lib.sh
source bench/lib.sh
trap 'stop_pid "${APP_PID:-}" 2>/dev/null || true; stop_cluster; rm -rf "$WORK"' EXIT
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
start_cluster
start_pgstack 8080 9000 "$WORK/app.log"

# the ```bash block under "### Quick start", as a script
awk '/^### Quick start/ {q = 1} q && /^```bash/ {b = 1; next} b && /^```/ {exit} b {print}' README.md > "$WORK/quickstart.sh"
[ -s "$WORK/quickstart.sh" ] || { echo "no quick start block in README.md"; exit 1; }
bash -e "$WORK/quickstart.sh" > "$WORK/quickstart.out" 2>&1 || { cat "$WORK/quickstart.out"; exit 1; }

fail=0
for expected in 'HTTP/1.1 201' '"maxHistoryMessages":50' '"content":"hello"' '"content":"hi"' '"name":"books"' \
    '"name":"Dune"' '"created":2' '"category":{"id":1,"name":"books"}' '"quantity":0' \
    'urn:pgstack:problem:'; do
    grep -qF "$expected" "$WORK/quickstart.out" || { echo "quick start: expected $expected"; fail=1; }
done
if [ "$fail" = 1 ]; then cat "$WORK/quickstart.out"; exit 1; fi
echo "quick start: $(grep -c '^curl' "$WORK/quickstart.sh") curl commands, all answered as the README says"
