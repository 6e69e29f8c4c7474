package dev.pgstack.db.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pgstack.db.availability.Availability.ReplicaState;
import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.replica.ReplicaPool.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Where a read goes, given what the availability model holds of each replica (no servers: the rules alone). */
class ReadRoutingRulesTest {

    private final Replicas replicas = new Replicas();
    private final DatabaseAvailability availability = new DatabaseAvailability();

    ReadRoutingRulesTest() {
        replicas.registry = new SimpleMeterRegistry();
        replicas.availability = availability;
    }

    private ReplicaPool replica(String name, ReplicaState state, long replayed) {
        ReplicaPool pool = new ReplicaPool(name, DatabaseUrl.parse("test", "postgresql://" + name + "/db"), null, null,
                null, null);
        pool.status(new Status(replayed, state == ReplicaState.UP ? 0.1 : 9, System.nanoTime()));
        availability.replica(name, state);
        return pool;
    }

    @Test
    void withoutReplicasEveryReadGoesToThePrimary() {
        assertNull(replicas.forRead(WalPosition.NONE));
    }

    @Test
    void onlyAnsweringReplicasWithinTheLagGetReads() {
        ReplicaPool up = replica("r-up", ReplicaState.UP, 100);
        replicas.use(List.of(replica("r-lagging", ReplicaState.LAGGING, 100),
                replica("r-down", ReplicaState.DOWN, 100), replica("r-unknown", ReplicaState.UNKNOWN, 0), up));
        for (int i = 0; i < 8; i++) {
            assertSame(up, replicas.forRead(WalPosition.NONE));
        }
        assertEquals(8L, replicas.readsByTarget().get("r-up"));
    }

    @Test
    void aReadAfterAWriteGoesOnlyWhereThatWriteHasBeenReplayed() {
        ReplicaPool behind = replica("r-behind", ReplicaState.UP, 100);
        ReplicaPool ahead = replica("r-ahead", ReplicaState.UP, 200);
        replicas.use(List.of(behind, ahead));
        for (int i = 0; i < 4; i++) {
            assertSame(ahead, replicas.forRead(150));
        }
        assertNull(replicas.forRead(201), "nobody has replayed it: the primary");
        assertEquals(1L, replicas.readsByTarget().get(Replicas.PRIMARY));
    }

    @Test
    void usableReplicasTakeTurns() {
        replicas.use(List.of(replica("a", ReplicaState.UP, 1), replica("b", ReplicaState.UP, 1),
                replica("c", ReplicaState.UP, 1)));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            seen.add(replicas.forRead(WalPosition.NONE).name());
        }
        assertEquals(Set.of("a", "b", "c"), seen);
    }

    @Test
    void aReplicaReportedDownGetsNoReadsUntilItIsUpAgain() {
        ReplicaPool a = replica("a", ReplicaState.UP, 1);
        ReplicaPool b = replica("b", ReplicaState.UP, 1);
        replicas.use(List.of(a, b));
        availability.replica("a", ReplicaState.DOWN);
        for (int i = 0; i < 4; i++) {
            assertSame(b, replicas.forRead(WalPosition.NONE));
        }
        availability.replica("b", ReplicaState.DOWN);
        assertNull(replicas.forRead(WalPosition.NONE), "none usable: the primary");
        availability.replica("a", ReplicaState.UP);
        assertSame(a, replicas.forRead(WalPosition.NONE));
    }

    @Test
    void theMaximumLagDecidesBetweenUpAndLagging() {
        assertEquals(ReplicaState.UP, ReplicaPool.stateFor(1.0, Duration.ofSeconds(1)));
        assertEquals(ReplicaState.LAGGING, ReplicaPool.stateFor(1.001, Duration.ofSeconds(1)));
        assertEquals(ReplicaState.UP, ReplicaPool.stateFor(0, Duration.ofMillis(1)));
    }
}
