package dev.pgstack.db.replica;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.PrimaryDatabase;
import dev.pgstack.db.connection.ConnectionPolicy;
import dev.pgstack.db.connection.ReactiveConnections;
import dev.pgstack.db.connection.TlsNegotiation;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

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

    @Inject
    TlsNegotiation tls;

    @Override
    public Pool create(Input input) {
        List<PgConnectOptions> hosts = new ArrayList<>();
        for (PgConnectOptions host : input.pgConnectOptionsList()) {
            DatabaseUrl url = primary.url().orElseGet(() -> new DatabaseUrl(host.getHost(), host.getPort(),
                    host.getDatabase(), host.getUser(), host.getPassword(), Map.of()));
            hosts.add(policy.reactive(host, url));
        }
        PoolOptions pool = policy.primaryReactivePool(input.poolOptions(), Replicas.PRIMARY,
                input.poolOptions().getMaxSize());
        // each connection's TLS mode from the server's answer (TlsNegotiation: the client's own fallback leaves a
        // socket open that holds a fast shutdown of the server for 60 s)
        return PgBuilder.pool().with(pool).using(input.vertx()).withConnectHandler(connections::track)
                .connectingTo(() -> tls.negotiated(primary(hosts))).build();
    }

    private PgConnectOptions primary(List<PgConnectOptions> hosts) {
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
