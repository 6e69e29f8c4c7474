package dev.pgstack.db.connection;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.postgresql.Driver;
import org.postgresql.PGProperty;

import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.JdbcTelemetrySettings;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.config.SessionSettings;
import dev.pgstack.db.config.TlsSettings;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.quarkus.agroal.runtime.OpenTelemetryAgroalDataSource;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.PoolOptions;

/**
 * The one connection policy: what every connection and pool of pgstack gets, from the configuration
 * (docs/configuration.md). Timeouts, keepalive, validation, lifetime, TLS, application name, server settings and the
 * PgBouncer mode are decided here for the primary's reactive pool ({@code db.replica.PrimaryPoolCreator}), each
 * replica's JDBC and reactive pools ({@code db.replica.Replicas}) and the replication monitor. The primary's JDBC
 * pool, which Quarkus builds, gets the same {@link SessionSettings} and pool rules through configuration keys that
 * resolve to the same values (DatabaseEnvironment, application.properties); the migration commands use that pool.
 */
@ApplicationScoped
public class ConnectionPolicy {

    private final PgstackConfig config;
    private final boolean traceJdbc;

    @Inject
    public ConnectionPolicy(PgstackConfig config, JdbcTelemetrySettings telemetry) {
        this.config = config;
        this.traceJdbc = telemetry.enabled().orElse(false);
    }

    public SessionSettings session() {
        return SessionSettings.of(config.db());
    }

    public PgstackConfig.Pool pool() {
        return config.pool();
    }

    /** pgjdbc properties of a connection to {@code url}: session settings, TLS as libpq, the credentials. */
    public Properties jdbcProperties(DatabaseUrl url) {
        Properties properties = new Properties();
        properties.putAll(session().jdbc(url.pgbouncer()));
        if (url.user() != null) {
            properties.setProperty("user", url.user());
        }
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        return properties;
    }

    /**
     * A connection of a background task's own (the replication monitor's, the fleet's census), outside every pool:
     * named {@code <application name><suffix>} so that a DBA tells it from the service's pooled sessions, and quick
     * to give up (connect 2 s, socket 5 s, hosts rechecked every second), since a check must not wait behind a
     * dead host.
     */
    public Connection taskConnection(DatabaseUrl url, String suffix) throws SQLException {
        Properties properties = jdbcProperties(url);
        PGProperty.APPLICATION_NAME.set(properties, session().applicationName() + suffix);
        PGProperty.CONNECT_TIMEOUT.set(properties, 2);
        PGProperty.SOCKET_TIMEOUT.set(properties, 5);
        PGProperty.HOST_RECHECK_SECONDS.set(properties, 1);
        Connection connection = new Driver().connect(url.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL", "08001");
        }
        return connection;
    }

    /**
     * A JDBC pool of at most {@code maxSize} connections to {@code url}, with the primary pool's rules: the same
     * acquisition timeout, lifetime, idle timeout and validation after idle, and connection errors discarding the
     * connection at once.
     */
    public AgroalDataSource jdbcPool(DatabaseUrl url, int maxSize) throws SQLException {
        PgstackConfig.Pool rules = config.pool();
        AgroalDataSourceConfigurationSupplier supplier = new AgroalDataSourceConfigurationSupplier()
                .metricsEnabled(true)
                .connectionPoolConfiguration(pool -> pool
                        .initialSize(0).minSize(0).maxSize(maxSize)
                        .acquisitionTimeout(rules.acquisitionTimeout())
                        .maxLifetime(rules.maxLifetime())
                        .reapTimeout(rules.idleTimeout())
                        .idleValidationTimeout(rules.validateAfterIdle())
                        .validationTimeout(Duration.ofSeconds(30))
                        .connectionValidator(ConnectionValidator.defaultValidator())
                        .exceptionSorter(new PostgreSQLExceptionSorter())
                        .connectionFactoryConfiguration(factory -> {
                            factory.connectionProviderClass(Driver.class).jdbcUrl(url.jdbcUrl())
                                    .autoCommit(true);
                            session().jdbc(url.pgbouncer()).forEach(factory::jdbcProperty);
                            if (url.user() != null) {
                                factory.principal(new NamePrincipal(url.user()));
                            }
                            if (url.password() != null) {
                                factory.credential(new SimplePassword(url.password()));
                            }
                            return factory;
                        }));
        AgroalDataSource pool = AgroalDataSource.from(supplier);
        // traced like the primary's pool, by the wrapper Quarkus puts around it (docs/operations.md "Tracing")
        return traceJdbc ? new OpenTelemetryAgroalDataSource(pool) : pool;
    }

    /**
     * Applies the policy to the reactive client's options for {@code url} (host, port, database and credentials
     * stay as given): connect timeout, keepalive, TLS, startup parameters, and PgBouncer's transaction-pooling
     * mode (nothing prepared or pipelined on a server connection, each execution carrying its own parse).
     */
    public PgConnectOptions reactive(PgConnectOptions options, DatabaseUrl url) {
        options.setConnectTimeout((int) TimeUnit.SECONDS.toMillis(config.db().connectTimeoutSeconds()))
                .setTcpKeepAlive(true);
        session().reactive(url.pgbouncer()).forEach(options::addProperty);
        if (url.pgbouncer()) {
            options.setPipeliningLimit(1).setCachePreparedStatements(false).setUseLayer7Proxy(true);
        } else {
            options.setCachePreparedStatements(true);
        }
        tls(options, url.tls());
        return options;
    }

    /** A reactive pool's rules, the same as a JDBC pool's: acquisition timeout, idle timeout, lifetime. */
    public PoolOptions reactivePool(PoolOptions pool, String name, int maxSize) {
        PgstackConfig.Pool rules = config.pool();
        // named for its Vert.x metrics (sql_pool_*{pool_name}), which /q/db/pool reads; not shared by name
        return pool.setName(name).setMaxSize(maxSize)
                .setConnectionTimeout((int) rules.acquisitionTimeout().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout((int) rules.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxLifetime((int) rules.maxLifetime().toMillis()).setMaxLifetimeUnit(TimeUnit.MILLISECONDS);
    }

    /**
     * The primary's reactive pool: as {@link #reactivePool}, but when instances share the server
     * ({@code pgstack.pool.fleet-share}) an idle connection closes after at most {@link #FLEET_IDLE}. The Vert.x
     * pool's size is fixed, and {@link ReactiveCeiling} keeps its statements to the instance's share: the
     * connections above the share go idle (the pool hands out its first free one) and are given back to the
     * server soon enough for the instances that joined.
     */
    public PoolOptions primaryReactivePool(PoolOptions pool, String name, int maxSize) {
        reactivePool(pool, name, maxSize);
        Duration idle = config.pool().idleTimeout();
        if (config.pool().fleetShare() && (idle.isZero() || idle.compareTo(FLEET_IDLE) > 0)) {
            pool.setIdleTimeout((int) FLEET_IDLE.toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        }
        return pool;
    }

    /** How long a connection of the primary's reactive pool stays idle when a fleet shares the server. */
    static final Duration FLEET_IDLE = Duration.ofSeconds(10);

    /** libpq's modes on the reactive client, with the same certificates pgjdbc gets ({@link TlsMaterial}). */
    static void tls(PgConnectOptions options, TlsSettings tls) {
        options.setSslMode(SslMode.valueOf(tls.mode().name()));
        if (tls.mode() == TlsSettings.Mode.DISABLE) {
            return;
        }
        try {
            if (tls.verifiesChain()) {
                options.setTrustAll(false).setTrustOptions(TrustOptions.wrap(TlsMaterial.trustManager(tls)));
            } else {
                options.setTrustAll(true);
            }
            // verify-full: the name the client connected to must be in the certificate; otherwise no name check
            options.setHostnameVerificationAlgorithm(tls.verifiesHost() ? "HTTPS" : "");
            if (tls.cert().isPresent()) {
                options.setKeyCertOptions(KeyCertOptions.wrap(
                        TlsMaterial.keyManager(tls.cert().get(), tls.key().orElseThrow())));
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("TLS settings of the database URL: " + e.getMessage(), e);
        }
    }
}
