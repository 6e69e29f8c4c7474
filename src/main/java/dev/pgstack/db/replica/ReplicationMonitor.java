package dev.pgstack.db.replica;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.HostSpec;

import dev.pgstack.db.availability.Availability.ReplicaState;
import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.config.PrimaryDatabase;
import dev.pgstack.db.config.RunMode;
import dev.pgstack.db.connection.ConnectionPolicy;
import dev.pgstack.db.replica.ReplicaPool.Status;
import dev.pgstack.db.sql.DatabaseFailure;
import dev.pgstack.db.tasks.BackgroundTasks;
import dev.pgstack.db.tasks.Task;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Watches replication in the background, on connections of its own (a busy pool never delays a check): every
 * {@code pgstack.replica.check-interval} it reads the primary's WAL position and which of the DATABASE_URL hosts is
 * the primary now, then each replica's replayed position and lag. A replica is as far behind as the time since it
 * replayed its last transaction, or not at all once it has replayed what the primary had written when the round
 * began (an idle primary writes nothing, so the replay time alone would say "behind" forever). While the primary
 * cannot be read, the position it was last seen at stands in for it, so that replicas keep serving reads during a
 * failover. Changes of state are logged once.
 */
@ApplicationScoped
public class ReplicationMonitor {

    private static final Logger LOG = Logger.getLogger(ReplicationMonitor.class);

    private static final String REPLICA_CHECK = "SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() "
            + "THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text, "
            + "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8";

    @Inject
    Replicas replicas;

    @Inject
    PgstackConfig config;

    @Inject
    RunMode runMode;

    @Inject
    PrimaryDatabase primary;

    @Inject
    ConnectionPolicy policy;

    /** Where each replica's state is published, and read back to log its changes once. */
    @Inject
    DatabaseAvailability availability;

    @Inject
    BackgroundTasks tasks;

    private Task timer;
    private DatabaseUrl primaryUrl;
    private Connection primaryConnection;
    private final Map<ReplicaPool, Connection> replicaConnections = new HashMap<>();
    private volatile long primaryPosition = WalPosition.NONE;
    /** The primary's WAL position when it last answered: what it may have acknowledged, at most, while it is away. */
    private volatile long lastSeenPrimaryPosition = WalPosition.NONE;
    private volatile DatabaseUrl.Endpoint primaryEndpoint;

    void onStart(@Observes StartupEvent event) {
        if (runMode.isCommand()) {
            return;
        }
        primaryUrl = primary.url().orElse(null);
        boolean severalHosts = primaryUrl != null && primaryUrl.endpoints().size() > 1;
        if (!replicas.configured() && !severalHosts) {
            return; // nothing to watch
        }
        long every = Math.max(10, config.replica().checkInterval().toMillis());
        timer = tasks.every("replication-monitor", Duration.ofMillis(every), this::checkAll);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.stop(Duration.ofSeconds(2)); // its last check ends before its connections close
            close(primaryConnection);
            replicaConnections.values().forEach(ReplicationMonitor::close);
        }
    }

    /** The primary's WAL position at the last check ({@link WalPosition#NONE}: unknown). */
    public long primaryPosition() {
        return primaryPosition;
    }

    /** The DATABASE_URL host that answered as the primary at the last check (null: unknown or one host only). */
    public DatabaseUrl.Endpoint primaryEndpoint() {
        return primaryEndpoint;
    }

    void checkAll() {
        try {
            checkPrimary();
            for (ReplicaPool replica : replicas.all()) {
                check(replica);
            }
        } catch (RuntimeException e) {
            LOG.debug("Replication check failed", e);
        }
    }

    private void checkPrimary() {
        if (primaryUrl == null) {
            return;
        }
        try {
            if (primaryConnection == null) {
                primaryConnection = policy.taskConnection(primaryUrl, "-monitor");
                HostSpec host = primaryConnection.unwrap(BaseConnection.class).getQueryExecutor().getHostSpec();
                primaryEndpoint = primaryUrl.endpoints().stream()
                        .filter(e -> e.host().equals(host.getHost()) && e.port() == host.getPort()).findFirst()
                        .orElse(null);
            }
            try (Statement st = primaryConnection.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                rs.next();
                primaryPosition = WalPosition.parse(rs.getString(1));
                lastSeenPrimaryPosition = primaryPosition;
            }
        } catch (SQLException e) {
            // a standby that was the primary answers 'recovery is in progress': reconnect to the new one
            close(primaryConnection);
            primaryConnection = null;
            primaryPosition = WalPosition.NONE;
            LOG.debugf("Primary check failed: %s", DatabaseFailure.describe(e));
        }
    }

    private void check(ReplicaPool replica) {
        Status before = replica.status();
        ReplicaState was = availability.now().replica(replica.name());
        if (was.heldByWatch()) {
            // its host does not answer a handshake: a check would wait on the network and hold up the others'.
            // The watch makes it DOWN when it answers again; the next check, with a new connection, says the rest.
            abort(replicaConnections.remove(replica));
            return;
        }
        ReplicaState state;
        Status now;
        try {
            Connection connection = replicaConnections.get(replica);
            if (connection == null) {
                connection = policy.taskConnection(replica.url(), "-monitor");
                replicaConnections.put(replica, connection);
            }
            // while the primary is away (a failover), a replica that has replayed all it was last seen to have
            // written is not behind: nothing newer can have been acknowledged by it since
            long since = primaryPosition != WalPosition.NONE ? primaryPosition : lastSeenPrimaryPosition;
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(REPLICA_CHECK)) {
                rs.next();
                boolean recovering = rs.getBoolean(1);
                long replayed = WalPosition.parse(rs.getString(2));
                double sinceReplay = rs.getDouble(3);
                boolean neverReplayed = rs.wasNull();
                double lag;
                if (!recovering || (since != WalPosition.NONE && replayed >= since)) {
                    lag = 0; // promoted, or has everything the primary had when this round began
                } else if (neverReplayed) {
                    lag = Double.NaN;
                } else {
                    lag = Math.max(0, sinceReplay);
                }
                state = Double.isNaN(lag) ? ReplicaState.LAGGING : ReplicaPool.stateFor(lag, config.replica().maxLag());
                now = new Status(replayed, lag, System.nanoTime());
            }
        } catch (SQLException e) {
            close(replicaConnections.remove(replica));
            state = ReplicaState.DOWN;
            now = new Status(before.replayed(), Double.NaN, System.nanoTime());
            if (was != ReplicaState.DOWN) {
                LOG.warnf("Replica %s (%s) is down: %s; its reads go elsewhere", replica.name(), replica.where(),
                        DatabaseFailure.describe(e));
            }
        }
        replica.status(now);
        availability.replica(replica.name(), state);
        if (state != was) {
            if (state == ReplicaState.UP) {
                LOG.infof("Replica %s (%s) is up, %.1f s behind: it gets reads", replica.name(), replica.where(),
                        now.lagSeconds());
            } else if (state == ReplicaState.LAGGING) {
                LOG.warnf("Replica %s (%s) is %s behind, more than %s: no reads until it catches up",
                        replica.name(), replica.where(), Double.isNaN(now.lagSeconds()) ? "an unknown time"
                                : String.format("%.1f s", now.lagSeconds()), config.replica().maxLag());
            }
        }
    }

    /**
     * Marks a replica down at once: a read failed on it as AvailabilityRules.onReplicaFailure says a down replica
     * does. The next check may bring it back.
     */
    public void reportFailure(ReplicaPool replica) {
        ReplicaState state = availability.now().replica(replica.name());
        if (state != ReplicaState.DOWN && !state.heldByWatch()) {
            availability.replica(replica.name(), ReplicaState.DOWN);
            LOG.warnf("Replica %s (%s) failed a read; its reads go elsewhere until it answers a check",
                    replica.name(), replica.where());
        }
    }

    /** Closes its socket without a goodbye (a plain close could wait on a network that swallows packets). */
    private static void abort(Connection connection) {
        if (connection != null) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }
}
