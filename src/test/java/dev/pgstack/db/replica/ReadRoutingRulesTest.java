package dev.pgstack.db.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.replica.ReplicaPool.State;
import dev.pgstack.db.replica.ReplicaPool.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Where a read goes, given what the monitor saw of each replica (no servers: the rules alone). */
class ReadRoutingRulesTest {

    private final Replicas replicas = new Replicas();

    ReadRoutingRulesTest() {
        replicas.registry = new SimpleMeterRegistry();
    }

    private static ReplicaPool replica(String name, State state, long replayed) {
        ReplicaPool pool = new ReplicaPool(name, DatabaseUrl.parse("test", "postgresql://" + name + "/db"), null, null);
        pool.status(new Status(state, replayed, state == State.UP ? 0.1 : 9, System.nanoTime()));
        return pool;
    }

    @Test
    void withoutReplicasEveryReadGoesToThePrimary() {
        assertNull(replicas.forRead(WalPosition.NONE));
    }

    @Test
    void onlyAnsweringReplicasWithinTheLagGetReads() {
        ReplicaPool up = replica("r-up", State.UP, 100);
        replicas.use(List.of(replica("r-lagging", State.LAGGING, 100), replica("r-down", State.DOWN, 100),
                replica("r-unknown", State.UNKNOWN, 0), up));
        for (int i = 0; i < 8; i++) {
            assertSame(up, replicas.forRead(WalPosition.NONE));
        }
        assertEquals(8L, replicas.readsByTarget().get("r-up"));
    }

    @Test
    void aReadAfterAWriteGoesOnlyWhereThatWriteHasBeenReplayed() {
        ReplicaPool behind = replica("r-behind", State.UP, 100);
        ReplicaPool ahead = replica("r-ahead", State.UP, 200);
        replicas.use(List.of(behind, ahead));
        for (int i = 0; i < 4; i++) {
            assertSame(ahead, replicas.forRead(150));
        }
        assertNull(replicas.forRead(201), "nobody has replayed it: the primary");
        assertEquals(1L, replicas.readsByTarget().get(Replicas.PRIMARY));
    }

    @Test
    void usableReplicasTakeTurns() {
        replicas.use(List.of(replica("a", State.UP, 1), replica("b", State.UP, 1), replica("c", State.UP, 1)));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            seen.add(replicas.forRead(WalPosition.NONE).name());
        }
        assertEquals(Set.of("a", "b", "c"), seen);
    }

    @Test
    void theMaximumLagDecidesBetweenUpAndLagging() {
        assertEquals(State.UP, ReplicaPool.stateFor(1.0, Duration.ofSeconds(1)));
        assertEquals(State.LAGGING, ReplicaPool.stateFor(1.001, Duration.ofSeconds(1)));
        assertEquals(State.UP, ReplicaPool.stateFor(0, Duration.ofMillis(1)));
    }
}
