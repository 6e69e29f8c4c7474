package dev.pgstack.db.replica;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * The reactive pool (the hot reads, operations) follows the primary too, and waits for a connection no longer than
 * a JDBC checkout does. The reactive client has no multi-host syntax: given several URLs it
 * takes turns, and half of its connections would land on a read-only standby. With several DATABASE_URL hosts,
 * each new connection goes to the host that {@link ReplicationMonitor} last saw as the primary (the first host
 * until it knows).
 */
@ApplicationScoped
public class PrimaryPoolCreator implements PgPoolCreator {

    @Inject
    ReplicationMonitor monitor;

    /** As long as a JDBC checkout may wait: then a 503 (pool-exhausted), not Vert.x's 30 s. */
    @ConfigProperty(name = "quarkus.datasource.jdbc.acquisition-timeout", defaultValue = "5S")
    Duration acquisitionTimeout;

    @Override
    public Pool create(Input input) {
        List<PgConnectOptions> hosts = input.pgConnectOptionsList();
        PoolOptions pool = input.poolOptions().setConnectionTimeout((int) acquisitionTimeout.toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        var builder = PgBuilder.pool().with(pool).using(input.vertx());
        if (hosts.size() == 1) {
            return builder.connectingTo(hosts.get(0)).build();
        }
        return builder.connectingTo(() -> Future.succeededFuture(primary(hosts))).build();
    }

    private SqlConnectOptions primary(List<PgConnectOptions> hosts) {
        var endpoint = monitor.primaryEndpoint();
        if (endpoint != null) {
            for (PgConnectOptions host : hosts) {
                if (host.getHost().equals(endpoint.host()) && host.getPort() == endpoint.port()) {
                    return host;
                }
            }
        }
        return hosts.get(0);
    }
}
