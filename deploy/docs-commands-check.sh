#!/usr/bin/env bash
# Every command line of every ```bash block in README.md and docs/*.md is accounted for: run here for real and its
# effect checked (the migration commands, against a throwaway PostgreSQL from bench/lib.sh), or named below as run
# elsewhere in CI (with where) or as not runnable on this machine (with why). A line in none of these fails, so a
# new command in the docs cannot go unrun. .ci/run calls it after quickstart-check.sh, with the packaged
# application in target/quarkus-app.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "docs commands: $JAR is missing: ./mvnw package -DskipTests first"; exit 1; }

# Lines run elsewhere in CI, as written or as a superset.
declare -A ELSEWHERE=(
    ["./mvnw quarkus:dev"]="ci: DevModeIT (in ./mvnw -B -ntp verify -Pall-suites) runs it in a copy of the checkout"
    ["./mvnw verify"]="ci: ./mvnw -B -ntp verify -Pall-suites (the same suites and more)"
    ["./mvnw verify -Pall-suites"]="ci: ./mvnw -B -ntp verify -Pall-suites"
    ["./mvnw package -DskipTests"]="ci: ./mvnw -B -ntp verify -Pall-suites packages the application on its way"
    ["DATABASE_URL='postgresql://app:secret@127.0.0.1:5432/app' java -jar target/quarkus-app/quarkus-run.jar"]="quickstart-check.sh: bench/lib.sh's start_pgstack runs the jar with a DATABASE_URL"
    ["docker build -f deploy/Dockerfile.jvm -t pgstack:jvm ."]="deploy/container-test.sh builds this image (with podman)"
    ["bash deploy/build-aot-image.sh pgstack:jvm pgstack:jvm-aot 'postgresql://user:pass@host:5432/scratch'"]="deploy/container-test.sh runs it on the image it built, against a throwaway database"
    ["./mvnw -B package -Pnative-check -DskipTests"]="ci: .ci/run runs ./mvnw -B -ntp package -Pnative-check -DskipTests"
)
# Lines that cannot run on this machine.
declare -A NOT_HERE=(
    ["./mvnw package -Dnative"]="no GraalVM/Mandrel that can link a native image on this machine"
    ["./mvnw package -Dnative -Dquarkus.native.container-build=true"]="no GraalVM/Mandrel that can link a native image on this machine"
    ["docker build -f deploy/Dockerfile.native -t pgstack:native ."]="no GraalVM/Mandrel that can link a native image on this machine"
)

# file <TAB> heading <TAB> command: continuation lines joined, a comment after ' #' left off
commands() {
    awk '
        FNR == 1 { heading = "" }
        /^#+ / && !block { heading = $0 }
        /^```bash/ { block = 1; line = ""; next }
        block && /^```/ { block = 0; next }
        block {
            text = $0
            sub(/^[ \t]+/, "", text)
            if (line != "") text = " " text
            line = line text
            if (line ~ /\\$/) { sub(/[ \t]*\\$/, "", line); next }
            sub(/^#.*$/, "", line)
            sub(/[ \t]+#.*$/, "", line)
            sub(/[ \t]+$/, "", line)
            if (line != "") print FILENAME "\t" heading "\t" line
            line = ""
        }' README.md docs/*.md
}

PG_PORT=${DOCS_PG_PORT:-55433} # not the quick start's: the two may run side by side on a workstation
# shellcheck source=bench/lib.sh
source bench/lib.sh
trap 'stop_cluster; rm -rf "$WORK"' EXIT
start_cluster >/dev/null
URL="postgresql://postgres:unused@127.0.0.1:$PG_PORT/bench"
LATEST=$(find src/main/resources/db/migration -name 'V*__*.sql' | sed -E 's|.*/V([0-9]+)__.*|\1|' | sort -n | tail -1)

version() {
    "${PSQL[@]}" -d bench -c "SELECT coalesce(max(version::int), 0) FROM flyway_schema_history WHERE success
        AND version IS NOT NULL" 2>/dev/null || echo 0
}
# the command as the docs write it, with DATABASE_URL pointing at the throwaway database: its answer (stdout) in
# OUT, its exit status in RC, its log (stderr) in $WORK/stderr
run_as_written() { # command [directory]
    RC=0
    OUT=$(cd "${2:-.}" && DATABASE_URL="$URL" bash -c "$1" 2> "$WORK/stderr" < /dev/null) || RC=$?
}
at_latest() { DATABASE_URL="$URL" java -jar "$JAR" migrate >/dev/null 2>&1 < /dev/null; }

failures=0 run=0 elsewhere=0 not_here=0
fail() { # message: with the command's answer and the end of its log, if one ran
    echo "FAIL $1"
    if [ -n "${OUT:-}" ]; then echo "$OUT" | sed 's/^/    | /'; tail -5 "$WORK/stderr" | sed 's/^/    log | /'; fi
    failures=$((failures + 1))
}

# Runs one of the app's commands as written and checks what it did; 1 when the line is none of them.
check_app_command() { # line
    local line=$1 args before
    case "$line" in "java -jar $JAR "*) args=${line#"java -jar $JAR "} ;; *) return 1 ;; esac
    OUT=""
    case "$args" in
        migrate)
            before=$(version)
            run_as_written "$line"
            [ "$RC" = 0 ] && [ "$(version)" = "$LATEST" ] && grep -q "schema at version $LATEST" <<< "$OUT" \
                || fail "'$line': from version $before, expected exit 0 and schema at version $LATEST"
            ;;
        "migrate --adopt")
            at_latest
            run_as_written "$line"
            [ "$RC" = 0 ] && [ "$(grep -c . <<< "$OUT")" = 1 ] \
                && grep -qx "adopt: nothing to adopt, the schema is pgstack's already (version $LATEST)" <<< "$OUT" \
                || fail "'$line': on a current database, expected exit 0 and its one line"
            ;;
        info)
            run_as_written "$line"
            [ "$RC" = 0 ] && grep -q "^current version: $(version); pending: $((LATEST - $(version)))$" <<< "$OUT" \
                || fail "'$line': expected 'current version: $(version); pending: $((LATEST - $(version)))'"
            ;;
        validate)
            at_latest
            run_as_written "$line"
            [ "$RC" = 0 ] && grep -q "^validate: $LATEST migrations match their checksums" <<< "$OUT" \
                || fail "'$line': expected exit 0 and $LATEST migrations matching"
            ;;
        undo)
            at_latest
            run_as_written "$line"
            [ "$RC" = 0 ] && [ "$(version)" = "$((LATEST - 1))" ] \
                && grep -qx "undo: 1 undone ($LATEST), schema at version $((LATEST - 1))" <<< "$OUT" \
                || fail "'$line': expected exit 0 and the schema from $LATEST down to $((LATEST - 1))"
            ;;
        "undo --to "[0-9]*)
            at_latest
            run_as_written "$line"
            [ "$RC" = 0 ] && [ "$(version)" = "${args#undo --to }" ] \
                || fail "'$line': expected exit 0 and the schema at version ${args#undo --to }"
            ;;
        "revision "*)
            local copy name=${args#revision } next=$((LATEST + 1))
            copy=$(mktemp -d "$WORK/checkout-XXXXXX")
            mkdir -p "$copy/src/main" && cp -r src/main/resources "$copy/src/main/" && ln -s "$PWD/target" "$copy/target"
            run_as_written "$line" "$copy"
            [ "$RC" = 0 ] && [ -f "$copy/src/main/resources/db/migration/V${next}__$name.sql" ] \
                && [ -f "$copy/src/main/resources/db/undo/U${next}__$name.sql" ] \
                || fail "'$line' in a copy of the checkout: expected V${next}__$name.sql and U${next}__$name.sql"
            ;;
        *)
            fail "'$line': the application's '$args' has no check in $0: add one"
            return 0
            ;;
    esac
    run=$((run + 1))
    return 0
}

while IFS=$'\t' read -r file heading line; do
    if [ "$file" = README.md ] && [ "$heading" = "### Quick start" ]; then
        elsewhere=$((elsewhere + 1)) # quickstart-check.sh runs this block as written and checks the answers
    elif [ -n "${ELSEWHERE[$line]:-}" ]; then
        elsewhere=$((elsewhere + 1))
    elif [ -n "${NOT_HERE[$line]:-}" ]; then
        not_here=$((not_here + 1))
    elif ! check_app_command "$line"; then
        OUT=""
        fail "$file ($heading): '$line' is neither run by $0 nor listed as run elsewhere in CI or not runnable here"
    fi
done < <(commands)

# and migrate brings an undone schema back
run_as_written "java -jar $JAR migrate"
[ "$RC" = 0 ] && [ "$(version)" = "$LATEST" ] || fail "migrate after the undo: expected the schema at version $LATEST"

echo "docs commands: $run run here and checked, $elsewhere run elsewhere in CI, $not_here not runnable here"
[ "$failures" = 0 ] || { echo "docs commands: $failures failed"; exit 1; }
