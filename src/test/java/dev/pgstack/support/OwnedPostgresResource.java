package dev.pgstack.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The database of the packaged application under {@code @QuarkusIntegrationTest}: the embedded extension is not in
 * the artifact (provided scope), so the launched process gets a server of its own through these settings.
 */
public class OwnedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private OwnedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            postgres = new OwnedPostgres().start();
            postgres.execute("postgres", "CREATE ROLE pgstack_it LOGIN PASSWORD 'it-secret'",
                    "CREATE DATABASE pgstack_it OWNER pgstack_it");
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test's PostgreSQL", e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl("pgstack_it"),
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + postgres.port() + "/pgstack_it",
                "quarkus.datasource.username", "pgstack_it",
                "quarkus.datasource.password", "it-secret",
                "quarkus.datasource.jdbc.min-size", "2",
                "quarkus.shutdown.delay", "0S",
                "pgstack.admin.password", Admin.PASSWORD,
                // the launcher passes the public test port but not the management one; 9001 is its test default.
                // (A random public port with a fixed management port trips a Micrometer tag clash in 3.34.)
                "quarkus.management.port", "9001");
    }

    @Override
    public void stop() {
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (Exception e) {
            // the JVM is going away; the temp directory goes with the machine
        }
    }
}
