package dev.pgstack.db.lifecycle;

import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.hibernate.SessionFactory;

import dev.pgstack.db.availability.Availability.StartupWait;
import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.config.PgstackConfig;

/**
 * The schema at startup: migrate it (pgstack.migrate-at-start), or wait until someone has (the migrate command, a
 * Job); then Hibernate validates the mapping against it.
 */
@ApplicationScoped
class SchemaStep {

    /** Where startup publishes its phase and why it waits. */
    @Inject
    DatabaseAvailability availability;

    @Inject
    PgstackConfig config;

    /** Instances, not beans: both are inactive when the datasource is not configured, and then never touched. */
    @Inject
    Instance<Flyway> flyway;

    @Inject
    Instance<SessionFactory> sessionFactory;

    /** The schema's version once it is as this build needs and the mapping agrees with it. */
    String prepare() throws SchemaBehind {
        String version = config.migrateAtStart() ? migrate() : awaitMigrations();
        // Hibernate only validates: a mapping that disagrees with the migrations is a bug, found at startup.
        sessionFactory.get().getSchemaManager().validateMappedObjects();
        return version;
    }

    private String migrate() {
        availability.starting(StartupWait.MIGRATING, "migrating");
        MigrateResult result = flyway.get().migrate();
        String version = result.migrationsExecuted > 0 ? result.targetSchemaVersion : result.initialSchemaVersion;
        if (version == null) {
            version = versionOf(flyway.get().info());
        }
        StartupExit.LOG.infof("Migrations: %d applied, schema at version %s", result.migrationsExecuted, version);
        return version;
    }

    /** The service does not migrate: a schema behind this build is waited for, a newer one served. */
    private String awaitMigrations() throws SchemaBehind {
        var info = flyway.get().info();
        String version = versionOf(info);
        if (info.pending().length > 0) {
            String needed = info.pending()[info.pending().length - 1].getVersion().getVersion();
            String behind = "schema at version " + (version == null ? "none" : version) + ", this build needs " + needed;
            availability.starting(StartupWait.SCHEMA_BEHIND, "waiting for migrations: " + behind);
            throw new SchemaBehind(behind + " (run the migrate command)");
        }
        boolean newer = Arrays.stream(info.applied()).anyMatch(m -> m.getState() == MigrationState.FUTURE_SUCCESS);
        if (newer) {
            StartupExit.LOG.warnf("Schema at version %s is newer than this build: serving it (expand/contract)", version);
        } else {
            StartupExit.LOG.infof("Schema at version %s, as this build needs (migrations not run at start)", version);
        }
        return version;
    }

    private static String versionOf(MigrationInfoService info) {
        var current = info.current();
        return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    }

    /** The database answers, but its schema is older than this build and the service does not migrate. */
    static final class SchemaBehind extends Exception {
        SchemaBehind(String message) {
            super(message, null, false, false);
        }
    }
}
