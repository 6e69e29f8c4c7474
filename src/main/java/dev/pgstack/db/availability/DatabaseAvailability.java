package dev.pgstack.db.availability;

import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import dev.pgstack.db.availability.Availability.Phase;
import dev.pgstack.db.availability.Availability.Reach;
import dev.pgstack.db.availability.Availability.ReplicaState;
import dev.pgstack.db.availability.Availability.StartupWait;

/**
 * The availability model: the one current {@link Availability}, replaced whole at each report and read without a
 * lock. A change of the primary's {@link Availability#primary() reach} or of a replica's state is announced as an
 * {@link AvailabilityChange} event to whoever acts on it (db.connection.PoolSuspension, db.replica.Replicas), in
 * the order of the reports: they are serialised, reads are not.
 */
@ApplicationScoped
public class DatabaseAvailability implements AvailabilityReports {

    private volatile Availability now = Availability.INITIAL;

    @Inject
    Event<AvailabilityChange> changes;

    @Inject
    Event<ReadOnlyAnswer> readOnlyAnswers;

    /** The snapshot to decide on: read it once per decision. */
    public Availability now() {
        return now;
    }

    @Override
    public void starting(StartupWait wait, String words) {
        update(a -> a.phase() == Phase.STARTING ? a.startup(Phase.STARTING, wait, words, a.schemaVersion()) : a);
    }

    @Override
    public void ready(String schemaVersion) {
        update(a -> a.phase() == Phase.STARTING ? a.startup(Phase.READY, StartupWait.NONE, "ready", schemaVersion)
                : a);
    }

    @Override
    public void stopping(String words) {
        update(a -> a.startup(Phase.STOPPING, a.startupWait(), words, a.schemaVersion()));
    }

    @Override
    public void network(Reach reach) {
        if (reach == Reach.READ_ONLY) {
            throw new IllegalArgumentException("read-only is reported by readOnly(true)");
        }
        update(a -> a.network(reach));
    }

    @Override
    public void readOnly(boolean readOnly) {
        update(a -> a.readOnly(readOnly));
        if (readOnly && readOnlyAnswers != null) {
            readOnlyAnswers.fire(new ReadOnlyAnswer(System.nanoTime()));
        }
    }

    @Override
    public void replica(String name, ReplicaState state) {
        if (state.heldByWatch()) {
            throw new IllegalArgumentException("a replica's reach is reported by replicaNetwork");
        }
        update(a -> a.replicaChecked(name, state));
    }

    @Override
    public void replicaNetwork(String name, Reach reach) {
        update(a -> a.replicaReach(name, reach));
    }

    private synchronized void update(UnaryOperator<Availability> change) {
        Availability before = now;
        Availability after = change.apply(before);
        if (after == before) {
            return;
        }
        now = after;
        if ((before.primary() != after.primary() || !before.replicas().equals(after.replicas())) && changes != null) {
            changes.fire(new AvailabilityChange(before, after));
        }
    }
}
