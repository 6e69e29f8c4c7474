package dev.pgstack.db.replica;

import java.sql.Connection;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;

import dev.pgstack.db.availability.AvailabilityRules;
import dev.pgstack.db.connection.ConnectionSlots;
import dev.pgstack.db.sql.DatabaseFailure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.customized.QuarkusConnectionProvider;
import io.quarkus.hibernate.orm.runtime.tenant.TenantConnectionResolver;

/**
 * The connections behind each of {@link ReadRouting}'s choices: the primary is Quarkus's own pool (transactions,
 * metrics, health); a replica is its {@link ReplicaPool}. A replica that cannot give a connection, or fails a
 * statement under the read ({@link ReadFailover}), is reported down and the read is served by another usable replica
 * or the primary instead: a replica failing is never the client's error.
 */
@PersistenceUnitExtension
@ApplicationScoped
public class ServerConnections implements TenantConnectionResolver {

    @Inject
    AgroalDataSource primary;

    @Inject
    Replicas replicas;

    @Inject
    ReplicationMonitor monitor;

    @Inject
    ConnectionSlots slots;

    @Override
    public ConnectionProvider resolve(String server) {
        ReplicaPool replica = replicas.named(server);
        QuarkusConnectionProvider primaryConnections = new PrimaryConnections();
        return replica == null ? primaryConnections : new ReplicaConnections(replica, primaryConnections);
    }

    /**
     * The primary's pool. A new connection refused for lack of server slots sent nothing: the pool stops growing
     * ({@link ConnectionSlots}) and the session waits for a connection it holds, within the acquisition timeout.
     */
    private final class PrimaryConnections extends QuarkusConnectionProvider {
        PrimaryConnections() {
            super(primary);
        }

        @Override
        public Connection getConnection() throws SQLException {
            try {
                return super.getConnection();
            } catch (SQLException e) {
                if (!DatabaseFailure.isNoSlots(e)) {
                    throw e;
                }
                slots.jdbcRefused();
                return super.getConnection();
            }
        }
    }

    private final class ReplicaConnections extends QuarkusConnectionProvider {
        private final ReplicaPool replica;
        private final QuarkusConnectionProvider fallback;

        ReplicaConnections(ReplicaPool replica, QuarkusConnectionProvider fallback) {
            super(replica.pool());
            this.replica = replica;
            this.fallback = fallback;
        }

        /** The session's replica while it is usable; the read goes on elsewhere once it failed (ReadFailover). */
        @Override
        public Connection getConnection() throws SQLException {
            ReadFailover.Served first = connectionFrom(replicas.isUsable(replica) ? replica
                    : replicas.forRead(ReadRouting.readAfter()), replicas.all().size());
            return ReadFailover.wrap(first, failed -> {
                monitor.reportFailure(failed);
                return connectionFrom(replicas.forRead(ReadRouting.readAfter()), replicas.all().size() - 1);
            });
        }

        /**
         * A replica that cannot give a connection goes where {@link AvailabilityRules#onReplicaFailure} says, as a
         * reactive read's does: down, reported, and the next usable one asked, then the primary (in a failover the
         * failing replica may be the old primary's host while no new primary exists yet); busy, the primary.
         */
        private ReadFailover.Served connectionFrom(ReplicaPool server, int triesLeft) throws SQLException {
            if (server == null || triesLeft <= 0) {
                return new ReadFailover.Served(fallback.getConnection(), null);
            }
            try {
                return new ReadFailover.Served(server.pool().getConnection(), server);
            } catch (SQLException e) {
                switch (AvailabilityRules.onReplicaFailure(e)) {
                    case NEXT_SERVER:
                        monitor.reportFailure(server);
                        return connectionFrom(replicas.forRead(ReadRouting.readAfter()), triesLeft - 1);
                    case PRIMARY:
                        return new ReadFailover.Served(fallback.getConnection(), null);
                    default:
                        throw e;
                }
            }
        }
    }
}
