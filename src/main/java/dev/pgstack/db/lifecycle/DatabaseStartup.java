package dev.pgstack.db.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.hibernate.SessionFactory;
import org.jboss.logging.Logger;

import dev.pgstack.db.availability.Availability.Phase;
import dev.pgstack.db.availability.Availability.StartupWait;
import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.config.RunMode;
import dev.pgstack.db.sql.DatabaseFailure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;

/**
 * Start, the part Quarkus leaves to applications (quarkusio/quarkus #7275): check the settings and log them once,
 * wait for the database with bounded backoff (the HTTP server is already up: liveness UP, readiness DOWN), run
 * the Flyway migrations, validate the mapping, warm the pool. One policy for every attempt, the first included:
 * the database not reachable is worth another try until {@code pgstack.startup.max-wait}; anything else (a
 * failing migration, a mapping that disagrees with the schema) is one log line and exit 1.
 */
@ApplicationScoped
public class DatabaseStartup {

    private static final Logger LOG = Logger.getLogger(DatabaseStartup.class);

    private enum Attempt {
        READY, RETRY, FAILED
    }

    @Inject
    dev.pgstack.db.config.PrimaryDatabase primary;

    /** Where startup publishes its phase and why it waits. */
    @Inject
    DatabaseAvailability availability;

    @Inject
    SettingsReport settings;

    @Inject
    PgstackConfig config;

    @Inject
    RunMode runMode;

    @Inject
    Instance<AgroalDataSource> dataSource;

    /** Instances, not beans: both are inactive when the datasource is not configured, and then never touched. */
    @Inject
    Instance<Flyway> flyway;

    @Inject
    Instance<SessionFactory> sessionFactory;

    private volatile Thread waiter;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        Optional<String> error = runMode.configurationError();
        if (error.isPresent()) {
            // One line that says what to set, then exit 1: no stack trace from deep inside Agroal or Hibernate.
            exit("not configured", "pgstack cannot start: %s", error.get());
            return;
        }
        if (runMode.isCommand()) {
            return; // a command of the packaged application (migrate, info, ...) runs instead of the service
        }
        LOG.info(settings.line());
        runMode.warnings().forEach(warning -> LOG.warnf("Settings: %s", warning));
        ShutdownSignals.exitCleanly();
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

    /**
     * How every failure ends: one ERROR line that says why, readiness DOWN with the reason as its status, exit 1.
     * Asynchronous: Quarkus shuts down on its own thread, so the caller returns and stops its work.
     */
    private void exit(String status, String format, Object... args) {
        LOG.errorf(format, args);
        availability.stopping(status);
        Quarkus.asyncExit(1);
    }

    /** Called when the service stops while still waiting. */
    void stopWaiting() {
        Thread w = waiter;
        if (w != null) {
            w.interrupt();
        }
    }

    /** host:port of the primary (every host of a multi-host URL), for the log lines that say it is not there. */
    private String where() {
        return primary.url().map(u -> u.endpoints().stream().map(Object::toString)
                .collect(java.util.stream.Collectors.joining(","))).orElse("?");
    }

    /** Refusals of the credentials in a row, and how many end the wait. */
    static final int REFUSALS_BEFORE_EXIT = 3;
    private int refusals;

    private Attempt attempt(long started, int number) {
        try {
            Optional<Exception> failure = initialise(started);
            if (failure.isEmpty()) {
                return Attempt.READY;
            }
            if (failure.get() instanceof SchemaBehind behind) {
                LOG.warnf("Waiting for the schema (attempt %d): %s; readiness stays DOWN, retrying for up to %s",
                        number, behind.getMessage(),
                        config.startup().maxWait().isZero() ? "ever" : config.startup().maxWait());
                return Attempt.RETRY;
            }
            if (credentialsRefused(failure.get())) {
                return refused(failure.get(), number);
            }
            refusals = 0;
            availability.starting(StartupWait.DATABASE, "waiting for the database");
            LOG.warnf("Database %s not reachable yet (attempt %d): %s; readiness stays DOWN, retrying for up to %s",
                    where(), number, DatabaseFailure.describe(failure.get()),
                    config.startup().maxWait().isZero() ? "ever" : config.startup().maxWait());
            return Attempt.RETRY;
        } catch (RuntimeException e) {
            if (DatabaseFailure.isServerSide(e)) {
                LOG.warnf("Database went away during initialisation (attempt %d): %s", number,
                        DatabaseFailure.describe(e));
                return Attempt.RETRY;
            }
            exit("initialisation failed", "Database initialisation failed: %s; exiting (exit code 1)%s",
                    DatabaseFailure.describe(e), dev.pgstack.db.migrate.MigrationCommands.adoptionHint(e));
            LOG.debug("Initialisation failure", e);
            return Attempt.FAILED;
        }
    }

    /**
     * A password does not fix itself: the server refusing the credentials is retried a few times (a role being
     * created by a parallel job, a secret being rotated) and then the service stops with the right words, instead
     * of looking like a network problem for the whole startup wait.
     */
    private Attempt refused(Exception failure, int number) {
        refusals++;
        availability.starting(StartupWait.CREDENTIALS_REFUSED, "credentials refused");
        if (refusals < REFUSALS_BEFORE_EXIT) {
            LOG.warnf("Database refused the credentials (attempt %d): %s; trying %d more time(s)", number,
                    DatabaseFailure.describe(failure), REFUSALS_BEFORE_EXIT - refusals);
            return Attempt.RETRY;
        }
        exit("credentials refused", "Database refused the credentials %d times: %s; exiting (exit code 1). Check the "
                + "user and password of DATABASE_URL (or POSTGRES_USER/POSTGRES_PASSWORD)", refusals,
                DatabaseFailure.describe(failure));
        return Attempt.FAILED;
    }

    /** 28000 (no pg_hba.conf entry, role not allowed) and 28P01 (wrong password). */
    private static boolean credentialsRefused(Exception failure) {
        return DatabaseFailure.of(failure).map(f -> f.sqlState() != null && f.sqlState().startsWith("28"))
                .orElse(false);
    }

    /** Connect, migrate, validate, warm. Empty when ready; the reason when the database is not there. */
    private Optional<Exception> initialise(long started) {
        try (Connection connection = dataSource.get().getConnection()) {
            if (!connection.isValid(5)) {
                return Optional.of(new SQLException("connection not valid", "08000"));
            }
            if (config.db().pgbouncer()) {
                warnWithoutTimeouts(connection);
            }
        } catch (SQLException e) {
            return Optional.of(e);
        }
        // The pool fills while Flyway and Hibernate check the schema (PoolWarmUp); its connections go back to the
        // pool however this attempt ends.
        try (PoolWarmUp warmUp = PoolWarmUp.start(dataSource.get())) {
            String version;
            if (config.migrateAtStart()) {
                availability.starting(StartupWait.MIGRATING, "migrating");
                MigrateResult result = flyway.get().migrate();
                version = result.migrationsExecuted > 0 ? result.targetSchemaVersion : result.initialSchemaVersion;
                if (version == null) {
                    version = versionOf(flyway.get().info());
                }
                LOG.infof("Migrations: %d applied, schema at version %s", result.migrationsExecuted, version);
            } else {
                var info = flyway.get().info();
                version = versionOf(info);
                if (info.pending().length > 0) {
                    String needed = info.pending()[info.pending().length - 1].getVersion().getVersion();
                    availability.starting(StartupWait.SCHEMA_BEHIND, "waiting for migrations: schema at version " + (version == null ? "none" : version)
                            + ", this build needs " + needed);
                    return Optional.of(new SchemaBehind("schema at version " + (version == null ? "none" : version)
                            + ", this build needs " + needed + " (run the migrate command)"));
                }
                boolean newer = java.util.Arrays.stream(info.applied())
                        .anyMatch(m -> m.getState() == org.flywaydb.core.api.MigrationState.FUTURE_SUCCESS);
                if (newer) {
                    LOG.warnf("Schema at version %s is newer than this build: serving it (expand/contract)", version);
                } else {
                    LOG.infof("Schema at version %s, as this build needs (migrations not run at start)", version);
                }
            }
            // Hibernate only validates: a mapping that disagrees with the migrations is a bug, found at startup.
            sessionFactory.get().getSchemaManager().validateMappedObjects();
            int warmed = warmUp.finish();
            availability.ready(version);
            LOG.infof("Database ready in %d ms (pool warmed with %d connections)",
                    (System.nanoTime() - started) / 1_000_000, warmed);
            return Optional.empty();
        }
    }

    /** Behind PgBouncer the timeouts cannot travel with the connection; without them on the role, say so once. */
    private void warnWithoutTimeouts(Connection connection) throws SQLException {
        try (var st = connection.createStatement();
                var rs = st.executeQuery("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")) {
            rs.next();
            if ("0".equals(rs.getString(1)) || "0".equals(rs.getString(2))) {
                LOG.warnf("Behind PgBouncer (pgbouncer=true) statement_timeout is %s and lock_timeout %s: set them "
                        + "on the role (ALTER ROLE ... SET statement_timeout = '%dms', lock_timeout = '%dms')",
                        rs.getString(1), rs.getString(2), config.db().statementTimeoutMs(),
                        config.db().lockTimeoutMs());
            }
        }
    }

    private static String versionOf(org.flywaydb.core.api.MigrationInfoService info) {
        var current = info.current();
        return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    }

    /** The database answers, but its schema is older than this build and the service does not migrate. */
    static final class SchemaBehind extends Exception {
        SchemaBehind(String message) {
            super(message, null, false, false);
        }
    }

    private void waitForDatabase(long started) {
        Duration maxWait = config.startup().maxWait();
        long deadline = maxWait.isZero() ? Long.MAX_VALUE : started + maxWait.toNanos();
        long backoff = config.startup().initialBackoff().toMillis();
        int attempt = 1;
        while (availability.now().phase() == Phase.STARTING) {
            if (System.nanoTime() >= deadline) {
                exit("database not reachable", "Database still not reachable after %s; giving up (exit code 1)",
                        maxWait);
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
}
