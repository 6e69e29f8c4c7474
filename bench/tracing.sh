#!/usr/bin/env bash
# What tracing costs on the hot paths: the same jar with no OTLP endpoint (nothing exported: the default) and with
# one (every request and statement exported to a local OTLP/HTTP sink), and optionally a jar built without the
# OpenTelemetry extension (BASELINE_JAR), alternating round after round on one database; medians compared.
#
#   bash bench/tracing.sh
#   ROUNDS=3 BASELINE_JAR=/path/to/before/quarkus-app/quarkus-run.jar bash bench/tracing.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/lib.sh
source bench/lib.sh
ROUNDS=${ROUNDS:-3}
SINK_PORT=${SINK_PORT:-14318}
SINK_PID=

cleanup() {
    [ -n "${APP_PID:-}" ] && stop_pid "$APP_PID"
    [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
    stop_cluster
    rm -rf "$WORK"
}
trap cleanup EXIT

prepare python3:python3
start_cluster
start_pgstack "$HTTP_PORT" "$MGMT_PORT" "$WORK/app.log"
stop_pid "$APP_PID"; APP_PID=
seed
write_workloads

# an OTLP/HTTP sink that accepts every export and counts the bytes
cat > "$WORK/sink.py" <<'PY'
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    received = 0
    def do_POST(self):
        Sink.received += int(self.headers.get('Content-Length', 0))
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(200); self.send_header('Content-Type', 'application/x-protobuf')
        self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Sink).serve_forever()
PY
python3 "$WORK/sink.py" "$SINK_PORT" &
SINK_PID=$!

MODES=(off on)
[ -n "${BASELINE_JAR:-}" ] && MODES=(baseline off on)
SELECTED=(product history write page)
declare -A rps
run() { # round mode
    local mode=$2 s r _ jar=target/quarkus-app/quarkus-run.jar
    if [ "$mode" = baseline ]; then
        mkdir -p "$WORK/baseline" && cp -r "$(dirname "$BASELINE_JAR")"/. "$WORK/baseline/"
    fi
    case $mode in
        on) start_pgstack "$HTTP_PORT" "$MGMT_PORT" "$WORK/$mode.log" \
                OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf ;;
        baseline) JAR_OVERRIDE="$WORK/baseline/quarkus-run.jar" start_pgstack "$HTTP_PORT" "$MGMT_PORT" "$WORK/$mode.log" ;;
        *) start_pgstack "$HTTP_PORT" "$MGMT_PORT" "$WORK/$mode.log" ;;
    esac
    for s in "${SELECTED[@]}"; do
        warm "$HTTP_PORT" "$s" "$WARMUP"
        read -r r _ <<< "$(measure "$HTTP_PORT" "$s")"
        rps[$mode,$s]+="$r "
    done
    stop_pid "$APP_PID"; APP_PID=
    echo "round $1 $mode: $(for s in "${SELECTED[@]}"; do printf '%s ' "$(echo "${rps[$mode,$s]}" | awk '{print $NF}')"; done)req/s"
    "${PSQL[@]}" -d bench -c "DELETE FROM messages WHERE content = 'bench message'" -c "VACUUM ANALYZE messages" >/dev/null
}

echo "== $ROUNDS rounds of ${MODES[*]}, each workload warmed $WARMUP s then measured $DURATION s, $CONNECTIONS connections"
for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order=("${MODES[@]}"); else order=(); for ((i=${#MODES[@]}-1; i>=0; i--)); do order+=("${MODES[i]}"); done; fi
    for mode in "${order[@]}"; do run "$round" "$mode"; done
done

echo "== medians (req/s) and ratios to 'off'"
for s in "${SELECTED[@]}"; do
    off=$(echo "${rps[off,$s]}" | tr ' ' '\n' | grep . | median)
    line="$s: off $off"
    for mode in "${MODES[@]}"; do
        [ "$mode" = off ] && continue
        m=$(echo "${rps[$mode,$s]}" | tr ' ' '\n' | grep . | median)
        line+=", $mode $m ($(ratio "$m" "$off"))"
    done
    echo "$line"
done
