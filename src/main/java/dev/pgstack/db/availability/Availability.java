package dev.pgstack.db.availability;

import java.util.HashMap;
import java.util.Map;

/**
 * What the service knows of its database's availability at one moment, as one immutable value: where startup
 * stands and why it waits, whether the primary's host answers and accepts writes, and each replica's state. The
 * parts that observe publish into it ({@link AvailabilityReports}); everything that decides reads one snapshot and
 * asks {@link AvailabilityRules}, so that no decision reads another part's fields.
 *
 * @param phase where the datasource layer stands
 * @param startupWait why startup is not over (NONE once ready)
 * @param status a few words for people ("migrating", "ready", ...): shown, never decided on
 * @param schemaVersion the schema version startup found, or null before
 * @param network whether the primary's host answers a TCP handshake (db.health.ReachabilityWatch)
 * @param readOnly whether the primary last answered that it accepts no writes
 * @param replicas each replica's state by name (replica-1, ...)
 */
public record Availability(Phase phase, StartupWait startupWait, String status, String schemaVersion, Reach network,
        boolean readOnly, Map<String, ReplicaState> replicas) {

    public enum Phase {
        /** Waiting for the database or migrating. */
        STARTING,
        READY,
        STOPPING
    }

    /** Why startup has not finished: a type, so that no rule depends on the wording shown to people. */
    public enum StartupWait {
        /** The database does not answer yet. */
        DATABASE,
        /** The database refuses the service's credentials (SQLSTATE class 28). */
        CREDENTIALS_REFUSED,
        MIGRATING,
        /** Migrations are not run at start and the schema is older than this build. */
        SCHEMA_BEHIND,
        NONE
    }

    /** The primary as the requests meet it. */
    public enum Reach {
        REACHABLE,
        /** The last TCP handshake went unanswered: new requests are answered at once, connections kept. */
        SUSPECT,
        /** Unanswered twice in a row: a partition; the pools' connections are dropped. */
        UNREACHABLE,
        /** Answers, but accepts no writes (a standby, default_transaction_read_only). */
        READ_ONLY
    }

    public enum ReplicaState {
        /** Not checked yet: gets no reads. */
        UNKNOWN,
        /** Answering and within the allowed lag. */
        UP,
        /** Answering, but further behind than the allowed lag. */
        LAGGING,
        /** Not answering, or failed a request. */
        DOWN,
        /**
         * Its host did not answer the last TCP handshake (db.health.ReachabilityWatch): no new reads, its
         * connections kept for now. Only the watch lifts it.
         */
        SUSPECT,
        /** Its host did not answer twice in a row: a partition; its pools' connections are dropped. */
        UNREACHABLE;

        /** Whether the reachability watch holds this state: a check's or a failed read's verdict does not lift it. */
        public boolean heldByWatch() {
            return this == SUSPECT || this == UNREACHABLE;
        }
    }

    public static final Availability INITIAL = new Availability(Phase.STARTING, StartupWait.DATABASE,
            "waiting for the database", null, Reach.REACHABLE, false, Map.of());

    /** The primary: its host's answer first, then whether it accepts writes. */
    public Reach primary() {
        return network != Reach.REACHABLE ? network : readOnly ? Reach.READ_ONLY : Reach.REACHABLE;
    }

    public boolean isReady() {
        return phase == Phase.READY;
    }

    public boolean usable(String replica) {
        return replicas.get(replica) == ReplicaState.UP;
    }

    public boolean anyReplicaUsable() {
        return replicas.containsValue(ReplicaState.UP);
    }

    public ReplicaState replica(String name) {
        return replicas.getOrDefault(name, ReplicaState.UNKNOWN);
    }

    Availability startup(Phase phase, StartupWait startupWait, String status, String schemaVersion) {
        return new Availability(phase, startupWait, status, schemaVersion, network, readOnly, replicas);
    }

    Availability network(Reach network) {
        return network == this.network ? this
                : new Availability(phase, startupWait, status, schemaVersion, network, readOnly, replicas);
    }

    Availability readOnly(boolean readOnly) {
        return readOnly == this.readOnly ? this
                : new Availability(phase, startupWait, status, schemaVersion, network, readOnly, replicas);
    }

    /**
     * What the last TCP handshake with a replica's host found: a miss makes it SUSPECT, a second UNREACHABLE; an
     * answer after either makes it DOWN until the replication monitor's next check says how it is.
     */
    Availability replicaReach(String name, Reach reach) {
        ReplicaState was = replica(name);
        ReplicaState next = switch (reach) {
            case REACHABLE -> was.heldByWatch() ? ReplicaState.DOWN : was;
            case SUSPECT -> was == ReplicaState.UNREACHABLE ? was : ReplicaState.SUSPECT;
            case UNREACHABLE -> ReplicaState.UNREACHABLE;
            case READ_ONLY -> throw new IllegalArgumentException("a replica is read-only by nature");
        };
        return next == was ? this : replica(name, next);
    }

    /** A check's or a failed read's verdict on a replica; the watch's SUSPECT and UNREACHABLE stand. */
    Availability replicaChecked(String name, ReplicaState state) {
        ReplicaState was = replica(name);
        if (was.heldByWatch() || was == state && replicas.containsKey(name)) {
            return this;
        }
        return replica(name, state);
    }

    private Availability replica(String name, ReplicaState state) {
        Map<String, ReplicaState> next = new HashMap<>(replicas);
        next.put(name, state);
        return new Availability(phase, startupWait, status, schemaVersion, network, readOnly, Map.copyOf(next));
    }
}
