package dev.pgstack.db.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.lifecycle.SchemaStep.SchemaBehind;
import dev.pgstack.db.tasks.BackgroundTasks;
import io.agroal.api.AgroalDataSource;

/** One attempt to get the database ready: connect, bring up or check the schema, warm the pool, report ready. */
@ApplicationScoped
class StartupAttempt {

    /** Where startup publishes its phase and why it waits. */
    @Inject
    DatabaseAvailability availability;

    @Inject
    PgstackConfig config;

    @Inject
    Instance<AgroalDataSource> dataSource;

    @Inject
    PgBouncerTimeouts pgbouncer;

    @Inject
    SchemaStep schema;

    @Inject
    BackgroundTasks tasks;

    /** Connect, migrate, validate, warm. Empty when ready; the reason when the database is not there. */
    Optional<Exception> initialise(long started) {
        Optional<Exception> unreachable = connect();
        if (unreachable.isPresent()) {
            return unreachable;
        }
        // The pool fills while Flyway and Hibernate check the schema (PoolWarmUp); its connections go back to the
        // pool however this attempt ends.
        try (PoolWarmUp warmUp = PoolWarmUp.start(dataSource.get(), tasks)) {
            String version = schema.prepare();
            int warmed = warmUp.finish();
            availability.ready(version);
            StartupExit.LOG.infof("Database ready in %d ms (pool warmed with %d connections)",
                    (System.nanoTime() - started) / 1_000_000, warmed);
            return Optional.empty();
        } catch (SchemaBehind behind) {
            return Optional.of(behind);
        }
    }

    /** One connection, valid: the database is there. */
    private Optional<Exception> connect() {
        try (Connection connection = dataSource.get().getConnection()) {
            if (!connection.isValid(5)) {
                return Optional.of(new SQLException("connection not valid", "08000"));
            }
            if (config.db().pgbouncer()) {
                pgbouncer.warnWithoutTimeouts(connection);
            }
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(e);
        }
    }
}
