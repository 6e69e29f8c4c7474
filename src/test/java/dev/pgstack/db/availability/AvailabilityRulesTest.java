package dev.pgstack.db.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pgstack.db.availability.Availability.Phase;
import dev.pgstack.db.availability.Availability.Reach;
import dev.pgstack.db.availability.Availability.ReplicaState;
import dev.pgstack.db.availability.Availability.StartupWait;
import dev.pgstack.db.availability.AvailabilityRules.PoolAction;
import dev.pgstack.db.availability.AvailabilityRules.ReplicaFailure;
import dev.pgstack.db.availability.AvailabilityRules.RequestAnswer;
import dev.pgstack.db.availability.AvailabilityRules.Verdict;

/**
 * The table of what the service does in each state of its database: no server, no network, no root. Each row is
 * one state and what follows from it; the fault, partition and failover suites prove that the observers put the
 * service in these states.
 */
class AvailabilityRulesTest {

    static Availability state(Phase phase, StartupWait wait, Reach network, boolean readOnly, boolean replicaUp) {
        return new Availability(phase, wait, phase.name().toLowerCase(), null, network, readOnly,
                Map.of("replica-1", replicaUp ? ReplicaState.UP : ReplicaState.DOWN));
    }

    @ParameterizedTest(name = "{0} {1} {2} read-only={3} replica-up={4} read={5}: {6}")
    @CsvSource({
            // startup decides first, whatever the network says
            "STARTING, DATABASE,            REACHABLE,   false, false, true,  STARTING",
            "STARTING, MIGRATING,           REACHABLE,   false, true,  true,  STARTING",
            "STARTING, SCHEMA_BEHIND,       REACHABLE,   false, false, false, STARTING",
            "STARTING, CREDENTIALS_REFUSED, REACHABLE,   false, false, false, REFUSED",
            "STARTING, CREDENTIALS_REFUSED, UNREACHABLE, false, false, true,  REFUSED",
            "STARTING, DATABASE,            UNREACHABLE, false, false, true,  STARTING",
            // ready: the primary's reach decides
            "READY,    NONE,                REACHABLE,   false, false, false, SERVE",
            "READY,    NONE,                REACHABLE,   false, false, true,  SERVE",
            "READY,    NONE,                REACHABLE,   true,  false, false, SERVE",
            "READY,    NONE,                SUSPECT,     false, false, true,  UNAVAILABLE",
            "READY,    NONE,                SUSPECT,     false, false, false, UNAVAILABLE",
            "READY,    NONE,                SUSPECT,     false, true,  true,  SERVE",
            "READY,    NONE,                SUSPECT,     false, true,  false, UNAVAILABLE",
            "READY,    NONE,                UNREACHABLE, false, true,  true,  SERVE",
            "READY,    NONE,                UNREACHABLE, false, true,  false, UNAVAILABLE",
            "READY,    NONE,                UNREACHABLE, false, false, true,  UNAVAILABLE",
            "READY,    NONE,                UNREACHABLE, true,  false, true,  UNAVAILABLE",
            // draining: late requests are served while the database is there
            "STOPPING, NONE,                REACHABLE,   false, false, false, SERVE",
            "STOPPING, NONE,                UNREACHABLE, false, false, false, UNAVAILABLE" })
    void whatARequestGets(Phase phase, StartupWait wait, Reach network, boolean readOnly, boolean replicaUp,
            boolean read, RequestAnswer expected) {
        assertEquals(expected, AvailabilityRules.forRequest(state(phase, wait, network, readOnly, replicaUp), read));
    }

    @ParameterizedTest(name = "{0} {1} replica-up={2}: {3} ''{4}''")
    @CsvSource({
            "STARTING, REACHABLE,   true,  DOWN,  starting",
            "STOPPING, REACHABLE,   true,  DOWN,  stopping",
            "READY,    REACHABLE,   false, PROBE, ",
            "READY,    SUSPECT,     true,  PROBE, ",
            "READY,    SUSPECT,     false, DOWN,  database host unreachable",
            "READY,    UNREACHABLE, false, DOWN,  database host unreachable",
            "READY,    UNREACHABLE, true,  UP,    primary unreachable: reads served by replicas" })
    void whatReadinessKnowsWithoutAProbe(Phase phase, Reach network, boolean replicaUp, Verdict verdict,
            String status) {
        AvailabilityRules.Readiness r = AvailabilityRules.readiness(state(phase, StartupWait.NONE, network, false,
                replicaUp));
        assertEquals(verdict, r.verdict());
        assertEquals(status, r.status());
        assertEquals(verdict == Verdict.DOWN, r.reason() != null, "a DOWN says why, for its log line");
    }

    @ParameterizedTest(name = "{0} {1} replica-up={2} last probe={3}: {4}")
    @CsvSource({
            "STARTING, REACHABLE,   true,  true,  false",
            "READY,    REACHABLE,   false, ,      true",
            "READY,    REACHABLE,   false, true,  true",
            "READY,    REACHABLE,   false, false, false",
            "READY,    UNREACHABLE, false, true,  false",
            "READY,    UNREACHABLE, true,  true,  true",
            "STOPPING, REACHABLE,   false, true,  false" })
    void whatTheSeedsHealthSays(Phase phase, Reach network, boolean replicaUp, Boolean lastProbe, boolean up) {
        assertEquals(up, AvailabilityRules.databaseUp(state(phase, StartupWait.NONE, network, false, replicaUp),
                lastProbe));
    }

    @ParameterizedTest(name = "{0}: unavailability={1}")
    @CsvSource({ "REACHABLE, false", "SUSPECT, false", "UNREACHABLE, true" })
    void aPoolTimeoutIsTheDatabaseBeingUnavailableOnlyWhileItsHostIsUnreachable(Reach network, boolean expected) {
        assertEquals(expected, AvailabilityRules.poolTimeoutIsUnavailability(state(Phase.READY, StartupWait.NONE,
                network, false, false)));
    }

    @ParameterizedTest(name = "{0} read-only={1} -> {2} read-only={3}: {4}")
    @CsvSource({
            "REACHABLE,   false, SUSPECT,     false, NONE",
            "SUSPECT,     false, UNREACHABLE, false, SUSPEND",
            "REACHABLE,   false, UNREACHABLE, false, SUSPEND",
            "UNREACHABLE, false, SUSPECT,     false, RESUME",
            "UNREACHABLE, false, REACHABLE,   false, RESUME",
            "SUSPECT,     false, REACHABLE,   false, NONE",
            "REACHABLE,   false, REACHABLE,   true,  NONE",
            "UNREACHABLE, false, REACHABLE,   true,  RESUME",
            "REACHABLE,   true,  REACHABLE,   false, NONE" })
    void whenThePoolsAreSuspendedAndResumed(Reach before, boolean readOnlyBefore, Reach after, boolean readOnlyAfter,
            PoolAction expected) {
        assertEquals(expected, AvailabilityRules.onChange(new AvailabilityChange(
                state(Phase.READY, StartupWait.NONE, before, readOnlyBefore, true),
                state(Phase.READY, StartupWait.NONE, after, readOnlyAfter, true))));
    }

    @ParameterizedTest(name = "SQLSTATE {0}: {1}")
    @CsvSource({
            // not there, going away, or not taking us: down, the next server
            "08006, NEXT_SERVER", "08001, NEXT_SERVER", "57P01, NEXT_SERVER", "57P03, NEXT_SERVER",
            "28P01, NEXT_SERVER", "28000, NEXT_SERVER", "3D000, NEXT_SERVER",
            // busy, or a grant: not its health, the primary serves this read
            "53300, PRIMARY", "53100, PRIMARY", "42501, PRIMARY",
            // the same anywhere: a statement timeout, the client's data, a missing table, a conflict
            "57014, FAIL", "23505, FAIL", "22001, FAIL", "42P01, FAIL", "40001, FAIL" })
    void whereAReadGoesWhenItsReplicaFailsIt(String sqlState, ReplicaFailure expected) {
        assertEquals(expected, AvailabilityRules.onReplicaFailure(new SQLException("failed", sqlState)));
    }

    @Test
    void failuresWithoutAStateFollowTheSameRule() {
        assertEquals(ReplicaFailure.PRIMARY, AvailabilityRules.onReplicaFailure(
                new SQLException("Acquisition timeout while waiting for new connection")), "the replica pool is full");
        assertEquals(ReplicaFailure.NEXT_SERVER, AvailabilityRules.onReplicaFailure(
                io.vertx.sqlclient.ClosedConnectionException.INSTANCE), "closed under the statement");
        assertEquals(ReplicaFailure.NEXT_SERVER, AvailabilityRules.onReplicaFailure(
                new java.net.ConnectException("Connection refused")));
        assertEquals(ReplicaFailure.FAIL, AvailabilityRules.onReplicaFailure(new IllegalStateException("a bug")));
    }

    @Test
    void theModelKeepsStartupsOrderAndTheReachOfItsObservers() {
        DatabaseAvailability model = new DatabaseAvailability();
        assertEquals(Phase.STARTING, model.now().phase());
        model.starting(StartupWait.CREDENTIALS_REFUSED, "credentials refused");
        assertEquals(RequestAnswer.REFUSED, AvailabilityRules.forRequest(model.now(), true));
        model.starting(StartupWait.MIGRATING, "words that may change");
        assertEquals(RequestAnswer.STARTING, AvailabilityRules.forRequest(model.now(), true),
                "decided by the type, whatever the words");
        model.ready("8");
        assertTrue(model.now().isReady());
        assertEquals("8", model.now().schemaVersion());
        model.starting(StartupWait.DATABASE, "late");
        assertTrue(model.now().isReady(), "a late startup report does not undo READY");
        model.readOnly(true);
        assertEquals(Reach.READ_ONLY, model.now().primary());
        model.network(Reach.UNREACHABLE);
        assertEquals(Reach.UNREACHABLE, model.now().primary(), "the host's silence first");
        model.network(Reach.REACHABLE);
        model.readOnly(false);
        assertEquals(Reach.REACHABLE, model.now().primary());
        model.stopping("shutting down");
        model.ready("8");
        assertEquals(Phase.STOPPING, model.now().phase(), "a service stopping stays so");
        Availability before = model.now();
        model.network(Reach.REACHABLE);
        assertTrue(before == model.now(), "an unchanged report replaces nothing");
        assertFalse(model.now().anyReplicaUsable());
        model.replica("replica-1", ReplicaState.UP);
        assertTrue(model.now().usable("replica-1"));
    }

    /**
     * A replica's state after a report, from each state: the watch's handshakes (REACHABLE, SUSPECT, UNREACHABLE)
     * and a check's or a failed read's verdict (UP, LAGGING, DOWN). The watch's SUSPECT and UNREACHABLE stand until
     * its own next answer, which hands the replica back to the checks as DOWN.
     */
    @ParameterizedTest(name = "{0} + {1}: {2}")
    @CsvSource({
            "UP,          SUSPECT,     SUSPECT",
            "UP,          UNREACHABLE, UNREACHABLE",
            "SUSPECT,     UNREACHABLE, UNREACHABLE",
            "UNREACHABLE, SUSPECT,     UNREACHABLE",
            "SUSPECT,     REACHABLE,   DOWN",
            "UNREACHABLE, REACHABLE,   DOWN",
            "UP,          REACHABLE,   UP",
            "LAGGING,     REACHABLE,   LAGGING",
            "UNKNOWN,     REACHABLE,   UNKNOWN",
            "UNKNOWN,     SUSPECT,     SUSPECT",
            "SUSPECT,     UP,          SUSPECT",
            "UNREACHABLE, UP,          UNREACHABLE",
            "UNREACHABLE, DOWN,        UNREACHABLE",
            "DOWN,        UP,          UP",
            "UP,          DOWN,        DOWN",
            "UP,          LAGGING,     LAGGING" })
    void whatAReplicaIsAfterAReport(ReplicaState before, String report, ReplicaState expected) {
        DatabaseAvailability model = new DatabaseAvailability();
        if (before.heldByWatch()) {
            model.replica("replica-1", ReplicaState.UP);
            model.replicaNetwork("replica-1", before == ReplicaState.SUSPECT ? Reach.SUSPECT : Reach.UNREACHABLE);
        } else if (before != ReplicaState.UNKNOWN) {
            model.replica("replica-1", before);
        }
        assertEquals(before, model.now().replica("replica-1"));
        switch (report) {
            case "REACHABLE", "SUSPECT", "UNREACHABLE" -> model.replicaNetwork("replica-1", Reach.valueOf(report));
            default -> model.replica("replica-1", ReplicaState.valueOf(report));
        }
        assertEquals(expected, model.now().replica("replica-1"));
        assertEquals(expected == ReplicaState.UP, model.now().usable("replica-1"), "only UP takes reads");
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "UP,          SUSPECT,     NONE",
            "SUSPECT,     UNREACHABLE, SUSPEND",
            "UP,          UNREACHABLE, SUSPEND",
            "UNREACHABLE, DOWN,        RESUME",
            "SUSPECT,     DOWN,        NONE",
            "UP,          DOWN,        NONE",
            "DOWN,        UP,          NONE" })
    void whenAReplicasPoolsAreSuspendedAndResumed(ReplicaState before, ReplicaState after, PoolAction expected) {
        Availability ready = state(Phase.READY, StartupWait.NONE, Reach.REACHABLE, false, true);
        AvailabilityChange change = new AvailabilityChange(
                new Availability(Phase.READY, StartupWait.NONE, "ready", null, Reach.REACHABLE, false,
                        Map.of("replica-1", before, "replica-2", ReplicaState.UP)),
                new Availability(Phase.READY, StartupWait.NONE, "ready", null, Reach.REACHABLE, false,
                        Map.of("replica-1", after, "replica-2", ReplicaState.UP)));
        assertEquals(expected, AvailabilityRules.onReplicaChange(change, "replica-1"));
        assertEquals(PoolAction.NONE, AvailabilityRules.onReplicaChange(change, "replica-2"), "the others untouched");
        assertEquals(PoolAction.NONE, AvailabilityRules.onChange(change), "the primary's pools untouched");
        assertEquals(RequestAnswer.SERVE, AvailabilityRules.forRequest(ready, false));
    }

    @ParameterizedTest(name = "a read-only answer {0} ms after the last look: {1}")
    @CsvSource({ ", LEAVE", "0, NONE", "999, NONE", "1000, LEAVE", "60000, LEAVE" })
    void aReadOnlyAnswerLooksWhereTheNamePointsAtMostOnceASecond(Long sinceMs, PoolAction expected) {
        assertEquals(expected, AvailabilityRules.onReadOnlyAnswer(sinceMs == null ? null : Duration.ofMillis(sinceMs)));
    }
}
