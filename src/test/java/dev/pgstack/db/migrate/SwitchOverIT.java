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
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.pgstack.support.Concurrently;
import dev.pgstack.support.OldService;
import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.SeedDatabases;
import dev.pgstack.support.SeedDatabases.Seed;
import dev.pgstack.support.Suites;

/**
 * A switch-over as a team runs it: the seed service's database (each seed, each revision) is adopted, then the old
 * service's own statements and pgstack's API write the same tables side by side, each reads what the other wrote,
 * and after a rollback (pgstack stopped) the old service works alone on the adopted database. The database's default
 * zone is New York before the adoption, as on a server outside UTC: the old service's naive UTC timestamps must
 * still be read as UTC.
 */
@Tag(Suites.OWNS_SERVERS)
class SwitchOverIT {

    static final String PASSWORD = "switch-pw";
    static final List<Seed> SEEDS = SeedDatabases.ALL;
    /** Writes of each service while the other writes. */
    static final int EACH = 20;
    static final String OLD_CREATED_AT = "\"createdAt\":\"2026-01-05T10:00:00Z\"";

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
    void bothServicesWriteSideBySideAndTheOldOneWorksAloneAfterARollback(Seed seed) throws Exception {
        String name = "switch" + ++databases;
        OldService old = database(name, seed.statements());
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://" + name + "_app:" + PASSWORD + "@127.0.0.1:"
                + postgres.port() + "/" + name);
        PackagedApp.Command adopt = PackagedApp.run(env, "migrate", "--adopt");
        assertEquals(0, adopt.exitCode(), adopt.output());

        Scenario scenario = switch (seed.name()) {
            case "chat bot" -> new ChatBot(seed.revision().equals("b03417887b93"));
            case "catalog" -> new Catalog();
            case "companies and storage" -> new Storage();
            case "agents" -> new Agents();
            default -> throw new AssertionError("no switch-over scenario for " + seed.name());
        };
        try (PackagedApp service = PackagedApp.launch(env)) {
            PackagedApp.await("readiness UP on the adopted database", Duration.ofSeconds(60),
                    () -> service.management("/q/health/ready").status() == 200);
            sideBySide(i -> old.execute(scenario.oldWrite(i)), i -> {
                PackagedApp.Response written = scenario.newWrite(service, i);
                assertEquals(201, written.status(), written.body());
            });
            scenario.eachReadsTheOther(service, old);
        }
        scenario.oldServiceAlone(old);
    }

    /** What one seed's old service and pgstack write and read during the switch-over. */
    interface Scenario {
        String oldWrite(int i);

        PackagedApp.Response newWrite(PackagedApp service, int i);

        void eachReadsTheOther(PackagedApp service, OldService old) throws Exception;

        /** After the rollback: pgstack is gone, the old service writes and reads on the adopted schema. */
        void oldServiceAlone(OldService old) throws Exception;
    }

    /** @param head the bot's head revision, which sends content_length itself */
    record ChatBot(boolean head) implements Scenario {
        public String oldWrite(int i) {
            return OldService.message(UUID.randomUUID().toString(), 42, "old é " + i + " 😀", head);
        }

        public PackagedApp.Response newWrite(PackagedApp service, int i) {
            return service.post("/api/users/42/messages", "{\"role\":\"assistant\",\"content\":\"new " + i + "\"}");
        }

        public void eachReadsTheOther(PackagedApp service, OldService old) throws Exception {
            String history = service.get("/api/users/42/messages?limit=1000").body();
            String emoji = "\\uD83D\\uDE00"; // as JSON writes it
            assertTrue(history.contains("\"content\":\"old é 0 " + emoji + "\",\"contentLength\":9," + OLD_CREATED_AT),
                    history);
            assertTrue(history.contains("\"content\":\"old é 10 " + emoji + "\",\"contentLength\":10,"), history);
            assertEquals(EACH, history.split("\"content\":\"old é ", -1).length - 1, history);
            assertEquals(EACH + "|" + (5 * 10 + 6 * (EACH - 10)), old.execute("SELECT count(*), sum(content_length)"
                    + " FROM messages WHERE content LIKE 'new %' AND deleted_at IS NULL"), "pgstack's, as the bot reads");
            assertTrue(old.execute("SELECT created_at FROM messages WHERE content = 'new 0'").endsWith("+00"),
                    "the bot's sessions read UTC");

            old.execute("INSERT INTO users (id, created_at, updated_at) VALUES (777, '" + OldService.NAIVE_UTC
                    + "'::timestamp, '" + OldService.NAIVE_UTC + "'::timestamp)");
            String user = service.get("/api/users/777").body();
            assertTrue(user.contains(OLD_CREATED_AT), "a naive UTC time stays UTC: " + user);
            old.execute("UPDATE messages SET deleted_at='" + OldService.NAIVE_UTC + "'::timestamp WHERE content ="
                    + " 'new 0'");
            assertFalse(service.get("/api/users/42/messages?limit=1000").body().contains("\"new 0\""),
                    "the bot's soft delete hides pgstack's message");
            old.execute("UPDATE messages SET content = 'edited' WHERE content = 'old é 0 😀'");
            assertEquals("6", old.execute("SELECT content_length FROM messages WHERE content = 'edited'"),
                    "an edit's length follows the content");
        }

        public void oldServiceAlone(OldService old) throws Exception {
            old.execute(OldService.message(UUID.randomUUID().toString(), 42, "after the rollback", head));
            assertEquals("18", old.execute("SELECT content_length FROM messages WHERE content = 'after the rollback'"));
            // the seed's 2 active messages, the bot's and pgstack's less the one the bot deleted, and this one
            assertEquals(String.valueOf(2 + EACH + EACH - 1 + 1), old.execute("SELECT count(*) FROM messages"
                    + " WHERE user_id = 42 AND deleted_at IS NULL ORDER BY 1"));
        }
    }

    static final class Catalog implements Scenario {
        /** Every fifth write of pgstack's is a bulk of 10: Hibernate takes its ids in blocks of 50. */
        static final int BULK = 10;

        public String oldWrite(int i) {
            return OldService.product("old " + i, 1);
        }

        public PackagedApp.Response newWrite(PackagedApp service, int i) {
            if (i % 5 == 0) {
                StringBuilder bulk = new StringBuilder("[");
                for (int j = 0; j < BULK; j++) {
                    bulk.append(j == 0 ? "" : ",").append("{\"name\":\"new ").append(i).append('.').append(j)
                            .append("\",\"price\":2,\"quantity\":1,\"categoryId\":2}");
                }
                return service.post("/api/products/bulk", bulk.append(']').toString());
            }
            return service.post("/api/products", "{\"name\":\"new " + i + "\",\"price\":2,\"quantity\":1,"
                    + "\"categoryId\":2}");
        }

        static int pgstacksProducts() {
            return EACH / 5 * BULK + EACH - EACH / 5;
        }

        public void eachReadsTheOther(PackagedApp service, OldService old) throws Exception {
            int all = 2 + EACH + pgstacksProducts();
            assertEquals(all + "|" + all, old.execute("SELECT count(*), count(DISTINCT id) FROM products"));
            String page = service.get("/api/products?q=old&sort=id&limit=500").body();
            assertTrue(page.contains("\"total\":" + EACH), page);
            assertTrue(page.contains("\"name\":\"old 0\"") && page.contains("\"quantity\":0") && page.contains(
                    OLD_CREATED_AT), "an unset quantity is 0, a naive time UTC: " + page);
            assertTrue(service.get("/api/products?limit=1").body().contains("\"total\":" + all),
                    "the product count follows the old service's inserts");
            assertEquals(String.valueOf(pgstacksProducts()), old.execute("SELECT count(*) FROM products WHERE name"
                    + " LIKE 'new %' AND quantity = 1 AND category_id = 2"));

            String shelf = old.execute("INSERT INTO categories (name) VALUES ('Old shelf') RETURNING categories.id");
            PackagedApp.Response created = service.post("/api/categories", "{\"name\":\"New shelf\"}");
            assertEquals(201, created.status(), created.body());
            assertFalse(created.body().contains("\"id\":" + shelf + ","), created.body());
            old.execute("UPDATE products SET quantity=5, updated_at='" + OldService.NAIVE_UTC + "'::timestamp WHERE"
                    + " products.name = 'new 1'");
            assertTrue(service.get("/api/products?q=new%201&limit=500").body().contains("\"quantity\":5"));
        }

        public void oldServiceAlone(OldService old) throws Exception {
            long id = Long.parseLong(old.execute(OldService.product("after the rollback", 1)));
            assertEquals("t", old.execute("SELECT " + id + " > max(id) FROM products WHERE name <> 'after the"
                    + " rollback'"), "new ids after pgstack's");
        }
    }

    static final class Storage implements Scenario {
        public String oldWrite(int i) {
            return OldService.storageObject(1, "old/" + i) + "; INSERT INTO companies (name) VALUES ('Old Co " + i
                    + "') RETURNING companies.id, companies.created_at, companies.updated_at";
        }

        public PackagedApp.Response newWrite(PackagedApp service, int i) {
            PackagedApp.Response company = service.post("/api/companies", "{\"name\":\"New Co " + i + "\"}");
            assertEquals(201, company.status(), company.body());
            return service.post("/api/companies/1/storage", "{\"key\":\"new/" + i + "\",\"sizeBytes\":2,"
                    + "\"contentType\":\"text/plain\"}");
        }

        public void eachReadsTheOther(PackagedApp service, OldService old) throws Exception {
            String olds = service.get("/api/companies/1/storage?prefix=old/&limit=100").body();
            assertTrue(olds.contains("\"total\":" + EACH) && olds.contains("\"key\":\"old/0\""), olds);
            assertEquals(String.valueOf(EACH), old.execute("SELECT count(*) FROM storage_objects WHERE key LIKE"
                    + " 'new/%'"));
            assertTrue(service.get("/api/companies?limit=1").body().contains("\"total\":" + (1 + 2 * EACH)));
        }

        public void oldServiceAlone(OldService old) throws Exception {
            old.execute(OldService.storageObject(1, "after-rollback"));
            assertEquals(String.valueOf(2 + 2 * EACH + 1), old.execute("SELECT count(*) FROM storage_objects"));
        }
    }

    static final class Agents implements Scenario {
        public String oldWrite(int i) {
            return OldService.agent("old " + i);
        }

        public PackagedApp.Response newWrite(PackagedApp service, int i) {
            return service.post("/api/agents", "{\"name\":\"new " + i + "\",\"model\":\"m\"}");
        }

        public void eachReadsTheOther(PackagedApp service, OldService old) throws Exception {
            String id = old.execute("SELECT id FROM agents WHERE name = 'old 0'");
            String agent = service.get("/api/agents/" + id).body();
            assertTrue(agent.contains(OLD_CREATED_AT), agent);
            assertEquals((2 + 2 * EACH) + "|" + EACH, old.execute("SELECT count(DISTINCT id), count(*) FILTER (WHERE"
                    + " name LIKE 'new %') FROM agents"));
        }

        public void oldServiceAlone(OldService old) throws Exception {
            old.execute(OldService.agent("after the rollback"));
            assertEquals(String.valueOf(3 + 2 * EACH), old.execute("SELECT count(*) FROM agents"));
        }
    }

    interface Write {
        void run(int i) throws Exception;
    }

    /** The two services' writes at the same time, each service's in order; fails with the first failure. */
    private static void sideBySide(Write oldService, Write pgstack) throws Exception {
        Concurrently.run(2, Duration.ofMinutes(3), i -> writeAll(i == 0 ? oldService : pgstack));
    }

    private static Object writeAll(Write write) throws Exception {
        for (int i = 0; i < EACH; i++) {
            write.run(i);
        }
        return null;
    }

    /**
     * A database owned by its service's role, holding what {@code statements} create as that role, on a server
     * whose default zone is New York; the old service's client for it.
     */
    private static OldService database(String name, List<String> statements) throws Exception {
        postgres.createAppDatabase(name + "_app", PASSWORD, name);
        postgres.execute("postgres", "ALTER DATABASE " + name + " SET TimeZone = 'America/New_York'");
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(name), name + "_app", PASSWORD);
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
        return new OldService("postgresql://" + name + "_app:" + PASSWORD + "@127.0.0.1:" + postgres.port() + "/"
                + name);
    }
}
