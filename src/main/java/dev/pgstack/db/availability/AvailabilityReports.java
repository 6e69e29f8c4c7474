package dev.pgstack.db.availability;

import dev.pgstack.db.availability.Availability.Reach;
import dev.pgstack.db.availability.Availability.ReplicaState;
import dev.pgstack.db.availability.Availability.StartupWait;

/**
 * How the parts that observe the database tell the availability model what they saw: startup
 * (db.lifecycle), the reachability watch (db.health), the replication monitor and failed requests (db.replica), the
 * readiness probe. Each call replaces one part of the snapshot; nobody reads another part's fields.
 */
public interface AvailabilityReports {

    /** Startup waits, for {@code wait}; {@code words} are shown to people. */
    void starting(StartupWait wait, String words);

    /** Startup is over: the schema is at {@code schemaVersion}. A service already stopping stays so. */
    void ready(String schemaVersion);

    void stopping(String words);

    /** What the last TCP handshake with the primary's host found: REACHABLE, SUSPECT or UNREACHABLE. */
    void network(Reach reach);

    /** Whether the primary last said it accepts no writes (each read-only answer is also announced). */
    void readOnly(boolean readOnly);

    /** A replication check's or a failed read's verdict: UP, LAGGING or DOWN (ignored while the watch holds it). */
    void replica(String name, ReplicaState state);

    /** What the last TCP handshake with a replica's host found: REACHABLE, SUSPECT or UNREACHABLE. */
    void replicaNetwork(String name, Reach reach);
}
