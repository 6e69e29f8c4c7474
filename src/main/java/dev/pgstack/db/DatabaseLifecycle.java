package dev.pgstack.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.hibernate.SessionFactory;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Startup and shutdown of the datasource layer, the part Quarkus leaves to applications (quarkusio/quarkus #7275):
 * <ul>
 * <li>start: check the settings, log them once, wait for the database with bounded backoff (the HTTP server is
 * already up: liveness UP, readiness DOWN), run the Flyway migrations, validate the mapping, warm the pool;</li>
 * <li>stop: readiness DOWN during the shutdown delay, in-flight requests drain, then both pools close.</li>
 * </ul>
 */
@ApplicationScoped
public class DatabaseLifecycle {

    public enum Phase {
        /** Waiting for the database or migrating. */
        STARTING,
        READY,
        STOPPING
    }

    private static final Logger LOG = Logger.getLogger(DatabaseLifecycle.class);
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/?]*)/([^?]*)");

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);
    private volatile String status = "waiting for the database";
    private volatile String schemaVersion;
    private volatile Thread waiter;

    @Inject
    Instance<AgroalDataSource> dataSource;

    @Inject
    Instance<Pool> reactivePool;

    /** Instances, not beans: both are inactive when the datasource is not configured, and then never touched. */
    @Inject
    Instance<Flyway> flyway;

    @Inject
    Instance<SessionFactory> sessionFactory;

    @Inject
    PgstackConfig config;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        Optional<String> error = config.datasource().configError();
        if (error.isPresent()) {
            // One line that says what to set, then exit 1: no stack trace from deep inside Agroal or Hibernate.
            LOG.errorf("pgstack cannot start: %s", error.get());
            phase.set(Phase.STOPPING);
            status = "not configured";
            Quarkus.asyncExit(1);
            return;
        }
        LOG.info(effectiveSettings());
        exitCleanlyOnSignals();
        long started = System.nanoTime();
        if (attempt(started, 1) != Attempt.RETRY) {
            return;
        }
        // The database is not there yet: keep serving health (readiness DOWN) and wait for it in the background.
        Thread thread = new Thread(() -> waitForDatabase(started), "pgstack-db-startup");
        thread.setDaemon(true);
        waiter = thread;
        thread.start();
    }

    private enum Attempt {
        READY, RETRY, FAILED
    }

    /**
     * One attempt, the same policy for the first and every later one: the database not reachable (or going away
     * while migrating) is worth another try; anything else (a failing migration, a mapping that disagrees with
     * the schema) is one line and exit 1.
     */
    private Attempt attempt(long started, int number) {
        try {
            Optional<Exception> failure = tryInitialise(started);
            if (failure.isEmpty()) {
                return Attempt.READY;
            }
            LOG.warnf("Database not reachable yet (attempt %d): %s; readiness stays DOWN, retrying for up to %s",
                    number, describe(failure.get()),
                    config.startup().maxWait().isZero() ? "ever" : config.startup().maxWait());
            return Attempt.RETRY;
        } catch (RuntimeException e) {
            if (isConnectivity(e)) {
                LOG.warnf("Database went away during initialisation (attempt %d): %s", number, describe(e));
                return Attempt.RETRY;
            }
            LOG.errorf("Database initialisation failed: %s; exiting (exit code 1)", describe(e));
            LOG.debug("Initialisation failure", e);
            phase.set(Phase.STOPPING);
            status = "initialisation failed";
            Quarkus.asyncExit(1);
            return Attempt.FAILED;
        }
    }

    private String effectiveSettings() {
        var cfg = ConfigProvider.getConfig();
        String url = cfg.getOptionalValue("quarkus.datasource.jdbc.url", String.class).orElse("");
        String hostPort = "?";
        String database = "?";
        Matcher m = JDBC_URL.matcher(url);
        if (m.find()) {
            hostPort = m.group(1);
            database = m.group(2);
        }
        String origin = origin(String.valueOf(cfg.getConfigValue("quarkus.datasource.jdbc.url").getSourceName()));
        return String.format(
                "Database: %s/%s as user %s (from %s); pool min %s, max %s, acquisition timeout %s, max lifetime %s, "
                        + "validate on borrow %s, after idle %s; application_name %s; profile %s",
                hostPort, database, cfg.getOptionalValue("quarkus.datasource.username", String.class).orElse("(none)"),
                origin, value("quarkus.datasource.jdbc.min-size"), value("quarkus.datasource.jdbc.max-size"),
                value("quarkus.datasource.jdbc.acquisition-timeout"), value("quarkus.datasource.jdbc.max-lifetime"),
                value("quarkus.datasource.jdbc.validate-on-borrow"),
                value("quarkus.datasource.jdbc.foreground-validation-interval"),
                value("quarkus.datasource.jdbc.additional-jdbc-properties.ApplicationName"),
                String.join(",", cfg.unwrap(SmallRyeConfig.class).getProfiles()));
    }

    /** Where the URL in force came from, in the words a user would set it with. */
    private String origin(String source) {
        if (source.startsWith("pgstack-database-environment")) {
            return config.datasource().origin().orElse("the environment");
        }
        if (source.contains("DefaultValues")) {
            return "the embedded PostgreSQL"; // how the embedded database (dev mode, tests) registers its URL
        }
        if (source.contains("EnvConfigSource")) {
            return "QUARKUS_DATASOURCE_JDBC_URL";
        }
        if (source.contains("SysPropConfigSource")) {
            return "-Dquarkus.datasource.jdbc.url";
        }
        return source;
    }

    private static String value(String key) {
        return ConfigProvider.getConfig().getOptionalValue(key, String.class).orElse("-");
    }

    /**
     * An orchestrator's SIGTERM (and a terminal's Ctrl-C) is a normal stop of the packaged application: run the
     * graceful shutdown (readiness DOWN, delay, drain, close) and exit 0, not the JVM's 143/130, which supervisors
     * read as a crash. Dev mode keeps the JVM's own handling, which also ends the dev-mode process.
     */
    private static void exitCleanlyOnSignals() {
        if (io.quarkus.runtime.LaunchMode.current() != io.quarkus.runtime.LaunchMode.NORMAL) {
            return;
        }
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    LOG.infof("SIG%s received: shutting down gracefully", name);
                    Quarkus.asyncExit(0);
                });
            } catch (RuntimeException | LinkageError e) {
                LOG.debugf("SIG%s handler not installed (%s): the JVM default applies", name, e.toString());
            }
        }
    }

    /** One attempt: connect, migrate, validate, warm. Empty when ready; the reason when the database is not there. */
    private Optional<Exception> tryInitialise(long started) {
        try (Connection connection = dataSource.get().getConnection()) {
            if (!connection.isValid(5)) {
                return Optional.of(new SQLException("connection not valid", "08000"));
            }
        } catch (SQLException e) {
            return Optional.of(e);
        }
        status = "migrating";
        MigrateResult result = flyway.get().migrate();
        var current = flyway.get().info().current();
        schemaVersion = current == null ? null : current.getVersion().getVersion();
        LOG.infof("Migrations: %d applied, schema at version %s", result.migrationsExecuted, schemaVersion);
        // Hibernate only validates: a mapping that disagrees with the migrations is a bug, found at startup.
        sessionFactory.get().getSchemaManager().validateMappedObjects();
        warmPool();
        phase.compareAndSet(Phase.STARTING, Phase.READY);
        status = "ready";
        LOG.infof("Database ready in %d ms", (System.nanoTime() - started) / 1_000_000);
        return Optional.empty();
    }

    private void warmPool() {
        int min = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.jdbc.min-size", Integer.class)
                .orElse(0);
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < min; i++) {
                held.add(dataSource.get().getConnection());
            }
        } catch (SQLException e) {
            LOG.warnf("Pool warm-up stopped after %d connections: %s", held.size(), describe(e));
        } finally {
            for (Connection c : held) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // returning to the pool does not fail in practice
                }
            }
        }
        LOG.debugf("Pool warmed with %d connections", held.size());
    }

    private void waitForDatabase(long started) {
        Duration maxWait = config.startup().maxWait();
        long deadline = maxWait.isZero() ? Long.MAX_VALUE : started + maxWait.toNanos();
        long backoff = config.startup().initialBackoff().toMillis();
        int attempt = 1;
        while (phase.get() == Phase.STARTING) {
            if (System.nanoTime() >= deadline) {
                LOG.errorf("Database still not reachable after %s; giving up (exit code 1)", maxWait);
                Quarkus.asyncExit(1);
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            attempt++;
            if (attempt(started, attempt) != Attempt.RETRY) {
                return;
            }
            backoff = Math.min(backoff * 2, config.startup().maxBackoff().toMillis());
        }
    }

    private static boolean isConnectivity(Throwable e) {
        return DatabaseFailure.of(e).map(f -> f.kind().status == 503).orElse(false);
    }

    /** A one-line reason without SQL or credentials: the exception type and, for SQL errors, its SQLSTATE. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String message = sql.getMessage() == null ? "" : sql.getMessage().lines().findFirst().orElse("");
                return "SQLSTATE " + sql.getSQLState() + ": " + message;
            }
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines()
                .findFirst().orElse(""));
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        if (config.datasource().configError().isPresent()) {
            return;
        }
        phase.set(Phase.STOPPING);
        status = "shutting down";
        LOG.infof("Shutdown 1/3: readiness DOWN; waiting %s for the orchestrator to stop routing traffic",
                value("quarkus.shutdown.delay"));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (config.datasource().configError().isPresent()) {
            return; // no pools were ever active
        }
        phase.set(Phase.STOPPING);
        status = "shutting down";
        Thread w = waiter;
        if (w != null) {
            w.interrupt();
        }
        LOG.info("Shutdown 2/3: in-flight requests finished; closing the connection pools");
        try {
            reactivePool.get().close().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("Reactive pool did not close cleanly: %s", describe(e));
        }
        try {
            dataSource.get().close();
        } catch (RuntimeException e) {
            LOG.warnf("JDBC pool did not close cleanly: %s", describe(e));
        }
        LOG.info("Shutdown 3/3: connection pools closed");
    }

    public Phase phase() {
        return phase.get();
    }

    public boolean isReady() {
        return phase.get() == Phase.READY;
    }

    public String status() {
        return status;
    }

    public String schemaVersion() {
        return schemaVersion;
    }
}
