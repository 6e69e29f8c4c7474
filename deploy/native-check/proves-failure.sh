#!/usr/bin/env bash
# Proves that the native check can fail: on throwaway copies of the project, each with one classic native-image
# mistake added, `-Pnative-check` must fail and name the mistake (the builder stops at the first one):
#  1. a thread started in a static field of a class initialized at build time, declared as libraries do in a
#     META-INF/native-image/**/native-image.properties (this also proves that the check reads those files);
#  2. a call into a provided-scope jar (the embedded PostgreSQL extension: there when compiling, not in the image).
# Both are found in the analysis, so the runs stop there (NATIVE_CHECK_STAGE=analysis). Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/pgstack-native-sabotage.XXXXXX)
trap 'rm -rf "$work"' EXIT

# sabotaged <name> <expected text in the builder's output>; the mistake's files are already in $work/<name>
check_fails() {
    local name=$1 expected=$2 copy=$work/$1
    echo "[proves-failure] $name: native check of a sabotaged copy"
    if (cd "$copy" && NATIVE_CHECK_STAGE=analysis ./mvnw -B -ntp -q package -Pnative-check -DskipTests) \
            > "$copy/native-check.log" 2>&1; then
        tail -30 "$copy/native-check.log"
        echo "[proves-failure] FAILED: the native check passed a copy with $name"
        exit 1
    fi
    if ! grep -q "$expected" "$copy/native-check.log"; then
        grep -v '^\s*at ' "$copy/native-check.log" | tail -40
        echo "[proves-failure] FAILED: the native check failed, but not on $name ('$expected')"
        exit 1
    fi
    echo "[proves-failure] $name: refused ($(grep -m1 -o "$expected[^.]*" "$copy/native-check.log"))"
}

copy_of_project() {
    mkdir -p "$work/$1"
    git ls-files -z | xargs -0 cp --parents -t "$work/$1"
    mkdir -p "$work/$1/src/main/java/dev/pgstack/sabotage"
}

copy_of_project started-thread
mkdir -p "$work/started-thread/src/main/resources/META-INF/native-image/dev.pgstack/sabotage"
echo 'Args = --initialize-at-build-time=dev.pgstack.sabotage.BuildTimeThread' \
    > "$work/started-thread/src/main/resources/META-INF/native-image/dev.pgstack/sabotage/native-image.properties"
cat > "$work/started-thread/src/main/java/dev/pgstack/sabotage/BuildTimeThread.java" <<'JAVA'
package dev.pgstack.sabotage;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

@Path("/sabotage")
public class BuildTimeThread {
    static final Thread WORKER = started();

    private static Thread started() {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sabotage");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @GET
    public String name() {
        return WORKER.getName();
    }
}
JAVA
check_fails started-thread "started Thread"

copy_of_project provided-scope-call
cat > "$work/provided-scope-call/src/main/java/dev/pgstack/sabotage/ProvidedScopeCall.java" <<'JAVA'
package dev.pgstack.sabotage;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

@Path("/sabotage")
public class ProvidedScopeCall {
    @GET
    public String name() {
        return io.quarkiverse.embedded.postgresql.PostgreSQLSyntaxUtils.sanitizeDbName("pgstack");
    }
}
JAVA
check_fails provided-scope-call "Discovered unresolved type during parsing: io.quarkiverse.embedded.postgresql"

echo "[proves-failure] passed: the native check refuses both mistakes"
