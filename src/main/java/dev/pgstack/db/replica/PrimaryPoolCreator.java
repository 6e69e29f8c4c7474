package dev.pgstack.db.replica;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * The reactive pool follows the primary too. The reactive client has no multi-host syntax: given several URLs it
 * takes turns, and half of its connections would land on a read-only standby. With several DATABASE_URL hosts,
 * each new connection goes to the host that {@link ReplicationMonitor} last saw as the primary (the first host
 * until it knows).
 */
@ApplicationScoped
public class PrimaryPoolCreator implements PgPoolCreator {

    @Inject
    ReplicationMonitor monitor;

    @Override
    public Pool create(Input input) {
        List<PgConnectOptions> hosts = input.pgConnectOptionsList();
        var builder = PgBuilder.pool().with(input.poolOptions()).using(input.vertx());
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
