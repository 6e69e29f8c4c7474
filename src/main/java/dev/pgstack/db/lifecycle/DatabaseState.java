package dev.pgstack.db.lifecycle;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where the datasource layer stands, as the health checks, the readiness gate and the metrics read it: STARTING
 * (waiting for the database or migrating), READY, STOPPING. Written only by {@link DatabaseStartup} and
 * {@link GracefulShutdown}.
 */
@ApplicationScoped
public class DatabaseState {

    public enum Phase {
        /** Waiting for the database or migrating. */
        STARTING,
        READY,
        STOPPING
    }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);
    private volatile String status = "waiting for the database";
    private volatile String schemaVersion;

    public Phase phase() {
        return phase.get();
    }

    public boolean isReady() {
        return phase.get() == Phase.READY;
    }

    /** A few words for people: "waiting for the database", "migrating", "ready", "shutting down". */
    public String status() {
        return status;
    }

    public String schemaVersion() {
        return schemaVersion;
    }

    void status(String status) {
        this.status = status;
    }

    void schemaVersion(String version) {
        this.schemaVersion = version;
    }

    /** STARTING becomes READY; a service already stopping stays so. */
    void ready() {
        if (phase.compareAndSet(Phase.STARTING, Phase.READY)) {
            status = "ready";
        }
    }

    void stopping(String why) {
        phase.set(Phase.STOPPING);
        status = why;
    }
}
