package dev.pgstack.db.replica;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.PrimaryDatabase;
import dev.pgstack.db.connection.ConnectionPolicy;
import dev.pgstack.db.connection.ReactiveConnections;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * The primary's reactive pool (the hot paths, operations), built by the {@link ConnectionPolicy} like every other
 * pool: Quarkus's options give the hosts, database and credentials; the policy everything else (TLS, timeouts,
 * session settings, PgBouncer mode). The reactive client has no multi-host syntax: given several URLs it takes
 * turns, and half of its connections would land on a read-only standby. With several DATABASE_URL hosts, each new
 * connection goes to the host that {@link ReplicationMonitor} last saw as the primary (the first host until it
 * knows).
 */
@ApplicationScoped
public class PrimaryPoolCreator implements PgPoolCreator {

    @Inject
    ReplicationMonitor monitor;

    @Inject
    ConnectionPolicy policy;

    @Inject
    PrimaryDatabase primary;

    @Inject
    ReactiveConnections connections;

    @Override
    public Pool create(Input input) {
        List<PgConnectOptions> hosts = new ArrayList<>();
        for (PgConnectOptions host : input.pgConnectOptionsList()) {
            DatabaseUrl url = primary.url().orElseGet(() -> new DatabaseUrl(host.getHost(), host.getPort(),
                    host.getDatabase(), host.getUser(), host.getPassword(), java.util.Map.of()));
            hosts.add(policy.reactive(host, url));
        }
        PoolOptions pool = policy.reactivePool(input.poolOptions(), Replicas.PRIMARY, input.poolOptions().getMaxSize());
        var builder = PgBuilder.pool().with(pool).using(input.vertx()).withConnectHandler(connections::track);
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
