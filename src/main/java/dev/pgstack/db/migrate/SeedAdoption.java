package dev.pgstack.db.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import dev.pgstack.db.migrate.SeedRecognition.Seeds;
import dev.pgstack.db.migrate.SeedRecognition.Verdict;
import dev.pgstack.db.migrate.SeedSchemas.SeedSchema;
import dev.pgstack.db.migrate.SeedSchemas.SeedTable;

/**
 * Adopts a seed service's database in one transaction: the seed's tables move aside, Flyway creates pgstack's
 * tables (V1 to {@link SeedSchemas#CONVERTED_AT}) under their names, their rows are copied over, the moved tables
 * are dropped, and Flyway applies the remaining migrations. Flyway's history is then the one a fresh database has,
 * so {@code info}, {@code validate} and {@code undo} work as there. Anything failing rolls all of it back.
 */
final class SeedAdoption {

    /** Two adoptions of one database at once: the second waits, then finds pgstack's schema. */
    private static final String ADOPTION_LOCK = "SELECT pg_advisory_xact_lock(hashtext('pgstack migrate --adopt'))";

    sealed interface Outcome {
    }

    /**
     * What an adoption did.
     *
     * @param zone what became of the database's default time zone, which the old service's naive timestamps need
     */
    record Adopted(List<String> seeds, long rows, int migrationsApplied, String version, ZoneDefault zone)
            implements Outcome {
    }

    /** The old service's sessions take the database's default zone; its naive timestamps were UTC. */
    enum ZoneDefault {
        /** No seed table had timestamps without time zone: nothing needed. */
        UNTOUCHED,
        /** Set to UTC for the database. */
        SET_TO_UTC,
        /** Needed, but the role may not alter the database (not its owner). */
        NOT_PERMITTED
    }

    /** Nothing changed: the schema is not one to adopt, for the reason the verdict gives. */
    record NotAdopted(Verdict verdict) implements Outcome {
    }

    private final Flyway flyway;
    private final DataSource dataSource;

    SeedAdoption(Flyway flyway, DataSource dataSource) {
        this.flyway = flyway;
        this.dataSource = dataSource;
    }

    /**
     * Recognises the schema and, when it holds seed schemas, adopts them. The verdict of any other schema is
     * returned without a change; the caller acts on it.
     */
    Outcome adopt() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Outcome outcome = adoptIn(c);
                if (outcome instanceof Adopted) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return outcome;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private Outcome adoptIn(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(ADOPTION_LOCK);
            // timestamps without time zone are read as UTC when they become timestamptz
            st.execute("SET LOCAL TIME ZONE 'UTC'");
        }
        Verdict verdict = SeedRecognition.of(SchemaInventory.read(c), flyway.getConfiguration().getTable());
        if (!(verdict instanceof Seeds seeds)) {
            return new NotAdopted(verdict);
        }
        String home = currentSchema(c);
        List<String> moved = moveAside(c, seeds);
        SharedTransactionDataSource shared = new SharedTransactionDataSource(c);
        MigrateResult created = migrate(shared, SeedSchemas.CONVERTED_AT);
        long rows = copy(c, seeds);
        ZoneDefault zone = hasNaiveTimestamps(c) ? utcByDefault(c) : ZoneDefault.UNTOUCHED;
        try (Statement st = c.createStatement()) {
            if (seeds.alembicVersion()) {
                st.execute("ALTER TABLE " + SeedSchemas.MOVED_TO + "." + SeedSchemas.ALEMBIC_VERSION + " SET SCHEMA "
                        + quoted(home));
                moved.remove(SeedSchemas.ALEMBIC_VERSION);
            }
            // no CASCADE: an object elsewhere that depends on a seed table stops the adoption instead of vanishing
            st.execute("DROP TABLE " + String.join(", ", moved.stream().map(t -> SeedSchemas.MOVED_TO + "." + t)
                    .toList()));
            st.execute("DROP SCHEMA " + SeedSchemas.MOVED_TO);
        }
        MigrateResult rest = migrate(shared, "latest");
        if (shared.rolledBack()) {
            throw new SQLException("Flyway rolled the adoption's transaction back", "40000");
        }
        return new Adopted(seeds.schemas().stream().map(SeedSchema::name).toList(), rows,
                created.migrationsExecuted + rest.migrationsExecuted, rest.targetSchemaVersion, zone);
    }

    private static boolean hasNaiveTimestamps(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM"
                + " information_schema.columns WHERE table_schema = '" + SeedSchemas.MOVED_TO + "'"
                + " AND data_type = 'timestamp without time zone')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Makes UTC the database's default zone: the old service's libpq or asyncpg sessions send no zone of their own,
     * and its naive {@code datetime.utcnow} values, now written to timestamptz columns, are read in the session's
     * zone. pgjdbc sends the JVM's zone, so pgstack's sessions are unchanged. In a savepoint: a role that does not
     * own the database is told, not refused.
     */
    private static ZoneDefault utcByDefault(Connection c) throws SQLException {
        Savepoint savepoint = c.setSavepoint();
        try (Statement st = c.createStatement()) {
            st.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET TimeZone = ''UTC''', current_database());"
                    + " END $$");
            c.releaseSavepoint(savepoint);
            return ZoneDefault.SET_TO_UTC;
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(savepoint);
            return ZoneDefault.NOT_PERMITTED;
        }
    }

    /** Moves the seed's tables (and alembic_version) to {@link SeedSchemas#MOVED_TO}; returns their names. */
    private static List<String> moveAside(Connection c, Seeds seeds) throws SQLException {
        List<String> moved = new ArrayList<>();
        for (SeedSchema seed : seeds.schemas()) {
            seed.tables().forEach(t -> moved.add(t.name()));
        }
        if (seeds.alembicVersion()) {
            moved.add(SeedSchemas.ALEMBIC_VERSION);
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + SeedSchemas.MOVED_TO);
            for (String table : moved) {
                st.execute("ALTER TABLE " + table + " SET SCHEMA " + SeedSchemas.MOVED_TO);
            }
        }
        return moved;
    }

    /** Copies every seed table's rows into pgstack's, parents first, and moves each id sequence past them. */
    private static long copy(Connection c, Seeds seeds) throws SQLException {
        long rows = 0;
        try (Statement st = c.createStatement()) {
            for (SeedSchema seed : seeds.schemas()) {
                for (SeedTable table : seed.tables()) {
                    for (var optional : table.optional().entrySet()) {
                        st.execute("ALTER TABLE " + SeedSchemas.MOVED_TO + "." + table.name() + " ADD COLUMN IF NOT"
                                + " EXISTS " + optional.getKey() + " " + optional.getValue());
                    }
                    rows += st.executeUpdate(table.copy());
                    if (table.idSequence() != null) {
                        st.execute("SELECT setval(" + table.idSequence() + ", max(id)) FROM " + table.name()
                                + " HAVING count(*) > 0");
                    }
                }
            }
        }
        return rows;
    }

    /** Flyway, configured as the service's, on the adoption's transaction. */
    private MigrateResult migrate(SharedTransactionDataSource shared, String target) {
        return Flyway.configure(flyway.getConfiguration().getClassLoader()).configuration(flyway.getConfiguration())
                .dataSource(shared).target(target).load().migrate();
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
