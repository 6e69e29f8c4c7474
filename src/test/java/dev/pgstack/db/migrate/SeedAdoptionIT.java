package dev.pgstack.db.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.pgstack.support.Logs;
import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.SeedDatabases;
import dev.pgstack.support.SeedDatabases.Seed;
import dev.pgstack.support.Suites;

/**
 * A team replaces a seed service and keeps its database: the seed's schema with rows, created by the service's own
 * role, is adopted by the packaged application's {@code migrate --adopt}; the service then starts on it, answers the
 * old rows through the API and writes new ones. The commands run in New York time, so that a naive timestamp read
 * in the session's zone instead of UTC shows. What is not recognised is refused with one line and exit code 1.
 */
@Tag(Suites.OWNS_SERVERS)
class SeedAdoptionIT {

    static final String PASSWORD = "adopt-pw";
    static final List<Seed> SEEDS = SeedDatabases.ALL;

    static OwnedPostgres postgres;
    static int databases;

    @BeforeAll
    static void start() throws Exception {
        postgres = new OwnedPostgres().start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @ParameterizedTest
    @FieldSource("SEEDS")
    void theServiceServesTheSeedsRowsAfterAdoptionAndWritesNewOnes(Seed seed) throws Exception {
        Map<String, String> env = database(seed.statements());
        PackagedApp.Command adopt = PackagedApp.run(env, "migrate", "--adopt");
        assertEquals(0, adopt.exitCode(), adopt.output());
        assertTrue(adopt.stdout().startsWith("adopt: " + seed.name() + " converted to pgstack's schema"),
                adopt.output());
        assertEquals(1, adopt.stdout().lines().count(), adopt.stdout());

        try (PackagedApp service = PackagedApp.launch(env)) {
            PackagedApp.await("readiness UP on the adopted database", Duration.ofSeconds(60),
                    () -> service.management("/q/health/ready").status() == 200);
            switch (seed.name()) {
                case "chat bot" -> chatBot(service);
                case "catalog" -> catalog(service);
                case "companies and storage" -> companies(service);
                case "agents" -> agents(service);
                default -> throw new AssertionError("no API check for " + seed.name());
            }
        }
    }

    @Test
    void anUnknownSchemaIsRefusedAnEmptyOneMigratedAndPgstacksOwnLeftAlone() throws Exception {
        Map<String, String> unknown = database(List.of("CREATE TABLE invoices (id serial PRIMARY KEY, total numeric)"));
        PackagedApp.Command refused = PackagedApp.run(unknown, "migrate", "--adopt");
        assertEquals(1, refused.exitCode(), refused.output());
        assertTrue(refused.stdout().startsWith("adopt refused: table invoices is not part of a recognised seed schema"),
                refused.output());
        assertEquals(1, refused.stdout().lines().count(), refused.stdout());
        assertFalse(Logs.hasStackTrace(refused.output()), refused.output());
        PackagedApp.Command info = PackagedApp.run(unknown, "info");
        assertTrue(info.stdout().contains("current version: none; pending: 8"), "nothing changed: " + info.output());

        Map<String, String> empty = database(List.of());
        PackagedApp.Command migrated = PackagedApp.run(empty, "migrate", "--adopt");
        assertEquals(0, migrated.exitCode(), migrated.output());
        assertTrue(migrated.stdout().contains("migrate: 8 applied, schema at version 8"), migrated.output());
        PackagedApp.Command again = PackagedApp.run(empty, "migrate", "--adopt");
        assertEquals(0, again.exitCode(), again.output());
        assertEquals("adopt: nothing to adopt, the schema is pgstack's already (version 8)", again.stdout().strip());
    }

    @Test
    void theServiceStartedOnAnUnadoptedSeedDatabaseExitsSayingToAdoptIt() throws Exception {
        Map<String, String> env = database(SeedDatabases.CHAT_BOT.statements());
        try (PackagedApp service = PackagedApp.launch(env)) {
            assertEquals(1, service.waitForExit(Duration.ofSeconds(60)), service.log());
            assertTrue(service.log().contains("adopt it first: migrate --adopt"), service.log());
            assertFalse(Logs.hasStackTrace(service.log()), service.log());
        }
        PackagedApp.Command adopt = PackagedApp.run(env, "migrate", "--adopt");
        assertEquals(0, adopt.exitCode(), "the failed start changed nothing: " + adopt.output());
    }

    private static void chatBot(PackagedApp service) {
        PackagedApp.Response user = service.get("/api/users/42");
        assertEquals(200, user.status(), user.body());
        assertTrue(user.body().contains("\"createdAt\":\"2025-01-02T03:04:05.123456Z\""), user.body());
        PackagedApp.Response settings = service.get("/api/users/42/settings");
        assertTrue(settings.body().contains("\"maxHistoryMessages\":5") && settings.body()
                .contains("Answer in French."), settings.body());
        PackagedApp.Response history = service.get("/api/users/42/messages");
        assertEquals(200, history.status(), history.body());
        assertTrue(history.body().indexOf("Salut !") < history.body().indexOf("Bonjour"), "newest first: "
                + history.body());
        assertTrue(history.body().contains("\"contentLength\":9") && !history.body().contains("forgotten"),
                history.body());
        assertEquals(201, service.post("/api/users/42/messages", "{\"role\":\"user\",\"content\":\"Encore\"}").status());
        assertEquals(201, service.put("/api/users/43", null).status());
        assertTrue(service.get("/api/users/42/messages").body().contains("Encore"));
    }

    private static void catalog(PackagedApp service) {
        PackagedApp.Response page = service.get("/api/products?sort=id&include=category");
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("\"total\":2") && page.body().contains("Dune") && page.body()
                .contains("\"name\":\"Games\""), page.body());
        assertTrue(service.get("/api/categories").body().contains("Books"));
        PackagedApp.Response created = service.post("/api/products",
                "{\"name\":\"Go\",\"price\":30,\"quantity\":2,\"categoryId\":2}");
        assertEquals(201, created.status(), created.body());
        assertFalse(created.body().matches(".*\"id\":[12],.*"), "a new id, not an adopted one: " + created.body());
        assertEquals(201, service.post("/api/categories", "{\"name\":\"Toys\"}").status());
        assertTrue(service.get("/api/products").body().contains("\"total\":3"));
    }

    private static void companies(PackagedApp service) {
        PackagedApp.Response company = service.get("/api/companies/1");
        assertEquals(200, company.status(), company.body());
        assertTrue(company.body().contains("Acme") && company.body().contains("2025-03-01T09:00:00Z"), company.body());
        PackagedApp.Response storage = service.get("/api/companies/1/storage");
        assertTrue(storage.body().contains("logo.png") && storage.body().contains("reports/2025/q1.pdf"),
                storage.body());
        PackagedApp.Response created = service.post("/api/companies/1/storage",
                "{\"key\":\"new.txt\",\"sizeBytes\":3,\"contentType\":\"text/plain\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals(409, service.post("/api/companies/1/storage",
                "{\"key\":\"logo.png\",\"sizeBytes\":3,\"contentType\":\"image/png\"}").status(),
                "pgstack's unique key per company holds for adopted rows");
        assertEquals(201, service.post("/api/companies", "{\"name\":\"Globex\"}").status());
    }

    private static void agents(PackagedApp service) {
        PackagedApp.Response agents = service.get("/api/agents");
        assertEquals(200, agents.status(), agents.body());
        assertTrue(agents.body().contains("seo-writer") && agents.body().contains("triage"), agents.body());
        PackagedApp.Response one = service.get("/api/agents/1");
        assertTrue(one.body().contains("\"createdAt\":\"2025-04-01T08:00:00Z\""), one.body());
        PackagedApp.Response created = service.post("/api/agents", "{\"name\":\"new\",\"model\":\"m\"}");
        assertEquals(201, created.status(), created.body());
        assertTrue(created.body().contains("\"id\":3"), created.body());
    }

    /** A database owned by its service's role, holding what {@code statements} create as that role. */
    private static Map<String, String> database(List<String> statements) throws Exception {
        String name = "seed" + ++databases;
        postgres.createAppDatabase(name + "_app", PASSWORD, name);
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(name), name + "_app", PASSWORD);
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
        return Map.of("DATABASE_URL", "postgresql://" + name + "_app:" + PASSWORD + "@127.0.0.1:" + postgres.port()
                + "/" + name, "TZ", "America/New_York");
    }
}
