package dev.pgstack.db.replica;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.pgstack.db.config.DatabaseEnvironment;
import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.PgstackConfig;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
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
 * reads), and the choice of where a read goes. A read goes to a usable replica (answering, within
 * {@code DB_REPLICA_MAX_LAG}, and past the client's own last write), taking turns; with none, to the primary. Quarkus has no replica routing (quarkusio/quarkus #22109),
 * so these pools are built here, with the primary pool's settings.
 */
@ApplicationScoped
public class Replicas {

    private static final Logger LOG = Logger.getLogger(Replicas.class);
    public static final String PRIMARY = "primary";

    @Inject
    PgstackConfig config;

    @Inject
    Config settings;

    @Inject
    MeterRegistry registry;

    @Inject
    Vertx vertx;

    private List<ReplicaPool> replicas = List.of();
    private final AtomicInteger turn = new AtomicInteger();
    private final Map<String, Counter> reads = new ConcurrentHashMap<>();

    @PostConstruct
    void create() {
        if (config.replica().urls().isEmpty() || config.command().isPresent()) {
            return;
        }
        List<DatabaseUrl> urls = DatabaseUrl.parseList("DATABASE_REPLICA_URL", config.replica().urls().get());
        List<ReplicaPool> created = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String name = "replica-" + (i + 1);
            DatabaseUrl url = urls.get(i);
            if (url.user() == null) {
                url = url.withCredentials(settings.getOptionalValue("quarkus.datasource.username", String.class)
                        .orElse(null), settings.getOptionalValue("quarkus.datasource.password", String.class)
                        .orElse(null));
            }
            try {
                ReplicaPool replica = new ReplicaPool(name, url, pool(url), reactivePool(url));
                created.add(replica);
                Gauge.builder("pgstack.replica.lag.seconds", replica, r -> r.status().lagSeconds())
                        .description("How far the replica's replay is behind the primary (NaN: unknown)")
                        .tag("replica", name).register(registry);
                Gauge.builder("pgstack.replica.usable", replica, r -> r.usable() ? 1 : 0)
                        .description("1 when the replica gets reads").tag("replica", name).register(registry);
            } catch (SQLException e) {
                throw new IllegalStateException("DATABASE_REPLICA_URL: cannot create the pool of " + name, e);
            }
        }
        use(created);
        LOG.infof("Read replicas: %s; max lag %s", replicas.stream().map(r -> r.name() + " " + r.where())
                .collect(java.util.stream.Collectors.joining(", ")), config.replica().maxLag());
    }

    private String applicationName() {
        return settings.getOptionalValue("quarkus.datasource.jdbc.additional-jdbc-properties.ApplicationName",
                String.class).orElse("pgstack");
    }

    private Duration acquisitionTimeout() {
        return settings.getOptionalValue("quarkus.datasource.jdbc.acquisition-timeout", Duration.class)
                .orElse(Duration.ofSeconds(5));
    }

    private AgroalDataSource pool(DatabaseUrl url) throws SQLException {
        String appName = applicationName();
        Duration acquisition = acquisitionTimeout();
        AgroalDataSourceConfigurationSupplier supplier = new AgroalDataSourceConfigurationSupplier()
                .metricsEnabled(true)
                .connectionPoolConfiguration(pool -> pool
                        .initialSize(0).minSize(0).maxSize(config.replica().poolMaxSize())
                        .acquisitionTimeout(acquisition)
                        .maxLifetime(Duration.ofHours(1))
                        .reapTimeout(Duration.ofSeconds(60))
                        // as on the primary: connections idle longer than 500 ms are checked before use
                        .idleValidationTimeout(Duration.ofMillis(500))
                        .validationTimeout(Duration.ofSeconds(30))
                        .connectionValidator(ConnectionValidator.defaultValidator())
                        .exceptionSorter(new PostgreSQLExceptionSorter())
                        .connectionFactoryConfiguration(factory -> {
                            factory.connectionProviderClass(org.postgresql.Driver.class)
                                    .jdbcUrl(url.jdbcUrl())
                                    .autoCommit(true)
                                    .jdbcProperty("ApplicationName", appName)
                                    .jdbcProperty("connectTimeout", "5")
                                    .jdbcProperty("tcpKeepAlive", "true")
                                    .jdbcProperty("socketTimeout", Integer.toString(
                                            config.db().socketTimeoutSeconds()));
                            if (!url.pgbouncer()) {
                                factory.jdbcProperty("options", "-c statement_timeout="
                                        + config.db().statementTimeoutMs() + " -c lock_timeout="
                                        + config.db().lockTimeoutMs());
                            }
                            if (url.user() != null) {
                                factory.principal(new NamePrincipal(url.user()));
                            }
                            if (url.password() != null) {
                                factory.credential(new SimplePassword(url.password()));
                            }
                            return factory;
                        }));
        return AgroalDataSource.from(supplier);
    }

    /** The reactive pool of the same replica, with the same settings (one per host of the URL, taking turns). */
    private Pool reactivePool(DatabaseUrl url) {
        List<io.vertx.sqlclient.SqlConnectOptions> servers = new ArrayList<>();
        for (String uri : url.reactiveUrl().split(",")) {
            PgConnectOptions server = PgConnectOptions.fromUri(uri)
                    .setUser(url.user()).setPassword(url.password())
                    .setConnectTimeout(5000).setTcpKeepAlive(true)
                    .addProperty("application_name", applicationName());
            if (url.pgbouncer()) {
                // transaction pooling: nothing prepared or pipelined on a server connection, no extra parameters,
                // and the DateStyle the server reports, so that PgBouncer sends no SET before each statement
                server.setPipeliningLimit(1).setCachePreparedStatements(false).setUseLayer7Proxy(true)
                        .addProperty("DateStyle", DatabaseEnvironment.SERVER_DATESTYLE);
            } else {
                server.setCachePreparedStatements(true)
                        .addProperty("statement_timeout", Long.toString(config.db().statementTimeoutMs()))
                        .addProperty("lock_timeout", Long.toString(config.db().lockTimeoutMs()))
                        .addProperty("plan_cache_mode", DatabaseEnvironment.PLAN_ONCE)
                        .addProperty("jit", DatabaseEnvironment.NO_JIT);
            }
            servers.add(server);
        }
        PoolOptions pool = new PoolOptions().setMaxSize(config.replica().poolMaxSize())
                .setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxLifetime(1).setMaxLifetimeUnit(TimeUnit.HOURS)
                .setConnectionTimeout((int) acquisitionTimeout().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        return Pool.newInstance(PgBuilder.pool().with(pool).connectingTo(servers).using(vertx).build());
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

    /**
     * Where a read goes: a usable replica that has replayed {@code readAfter} (the client's last write,
     * {@link WalPosition#NONE} without one), or null for the primary.
     */
    public ReplicaPool forRead(long readAfter) {
        int n = replicas.size();
        if (n == 0) {
            return null;
        }
        int start = turn.getAndIncrement();
        for (int i = 0; i < n; i++) {
            ReplicaPool replica = replicas.get(Math.floorMod(start + i, n));
            if (replica.usable() && replica.hasReplayed(readAfter)) {
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
        Map<String, Long> counts = new java.util.TreeMap<>();
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
