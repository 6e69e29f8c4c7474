package dev.pgstack.db.lifecycle;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.pgstack.db.config.RunMode;
import dev.pgstack.db.lifecycle.DatabaseWait.Attempt;
import dev.pgstack.db.tasks.BackgroundTasks;
import dev.pgstack.db.tasks.Task;
import io.quarkus.runtime.StartupEvent;

/**
 * Start, the part Quarkus leaves to applications (quarkusio/quarkus #7275): check the settings and log them once,
 * wait for the database with bounded backoff (the HTTP server is already up: liveness UP, readiness DOWN), run
 * the Flyway migrations, validate the mapping, warm the pool. One policy for every attempt, the first included:
 * the database not reachable is worth another try until {@code pgstack.startup.max-wait}; anything else (a
 * failing migration, a mapping that disagrees with the schema) is one log line and exit 1.
 *
 * <p>The steps, each a class of its own: {@link StartupChecks}, {@link DatabaseWait} (with
 * {@link CredentialsRefusals}), {@link StartupAttempt} ({@link PgBouncerTimeouts}, {@link SchemaStep},
 * {@link PoolWarmUp}); every failure ends through {@link StartupExit}.
 */
@ApplicationScoped
public class DatabaseStartup {

    @Inject
    StartupChecks checks;

    @Inject
    SettingsReport settings;

    @Inject
    RunMode runMode;

    @Inject
    DatabaseWait wait;

    @Inject
    BackgroundTasks tasks;

    private volatile Task waiter;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        if (!checks.configured()) {
            return;
        }
        if (runMode.isCommand()) {
            return; // a command of the packaged application (migrate, info, ...) runs instead of the service
        }
        StartupExit.LOG.info(settings.line());
        runMode.warnings().forEach(warning -> StartupExit.LOG.warnf("Settings: %s", warning));
        ShutdownSignals.exitCleanly();
        long started = System.nanoTime();
        if (wait.attempt(started, 1) != Attempt.RETRY) {
            return;
        }
        // The database is not there yet: keep serving health (readiness DOWN) and wait for it in the background.
        waiter = tasks.once("db-startup", () -> wait.untilReady(started));
    }

    /** Called when the service stops while still waiting. */
    void stopWaiting() {
        Task w = waiter;
        if (w != null) {
            w.stop();
        }
    }
}
