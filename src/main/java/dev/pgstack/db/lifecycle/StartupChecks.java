package dev.pgstack.db.lifecycle;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.pgstack.db.config.DatabaseEnvironment;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.config.RunMode;
import io.agroal.api.AgroalDataSource;

/** The settings checked before anything connects: unusable ones end the process with one line that says why. */
@ApplicationScoped
class StartupChecks {

    @Inject
    RunMode runMode;

    @Inject
    PgstackConfig config;

    @Inject
    Instance<AgroalDataSource> dataSource;

    @Inject
    StartupExit exit;

    /** Whether the settings are usable; when not, the process is already exiting (exit code 1). */
    boolean configured() {
        Optional<String> error = runMode.configurationError();
        if (error.isPresent()) {
            // One line that says what to set, then exit 1: no stack trace from deep inside Agroal or Hibernate.
            exit.exit("not configured", "pgstack cannot start: %s", error.get());
            return false;
        }
        return true;
    }

    /** Whether the pool is large enough for what startup does; when not, the process is already exiting. */
    boolean poolLargeEnough() {
        int poolMax = dataSource.get().getConfiguration().connectionPoolConfiguration().maxSize();
        if (config.migrateAtStart() && poolMax < DatabaseEnvironment.MIN_POOL_MAX) {
            exit.exit("not configured", "pgstack cannot start: the pool's maximum is %d, and migrating at start needs "
                    + "%d connections (raise quarkus.datasource.jdbc.max-size, or set PGSTACK_MIGRATE_AT_START=false)",
                    poolMax, DatabaseEnvironment.MIN_POOL_MAX);
            return false;
        }
        return true;
    }
}
