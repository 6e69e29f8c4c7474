package dev.pgstack.db.availability;

import java.time.Duration;

import dev.pgstack.db.availability.Availability.Phase;
import dev.pgstack.db.availability.Availability.Reach;
import dev.pgstack.db.availability.Availability.ReplicaState;
import dev.pgstack.db.availability.Availability.StartupWait;
import dev.pgstack.db.sql.DatabaseFailure;

/**
 * Every rule of what the service does in each state of its database, in one place and as pure functions of an
 * {@link Availability} snapshot: what an API request gets (the readiness gate), what readiness answers before it
 * probes, whether the seeds' {@code /health} says the database is up, what a pool timeout means, when the pools are
 * suspended and resumed, and where a read goes when its replica fails. The web layer turns the answers into
 * problem types; AvailabilityRulesTest holds the table.
 */
public final class AvailabilityRules {

    private AvailabilityRules() {
    }

    /** What an API request gets before it touches the database. */
    public enum RequestAnswer {
        SERVE,
        /** 503 starting: not migrated or not connected yet, or shutting down before it was ready. */
        STARTING,
        /** 503 database-refused: the database refuses the service's credentials. */
        REFUSED,
        /** 503 database-unavailable: the primary's host does not answer. */
        UNAVAILABLE
    }

    /**
     * @param read a GET or HEAD, which a usable replica can serve while the primary is away
     */
    public static RequestAnswer forRequest(Availability a, boolean read) {
        if (a.phase() == Phase.STARTING) {
            return a.startupWait() == StartupWait.CREDENTIALS_REFUSED ? RequestAnswer.REFUSED : RequestAnswer.STARTING;
        }
        // READY, or STOPPING: in-flight and late requests are still served while draining
        return switch (a.primary()) {
            // a read-only primary: reads serve, a write's own 25006 says database-read-only
            case REACHABLE, READ_ONLY -> RequestAnswer.SERVE;
            // from the first unanswered handshake: answer now rather than wait for a connection that the second
            // miss would take away, so a request is answered within one miss plus the acquisition timeout
            case SUSPECT, UNREACHABLE -> read && a.anyReplicaUsable() ? RequestAnswer.SERVE : RequestAnswer.UNAVAILABLE;
        };
    }

    public enum Verdict {
        UP,
        DOWN,
        /** The snapshot does not tell: ask the database (a short probe through the pools). */
        PROBE
    }

    /**
     * What readiness answers from the snapshot alone.
     *
     * @param status the words readiness shows
     * @param reason why it is DOWN, for the log line of the change
     */
    public record Readiness(Verdict verdict, String status, String reason) {
    }

    public static Readiness readiness(Availability a) {
        if (!a.isReady()) {
            return new Readiness(Verdict.DOWN, a.status(), a.status());
        }
        if (a.network() == Reach.UNREACHABLE && a.anyReplicaUsable()) {
            // reads are still served by replicas: taking the pod out would stop them too; writes get a fast 503
            return new Readiness(Verdict.UP, "primary unreachable: reads served by replicas", null);
        }
        if (a.network() == Reach.UNREACHABLE || a.network() == Reach.SUSPECT && !a.anyReplicaUsable()) {
            // a partition: the probe's own statement would wait for the network; say so at once
            return new Readiness(Verdict.DOWN, "database host unreachable",
                    "the database host does not answer a TCP handshake");
        }
        return new Readiness(Verdict.PROBE, null, null);
    }

    /**
     * The seeds' {@code GET /health}: whether the database serves now, with no round trip of its own.
     *
     * @param lastProbeUp readiness's last probe, null before the first
     */
    public static boolean databaseUp(Availability a, Boolean lastProbeUp) {
        if (!a.isReady() || a.network() == Reach.UNREACHABLE && !a.anyReplicaUsable()) {
            return false;
        }
        return lastProbeUp == null || lastProbeUp;
    }

    /**
     * A request that got no pooled connection in time: while the host is unreachable none could be made, which is
     * the database being unavailable, not the pool being too small (telling the operator to enlarge it would
     * mislead).
     */
    public static boolean poolTimeoutIsUnavailability(Availability a) {
        return a.network() == Reach.UNREACHABLE;
    }

    public enum PoolAction {
        NONE,
        /** Drop every connection and make acquisitions fail at once: a statement sent now is never answered. */
        SUSPEND,
        /** Acquisitions wait for a connection as configured again. */
        RESUME,
        /**
         * Drop the connections made to an address the primary's name no longer resolves to: it answered read-only
         * (an old writer after a failover by DNS, perhaps back at its old address as a reader), and new connections
         * go where the name points now. With the name unmoved nothing is dropped: a read-only database with no
         * other server to go to answers writes 503 database-read-only, its connections kept.
         */
        LEAVE
    }

    /** At most one look at where the name points per this interval, however many writes are refused. */
    public static final Duration LEAVE_EVERY = Duration.ofSeconds(1);

    /**
     * What is done to the primary's pools when it answers read-only, {@code sinceLastLeave} after the last time
     * (null: never).
     */
    public static PoolAction onReadOnlyAnswer(Duration sinceLastLeave) {
        return sinceLastLeave == null || sinceLastLeave.compareTo(LEAVE_EVERY) >= 0 ? PoolAction.LEAVE
                : PoolAction.NONE;
    }

    /** What is done to the primary's pools. */
    public static PoolAction onChange(AvailabilityChange change) {
        boolean was = change.before().network() == Reach.UNREACHABLE;
        boolean is = change.after().network() == Reach.UNREACHABLE;
        return !was && is ? PoolAction.SUSPEND : was && !is ? PoolAction.RESUME : PoolAction.NONE;
    }

    /**
     * What is done to replica {@code name}'s pools: dropped once its host is unreachable (its reads in flight are
     * then served by the next server, below), resumed once it answers again.
     */
    public static PoolAction onReplicaChange(AvailabilityChange change, String name) {
        boolean was = change.before().replica(name) == ReplicaState.UNREACHABLE;
        boolean is = change.after().replica(name) == ReplicaState.UNREACHABLE;
        return !was && is ? PoolAction.SUSPEND : was && !is ? PoolAction.RESUME : PoolAction.NONE;
    }

    /** Where a read goes after its replica failed it, before it returned anything; the same on both clients. */
    public enum ReplicaFailure {
        /** The client's failure, or one no other server would spare it (a statement timeout): the answer. */
        FAIL,
        /** The replica is busy or refuses this read for a reason not its health: the primary serves it. */
        PRIMARY,
        /** The replica is down or does not take us: marked down, the read goes to the next usable server. */
        NEXT_SERVER
    }

    public static ReplicaFailure onReplicaFailure(Throwable failure) {
        DatabaseFailure f = DatabaseFailure.of(failure).orElse(null);
        if (f == null) {
            return ReplicaFailure.FAIL;
        }
        String state = f.sqlState() == null ? "" : f.sqlState();
        return switch (f.kind()) {
            // 53xxx: out of connections or resources, busy rather than down
            case UNAVAILABLE -> state.startsWith("53") ? ReplicaFailure.PRIMARY : ReplicaFailure.NEXT_SERVER;
            // a revoked privilege is the grant's problem, not the server's health
            case REFUSED -> state.equals("42501") ? ReplicaFailure.PRIMARY : ReplicaFailure.NEXT_SERVER;
            case POOL_TIMEOUT, NO_SLOTS -> ReplicaFailure.PRIMARY;
            default -> ReplicaFailure.FAIL;
        };
    }
}
