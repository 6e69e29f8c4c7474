package dev.pgstack.db.lifecycle;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.pgstack.db.availability.Availability.Phase;
import dev.pgstack.db.availability.Availability.StartupWait;
import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.config.PrimaryDatabase;
import dev.pgstack.db.lifecycle.SchemaStep.SchemaBehind;
import dev.pgstack.db.migrate.MigrationCommands;
import dev.pgstack.db.sql.DatabaseFailure;

/**
 * The wait for the database: attempts with a bounded, doubling back-off until one succeeds or
 * {@code pgstack.startup.max-wait} is over, and what each failed attempt means (worth another try, or the end).
 */
@ApplicationScoped
class DatabaseWait {

    enum Attempt {
        READY, RETRY, FAILED
    }

    @Inject
    PrimaryDatabase primary;

    /** Where startup publishes its phase and why it waits. */
    @Inject
    DatabaseAvailability availability;

    @Inject
    PgstackConfig config;

    @Inject
    StartupAttempt startup;

    @Inject
    CredentialsRefusals refusals;

    @Inject
    StartupExit exit;

    Attempt attempt(long started, int number) {
        try {
            Optional<Exception> failure = startup.initialise(started);
            if (failure.isEmpty()) {
                return Attempt.READY;
            }
            if (failure.get() instanceof SchemaBehind behind) {
                StartupExit.LOG.warnf("Waiting for the schema (attempt %d): %s; readiness stays DOWN, retrying for up "
                        + "to %s", number, behind.getMessage(), forUpTo());
                return Attempt.RETRY;
            }
            if (CredentialsRefusals.credentialsRefused(failure.get())) {
                return refusals.retry(failure.get(), number) ? Attempt.RETRY : Attempt.FAILED;
            }
            refusals.reset();
            availability.starting(StartupWait.DATABASE, "waiting for the database");
            StartupExit.LOG.warnf("Database %s not reachable yet (attempt %d): %s; readiness stays DOWN, retrying for "
                    + "up to %s", where(), number, DatabaseFailure.describe(failure.get()), forUpTo());
            return Attempt.RETRY;
        } catch (RuntimeException e) {
            return failed(e, number);
        }
    }

    /** Runs attempts 2, 3, ... until one is not worth another try, the service stops, or the time is over. */
    void untilReady(long started) {
        Duration maxWait = config.startup().maxWait();
        long deadline = maxWait.isZero() ? Long.MAX_VALUE : started + maxWait.toNanos();
        long backoff = config.startup().initialBackoff().toMillis();
        int attempt = 1;
        while (availability.now().phase() == Phase.STARTING) {
            if (System.nanoTime() >= deadline) {
                exit.exit("database not reachable", "Database still not reachable after %s; giving up (exit code 1)",
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

    /**
     * The database failed the attempt on its side (gone, refusing, no connection free in time: worth another try),
     * or anything else (the end).
     */
    private Attempt failed(RuntimeException e, int number) {
        if (DatabaseFailure.isServerSide(e)) {
            StartupExit.LOG.warnf("Database initialisation failed on the database's side (attempt %d): %s; "
                    + "retrying", number, DatabaseFailure.describe(e));
            return Attempt.RETRY;
        }
        exit.exit("initialisation failed", "Database initialisation failed: %s; exiting (exit code 1)%s",
                DatabaseFailure.describe(e), MigrationCommands.adoptionHint(e));
        StartupExit.LOG.debug("Initialisation failure", e);
        return Attempt.FAILED;
    }

    /** How long the wait lasts, in the log lines. */
    private Object forUpTo() {
        return config.startup().maxWait().isZero() ? "ever" : config.startup().maxWait();
    }

    /** host:port of the primary (every host of a multi-host URL), for the log lines that say it is not there. */
    private String where() {
        return primary.url().map(u -> u.endpoints().stream().map(Object::toString)
                .collect(Collectors.joining(","))).orElse("?");
    }
}
