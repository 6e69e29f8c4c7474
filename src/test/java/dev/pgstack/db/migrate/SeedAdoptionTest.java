package dev.pgstack.db.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.postgresql.ds.PGSimpleDataSource;

import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.SchemaSnapshot;
import dev.pgstack.support.SeedDatabases;
import dev.pgstack.support.SeedDatabases.Seed;

/**
 * {@code migrate --adopt} on real databases: each seed service's schema, alone or together, ends exactly as
 * pgstack's freshly migrated schema (compared through the catalog) with its rows kept and converted; what is not
 * recognised, or fails halfway, is refused and leaves the database as it was. Sessions run in New York time here,
 * so that timestamps without time zone read in the session's zone instead of UTC would be 5 hours off.
 */
class SeedAdoptionTest {

    static final Set<String> NOT_COMPARED = Set.of("flyway_schema_history", SeedSchemas.ALEMBIC_VERSION);
    static final List<Seed> SEEDS = java.util.stream.Stream.concat(SeedDatabases.ALL.stream(),
            SeedDatabases.WITHOUT_INDEXES.stream()).toList();

    static OwnedPostgres postgres;
    static TimeZone jvmZone;
    static String freshSchema;
    static final AtomicInteger databases = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York")); // pgjdbc sets the session's TimeZone from it
        postgres = new OwnedPostgres().start();
        PGSimpleDataSource fresh = database();
        assertEquals(0, new Run(fresh).commands.migrate());
        freshSchema = SchemaSnapshot.of(fresh, NOT_COMPARED);
    }

    @AfterAll
    static void stop() throws Exception {
        TimeZone.setDefault(jvmZone);
        postgres.close();
    }

    @ParameterizedTest
    @FieldSource("SEEDS")
    void aSeedSchemaAloneBecomesExactlyPgstacksSchemaAndKeepsEveryRow(Seed seed) throws Exception {
        PGSimpleDataSource db = database();
        execute(db, seed.statements());
        List<String> tables = SeedSchemas.ALL.stream().filter(s -> s.name().equals(seed.name())).findFirst()
                .orElseThrow().tables().stream().map(SeedSchemas.SeedTable::name).toList();
        List<Long> rowsBefore = new ArrayList<>();
        for (String table : tables) {
            rowsBefore.add(count(db, "SELECT count(*) FROM " + table));
        }

        Run adopt = new Run(db);
        assertEquals(0, adopt.commands.adopt(), adopt.printed());
        assertTrue(adopt.printed().startsWith("adopt: " + seed.name() + " converted to pgstack's schema"),
                adopt.printed());
        assertTrue(adopt.printed().contains("8 applied, schema at version 8"), adopt.printed());
        assertEquals(freshSchema, SchemaSnapshot.of(db, NOT_COMPARED), "the adopted schema is pgstack's");
        for (int i = 0; i < tables.size(); i++) {
            assertEquals(rowsBefore.get(i), count(db, "SELECT count(*) FROM " + tables.get(i)), tables.get(i));
        }
        assertEquals(1, count(db, "SELECT count(*) FROM alembic_version WHERE version_num = '" + seed.revision()
                + "'"), "alembic_version is kept, at the seed's revision");

        Run after = new Run(db);
        assertEquals(0, after.commands.validate(), after.printed());
        assertEquals(0, after.commands.info(), after.printed());
        assertTrue(after.printed().contains("current version: 8; pending: 0"), after.printed());
    }

    @Test
    void allFourSeedSchemasInOneDatabaseAreAdoptedTogetherWithTheirValuesConverted() throws Exception {
        PGSimpleDataSource db = database();
        execute(db, SeedDatabases.CHAT_BOT.statements());
        for (Seed seed : List.of(SeedDatabases.CATALOG, SeedDatabases.COMPANIES, SeedDatabases.AGENTS)) {
            execute(db, SeedDatabases.withoutAlembic(seed));
        }
        Run adopt = new Run(db);
        assertEquals(0, adopt.commands.adopt(), adopt.printed());
        assertTrue(adopt.printed().contains("chat bot and catalog and companies and storage and agents converted"),
                adopt.printed());
        assertEquals(freshSchema, SchemaSnapshot.of(db, NOT_COMPARED));

        // naive timestamps were UTC; content_length counts code points, as char_length does
        assertEquals(OffsetDateTime.of(2025, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.UTC),
                timestamp(db, "SELECT created_at FROM users WHERE id = 42"));
        assertEquals(9, count(db, "SELECT content_length FROM messages WHERE content = 'Bonjour 😀'"));
        assertEquals(1, count(db, "SELECT count(*) FROM messages WHERE deleted_at IS NOT NULL"));
        assertEquals(0, count(db, "SELECT quantity FROM products WHERE name = 'Chess'"), "NULL quantity is 0");
        assertEquals(timestamp(db, "SELECT created_at FROM products WHERE name = 'Chess'"),
                timestamp(db, "SELECT updated_at FROM products WHERE name = 'Chess'"), "no updated_at: created_at");
        assertEquals(2, count(db, "SELECT products FROM product_count"), "V6 counted the adopted products");
        // new ids come after the adopted ones: products through Hibernate's pooled blocks of 50, others identity
        long maxProduct = count(db, "SELECT max(id) FROM products");
        assertTrue(count(db, "SELECT nextval('products_id_seq')") - 49 > maxProduct, "products_id_seq past max(id)");
        assertEquals(3, count(db, "INSERT INTO categories (name) VALUES ('Toys') RETURNING id"));
        assertEquals(2, count(db, "INSERT INTO companies (name) VALUES ('Globex') RETURNING id"));
        assertEquals(3, count(db, "INSERT INTO storage_objects (company_id, key, size_bytes, content_type)"
                + " VALUES (1, 'new', 1, 'text/plain') RETURNING id"));
        assertEquals(3, count(db, "INSERT INTO agents (name, model) VALUES ('new', 'm') RETURNING id"));
    }

    @Test
    void theChatBotsStoredContentLengthIsKeptAndAMissingOneIsCounted() throws Exception {
        PGSimpleDataSource head = database();
        execute(head, SeedDatabases.CHAT_BOT.statements());
        assertEquals(0, new Run(head).commands.adopt());
        assertEquals(8, count(head, "SELECT content_length FROM messages WHERE content = 'Salut !'"), "kept as stored");
        PGSimpleDataSource before = database();
        execute(before, SeedDatabases.CHAT_BOT_E98.statements());
        assertEquals(0, new Run(before).commands.adopt());
        assertEquals(7, count(before, "SELECT content_length FROM messages WHERE content = 'Salut !'"), "counted");
        assertEquals(9, count(before, "SELECT content_length FROM messages WHERE content = 'Bonjour 😀'"));
    }

    @Test
    void naiveTimestampsMakeUtcTheDatabasesDefaultZoneWhereTheRoleMayAndAreSaidWhereItMayNot() throws Exception {
        PGSimpleDataSource owned = database();
        execute(owned, SeedDatabases.AGENTS.statements());
        Run adopt = new Run(owned);
        assertEquals(0, adopt.commands.adopt(), adopt.printed());
        assertTrue(adopt.printed().contains("; the database's default time zone is now UTC"), adopt.printed());
        assertEquals("UTC", databaseZone(owned));

        PGSimpleDataSource aware = database();
        execute(aware, SeedDatabases.COMPANIES.statements());
        Run untouched = new Run(aware);
        assertEquals(0, untouched.commands.adopt(), untouched.printed());
        assertFalse(untouched.printed().contains("time zone"), "timestamptz seed: " + untouched.printed());
        assertEquals(null, databaseZone(aware));

        PGSimpleDataSource notOwned = database();
        String name = notOwned.getDatabaseName();
        postgres.execute(name, "CREATE ROLE " + name + "_adopter LOGIN", "GRANT CREATE ON DATABASE " + name + " TO "
                + name + "_adopter", "GRANT CREATE ON SCHEMA public TO " + name + "_adopter");
        notOwned.setUser(name + "_adopter");
        execute(notOwned, SeedDatabases.CHAT_BOT.statements());
        Run told = new Run(notOwned);
        assertEquals(0, told.commands.adopt(), told.printed());
        assertTrue(told.printed().contains("; the database's default time zone could not be set to UTC (the role does"
                + " not own the database)"), told.printed());
        assertEquals(1, told.printed().lines().count(), told.printed());
        assertEquals(3, count(notOwned, "SELECT count(*) FROM messages"), "adopted all the same");
    }

    @Test
    void aSchemaWithAnUnknownTableIsRefusedInOneLineAndLeftAsItWas() throws Exception {
        PGSimpleDataSource db = database();
        execute(db, SeedDatabases.CHAT_BOT.statements());
        execute(db, List.of("CREATE TABLE payments (id serial PRIMARY KEY, user_id bigint REFERENCES users (id))"));
        String before = SchemaSnapshot.of(db, Set.of());

        Run adopt = new Run(db);
        assertEquals(1, adopt.commands.adopt(), adopt.printed());
        assertEquals(1, adopt.printed().lines().count(), adopt.printed());
        assertTrue(adopt.printed().startsWith("adopt refused: table payments is not part of a recognised seed schema;"
                + " recognised are pgstack's schema, an empty one and the seed schemas chat bot, catalog, companies"
                + " and storage, agents (nothing changed)"), adopt.printed());
        assertEquals(before, SchemaSnapshot.of(db, Set.of()));
    }

    @Test
    void aSeedTableWithAColumnPgstackWouldNotKeepIsRefused() throws Exception {
        PGSimpleDataSource db = database();
        execute(db, SeedDatabases.AGENTS.statements());
        execute(db, List.of("ALTER TABLE agents ADD COLUMN temperature real"));
        String before = SchemaSnapshot.of(db, Set.of());
        Run adopt = new Run(db);
        assertEquals(1, adopt.commands.adopt());
        assertTrue(adopt.printed().contains("the agents schema's table agents has column temperature, which pgstack"
                + " would not keep"), adopt.printed());
        assertEquals(before, SchemaSnapshot.of(db, Set.of()));
    }

    @Test
    void anAdoptionThatFailsHalfwayChangesNothing() throws Exception {
        PGSimpleDataSource db = database();
        execute(db, SeedDatabases.CHAT_BOT_E98.statements());
        execute(db, List.of("INSERT INTO messages VALUES ('00000000-0000-4000-8000-0000000000ff', 42, 'tool', 'x',"
                + " '2025-01-02 03:05:00', NULL)"));
        String before = SchemaSnapshot.of(db, Set.of());
        Run adopt = new Run(db);
        assertEquals(1, adopt.commands.adopt(), adopt.printed());
        assertTrue(adopt.printed().startsWith("adopt failed: SQLSTATE 23514"), adopt.printed());
        assertTrue(adopt.printed().contains("messages_role_known") && adopt.printed().contains("(nothing changed)"),
                adopt.printed());
        assertFalse(adopt.printed().contains("tool"), "no row values: " + adopt.printed());
        assertEquals(before, SchemaSnapshot.of(db, Set.of()), "the seed's tables are back, no pgstack table stays");
        assertEquals(4, count(db, "SELECT count(*) FROM messages"));
    }

    @Test
    void migrateOnASeedDatabaseFailsPointingToAdopt() throws Exception {
        PGSimpleDataSource db = database();
        execute(db, SeedDatabases.CHAT_BOT.statements());
        Run migrate = new Run(db);
        assertEquals(1, migrate.commands.migrate(), migrate.printed());
        assertTrue(migrate.printed().contains("; if this is a seed service's database, adopt it first: migrate --adopt"),
                migrate.printed());
    }

    @Test
    void adoptMigratesAnEmptyDatabaseAndIsANoOpOnPgstacksOwn() throws Exception {
        PGSimpleDataSource db = database();
        Run empty = new Run(db);
        assertEquals(0, empty.commands.adopt(), empty.printed());
        assertEquals("adopt: the schema is empty, nothing to adopt; migrate: 8 applied, schema at version 8\n",
                empty.printed());
        assertEquals(freshSchema, SchemaSnapshot.of(db, NOT_COMPARED));

        execute(db, List.of("INSERT INTO users (id) VALUES (7)"));
        String before = SchemaSnapshot.of(db, Set.of());
        long history = count(db, "SELECT count(*) FROM flyway_schema_history");
        Run again = new Run(db);
        assertEquals(0, again.commands.adopt(), again.printed());
        assertEquals("adopt: nothing to adopt, the schema is pgstack's already (version 8)\n", again.printed());
        assertEquals(before, SchemaSnapshot.of(db, Set.of()));
        assertEquals(history, count(db, "SELECT count(*) FROM flyway_schema_history"));
        assertEquals(1, count(db, "SELECT count(*) FROM users"));
    }

    @Test
    void rowsInsertedWithoutTheClockColumnsGetTheDatabaseClockAfterV7() throws Exception {
        PGSimpleDataSource db = database();
        assertEquals(0, new Run(db).commands.migrate());
        execute(db, List.of("INSERT INTO users (id) VALUES (1)",
                "INSERT INTO user_settings (user_id, max_history_messages) VALUES (1, 20)",
                "INSERT INTO messages (id, user_id, role, content, content_length)"
                        + " VALUES (gen_random_uuid(), 1, 'user', 'hi', 2)",
                "INSERT INTO products (id, name, price) VALUES (nextval('products_id_seq'), 'p', 1)",
                "INSERT INTO companies (name) VALUES ('c')",
                "INSERT INTO storage_objects (company_id, key, size_bytes, content_type) VALUES (1, 'k', 0, 't')",
                "INSERT INTO agents (name, model) VALUES ('a', 'm')"));
        for (String table : List.of("users", "user_settings", "products", "companies", "agents")) {
            assertEquals(1, count(db, "SELECT count(*) FROM " + table + " WHERE created_at = updated_at"
                    + " AND created_at > now() - interval '1 minute'"), table);
        }
        for (String table : List.of("messages", "storage_objects")) {
            assertEquals(1, count(db, "SELECT count(*) FROM " + table
                    + " WHERE created_at > now() - interval '1 minute'"), table);
        }
    }

    /** The commands on one database, with what they print. */
    static final class Run {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final MigrationCommands commands;

        Run(PGSimpleDataSource db) {
            Flyway flyway = Flyway.configure().dataSource(db).locations("classpath:db/migration").load();
            commands = new MigrationCommands(flyway, db, new PrintStream(out, true, StandardCharsets.UTF_8));
        }

        String printed() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static PGSimpleDataSource database() throws Exception {
        String name = "adopt" + databases.incrementAndGet();
        postgres.execute("postgres", "CREATE DATABASE " + name);
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(postgres.jdbcUrl(name));
        db.setUser("postgres");
        return db;
    }

    static void execute(PGSimpleDataSource db, List<String> statements) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    static long count(PGSimpleDataSource db, String query) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The database's own TimeZone setting (ALTER DATABASE ... SET), or null. */
    static String databaseZone(PGSimpleDataSource db) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT s FROM pg_db_role_setting, unnest(setconfig) s WHERE setrole = 0 AND setdatabase ="
                        + " (SELECT oid FROM pg_database WHERE datname = current_database()) AND s LIKE 'TimeZone=%'")) {
            return rs.next() ? rs.getString(1).substring("TimeZone=".length()) : null;
        }
    }

    static OffsetDateTime timestamp(PGSimpleDataSource db, String query) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC);
        }
    }
}
