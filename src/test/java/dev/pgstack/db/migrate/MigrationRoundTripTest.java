package dev.pgstack.db.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.SchemaSnapshot;

/**
 * Every migration has an undo script that mirrors it: applying all, undoing all (at once and one by one) and
 * applying again gives the same schema, compared through the catalog. An undo that forgets an index, a
 * constraint or a column fails here.
 */
class MigrationRoundTripTest {

    static OwnedPostgres postgres;
    static PGSimpleDataSource dataSource;

    @BeforeAll
    static void start() throws Exception {
        postgres = new OwnedPostgres().start();
        postgres.execute("postgres", "CREATE DATABASE roundtrip");
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl("roundtrip"));
        dataSource.setUser("postgres");
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void undoingEveryMigrationAndApplyingThemAgainGivesTheSameSchema() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Flyway flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
        MigrationCommands commands = new MigrationCommands(flyway, dataSource,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String empty = schema();

        assertEquals(0, commands.migrate(), printed.toString());
        String full = schema();
        assertNotEquals(empty, full);
        int versions = flyway.info().applied().length;

        assertEquals(0, commands.undo(Optional.of("0")), printed.toString());
        assertEquals(empty, schema(), "undo of everything leaves the schema as before V1");
        assertEquals(0, flyway.info().applied().length);

        assertEquals(0, commands.migrate(), printed.toString());
        assertEquals(full, schema(), "migrate after undo rebuilds the same schema");

        // one undo at a time: each must give back exactly the schema of the version before it
        assertEquals(0, commands.undo(Optional.of("0")));
        java.util.List<String> snapshots = new java.util.ArrayList<>(java.util.List.of(empty));
        java.util.List<String> order = java.util.Arrays.stream(flyway.info().pending())
                .map(m -> m.getVersion().getVersion()).toList();
        for (String version : order) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target(version).load()
                    .migrate();
            snapshots.add(schema());
        }
        for (int i = order.size(); i >= 1; i--) {
            assertEquals(0, commands.undo(Optional.empty()), printed.toString());
            assertEquals(snapshots.get(i - 1), schema(), "undo of V" + order.get(i - 1) + " mirrors it");
        }
        assertEquals(0, commands.undo(Optional.empty()), "nothing left to undo is not an error");

        assertEquals(0, commands.migrate());
        assertEquals(full, schema());
        assertEquals(0, commands.validate(), printed.toString());
        assertEquals(0, commands.info());
        assertTrue(printed.toString().contains("current version: " + versions), printed.toString());
    }

    @Test
    void everyMigrationHasItsUndoScript() throws Exception {
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path migration : (Iterable<Path>) files::iterator) {
                String undo = MigrationCommands.undoScriptOf(migration.getFileName().toString());
                assertTrue(Files.exists(Path.of("src/main/resources/db/undo", undo)), "missing undo script " + undo);
            }
        }
    }

    @Test
    void revisionCreatesTheNextNumberedPairInACheckoutOnly() throws Exception {
        Path resources = Files.createTempDirectory("pgstack-revision-");
        Files.createDirectories(resources.resolve("db/migration"));
        Files.writeString(resources.resolve("db/migration/V7__seven.sql"), "");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        assertEquals(0, MigrationCommands.revision("add_tags", resources, out));
        assertTrue(Files.exists(resources.resolve("db/migration/V8__add_tags.sql")));
        assertTrue(Files.exists(resources.resolve("db/undo/U8__add_tags.sql")));
        assertEquals(1, MigrationCommands.revision("Bad Name", resources, out));
        assertEquals(1, MigrationCommands.revision("ok", resources.resolve("nowhere"), out));
        assertTrue(printed.toString().contains("run revision from a checkout"), printed.toString());
    }

    /** The public schema except Flyway's own table. */
    private static String schema() throws Exception {
        return SchemaSnapshot.of(dataSource, java.util.Set.of("flyway_schema_history"));
    }
}
