package dev.pgstack.db.replica;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.pgstack.db.availability.Availability;
import dev.pgstack.db.availability.AvailabilityChange;
import dev.pgstack.db.availability.AvailabilityRules;
import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.config.PrimaryDatabase;
import dev.pgstack.db.config.RunMode;
import dev.pgstack.db.connection.ConnectionPolicy;
import dev.pgstack.db.connection.JdbcSockets;
import dev.pgstack.db.connection.PoolBounds;
import dev.pgstack.db.connection.ReactiveSockets;
import dev.pgstack.db.connection.TlsNegotiation;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * The read replicas of {@code DATABASE_REPLICA_URL}: one small Agroal pool each (and a reactive one for the hot
 * reads), built by the {@link ConnectionPolicy} with the primary's rules, and the choice of where a read goes. A read goes to a usable replica (answering, within
 * {@code DB_REPLICA_MAX_LAG}, and past the client's own last write), taking turns; with none, to the primary.
 * Quarkus has no replica routing (quarkusio/quarkus #22109), so these pools are built here. A replica URL without
 * credentials or TLS parameters takes the primary's.
 */
@ApplicationScoped
public class Replicas {

    private static final Logger LOG = Logger.getLogger(Replicas.class);
    public static final String PRIMARY = "primary";

    @Inject
    PgstackConfig config;

    @Inject
    RunMode runMode;

    @Inject
    PrimaryDatabase primary;

    @Inject
    ConnectionPolicy policy;

    @Inject
    MeterRegistry registry;

    /** Which replicas take reads: their states as the monitor and failed reads published them. */
    @Inject
    DatabaseAvailability availability;

    @Inject
    Vertx vertx;

    @Inject
    TlsNegotiation tls;

    private List<ReplicaPool> replicas = List.of();
    private final AtomicInteger turn = new AtomicInteger();
    private final Map<String, Counter> reads = new ConcurrentHashMap<>();

    @PostConstruct
    void create() {
        if (config.replica().urls().isEmpty() || runMode.isCommand()) {
            return;
        }
        List<DatabaseUrl> urls = config.replica().urls().get().urls();
        List<ReplicaPool> created = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String name = "replica-" + (i + 1);
            DatabaseUrl url = primary.url().map(urls.get(i)::withDefaultsFrom).orElse(urls.get(i));
            try {
                JdbcSockets jdbcSockets = new JdbcSockets(new PoolBounds());
                AgroalDataSource jdbc = policy.jdbcPool(url, config.replica().poolMaxSize());
                jdbc.setPoolInterceptors(List.of(jdbcSockets));
                ReactiveSockets reactiveSockets = new ReactiveSockets();
                ReplicaPool replica = new ReplicaPool(name, url, jdbc, jdbcSockets,
                        reactivePool(name, url, reactiveSockets), reactiveSockets);
                created.add(replica);
                Gauge.builder("pgstack.replica.lag.seconds", replica, r -> r.status().lagSeconds())
                        .description("How far the replica's replay is behind the primary (NaN: unknown)")
                        .tag("replica", name).register(registry);
                Gauge.builder("pgstack.replica.usable", replica, r -> availability.now().usable(r.name()) ? 1 : 0)
                        .description("1 when the replica gets reads").tag("replica", name).register(registry);
            } catch (SQLException e) {
                throw new IllegalStateException("DATABASE_REPLICA_URL: cannot create the pool of " + name, e);
            }
        }
        use(created);
        LOG.infof("Read replicas: %s; max lag %s", replicas.stream().map(r -> r.name() + " " + r.where())
                .collect(Collectors.joining(", ")), config.replica().maxLag());
    }

    /** The same server for the hot reads, with the same rules (one per host of the URL, taking turns). */
    private Pool reactivePool(String name, DatabaseUrl url, ReactiveSockets sockets) {
        List<PgConnectOptions> servers = new ArrayList<>();
        for (DatabaseUrl.Endpoint endpoint : url.endpoints()) {
            servers.add(policy.reactive(new PgConnectOptions().setHost(endpoint.host()).setPort(endpoint.port())
                    .setDatabase(url.database()).setUser(url.user()).setPassword(url.password()), url));
        }
        PoolOptions pool = policy.reactivePool(new PoolOptions(), name, config.replica().poolMaxSize());
        // in turn, as the client's own list would, each connection's TLS mode from the server's answer
        return Pool.newInstance(PgBuilder.pool().with(pool).connectingTo(tls.inTurn(servers)).using(vertx)
                .withConnectHandler(sockets::track).build());
    }

    /** A replica whose host stopped answering loses its connections (AvailabilityRules.onReplicaChange). */
    void onChange(@Observes AvailabilityChange change) {
        for (ReplicaPool replica : replicas) {
            switch (AvailabilityRules.onReplicaChange(change, replica.name())) {
                case SUSPEND -> LOG.infof("Replica %s pools suspended: %d connections dropped", replica.name(),
                        replica.suspend());
                case RESUME -> replica.resume();
                default -> {
                }
            }
        }
    }

    /** The replicas reads may go to (set once at startup). */
    void use(List<ReplicaPool> pools) {
        replicas = List.copyOf(pools);
    }

    public boolean configured() {
        return !replicas.isEmpty();
    }

    public List<ReplicaPool> all() {
        return replicas;
    }

    /** The replica's state in the availability model (UNKNOWN before its first check). */
    public Availability.ReplicaState state(ReplicaPool replica) {
        return availability.now().replica(replica.name());
    }

    /** Whether {@code replica} takes reads now. */
    public boolean isUsable(ReplicaPool replica) {
        return availability.now().usable(replica.name());
    }

    /** Whether some replica can take reads now (the primary being away does not stop them). */
    public boolean anyUsable() {
        return availability.now().anyReplicaUsable();
    }

    /**
     * Where a read goes: a usable replica that has replayed {@code readAfter} (the client's last write,
     * {@link WalPosition#NONE} without one), or null for the primary.
     */
    public ReplicaPool forRead(long readAfter) {
        int n = replicas.size();
        if (n == 0) {
            return null;
        }
        Availability now = availability.now();
        int start = turn.getAndIncrement();
        for (int i = 0; i < n; i++) {
            ReplicaPool replica = replicas.get(Math.floorMod(start + i, n));
            if (now.usable(replica.name()) && replica.hasReplayed(readAfter)) {
                countRead(replica.name());
                return replica;
            }
        }
        countRead(PRIMARY);
        return null;
    }

    public ReplicaPool named(String name) {
        for (ReplicaPool replica : replicas) {
            if (replica.name().equals(name)) {
                return replica;
            }
        }
        return null;
    }

    private void countRead(String target) {
        reads.computeIfAbsent(target, t -> Counter.builder("pgstack.reads")
                .description("Read-only requests' database sessions, by the server that served them")
                .tag("target", t).register(registry)).increment();
    }

    /** Reads routed so far, by target (primary, replica-1, ...). */
    public Map<String, Long> readsByTarget() {
        Map<String, Long> counts = new TreeMap<>();
        reads.forEach((target, counter) -> counts.put(target, (long) counter.count()));
        return counts;
    }

    @PreDestroy
    void close() {
        for (ReplicaPool replica : replicas) {
            replica.pool().close();
            replica.reactivePool().closeAndAwait();
        }
    }
}
