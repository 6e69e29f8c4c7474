package dev.pgstack.support;

import java.util.HashMap;
import java.util.Map;

import dev.pgstack.db.config.DatabaseEnvironment;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The packaged application behind a real PgBouncer in transaction pooling mode: a PostgreSQL server of its own,
 * PgBouncer in front of it, and the application told so the way users tell it, {@code pgbouncer=true} in
 * DATABASE_URL (passed as a system property, which pgstack's environment translation reads like the variable).
 */
public class PgBouncerResource implements QuarkusTestResourceLifecycleManager {

    private OwnedPostgres postgres;
    private PgBouncer bouncer;

    @Override
    public Map<String, String> start() {
        try {
            postgres = new OwnedPostgres().start();
            postgres.execute("postgres", "CREATE ROLE pgstack_bouncer LOGIN", "CREATE DATABASE pgstack_bouncer OWNER "
                    + "pgstack_bouncer");
            bouncer = new PgBouncer(postgres.port(), "pgstack_bouncer").start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start PostgreSQL and PgBouncer", e);
        }
        String url = "postgresql://pgstack_bouncer:any@127.0.0.1:" + bouncer.port + "/pgstack_bouncer?pgbouncer=true";
        Map<String, String> config = new HashMap<>();
        // the datasource keys too, as the translation makes them: they replace any that an earlier integration
        // test's resource left for the launcher (system properties outrank the translation)
        config.putAll(DatabaseEnvironment.translate(Map.of("DATABASE_URL", url),
                new DatabaseEnvironment.PoolSizes(2, 20)));
        config.remove(DatabaseEnvironment.ORIGIN);
        config.putAll(Map.of(
                "DATABASE_URL", url,
                "quarkus.datasource.jdbc.min-size", "2",
                "quarkus.shutdown.delay", "0S",
                "pgstack.admin.password", Admin.PASSWORD,
                "quarkus.management.port", "9001"));
        return config;
    }

    @Override
    public void stop() {
        try {
            if (bouncer != null) {
                bouncer.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        } catch (Exception e) {
            // the JVM is going away
        }
    }
}
