package dev.pgstack.db.sql;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;
import org.hibernate.SessionEventListener;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.jboss.logging.Logger;

import dev.pgstack.db.config.PgstackConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.config.SmallRyeConfig;

/**
 * SQL echo with timings, and the slow-statement warning. Hibernate's own SQL log has no durations and its
 * slow-query log is INFO; here a statement inspector remembers the SQL text (with {@code ?} placeholders: bind
 * values are never logged) and a session event listener times its execution:
 * <ul>
 * <li>{@code SQL_ECHO=true}: every statement at INFO in category {@code dev.pgstack.sql}, with its duration;</li>
 * <li>{@code DB_SLOW_QUERY_MS} ({@code pgstack.db.slow-query-ms}): statements slower than that at WARN, in every
 * profile.</li>
 * </ul>
 */
public final class SqlTiming {

    private static final Logger LOG = Logger.getLogger("dev.pgstack.sql");
    private static final ThreadLocal<String> LAST_SQL = new ThreadLocal<>();
    private static volatile Settings settings;
    /**
     * Statements over the threshold, for alerting (deploy/monitoring). On Micrometer's global registry, which
     * Quarkus's Prometheus registry is part of: Hibernate creates the listener that reports here, not CDI.
     */
    private static final Counter SLOW = Counter.builder("pgstack.sql.slow.statements")
            .description("Statements slower than DB_SLOW_QUERY_MS").register(Metrics.globalRegistry);

    private record Settings(boolean echo, long slowNanos, long slowMs) {
    }

    private SqlTiming() {
    }

    private static Settings settings() {
        Settings s = settings;
        if (s == null) {
            // Hibernate creates the session listener, not CDI: read the same @ConfigMapping through the config
            PgstackConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class)
                    .getConfigMapping(PgstackConfig.class);
            String echo = config.sqlEcho();
            long slowMs = config.db().slowQueryMs();
            s = new Settings(!echo.equals("false"), slowMs > 0 ? slowMs * 1_000_000 : Long.MAX_VALUE, slowMs);
            settings = s;
        }
        return s;
    }

    /** Remembers the SQL text that the next execution on this thread runs. */
    @PersistenceUnitExtension
    @ApplicationScoped
    public static class Capture implements StatementInspector {
        @Override
        public String inspect(String sql) {
            LAST_SQL.set(sql);
            return sql;
        }
    }

    /** One per Hibernate session (registered by {@code hibernate.session.events.auto}); sessions are single-threaded. */
    @RegisterForReflection
    public static class Timer implements SessionEventListener {
        private long started;

        @Override
        public void jdbcExecuteStatementStart() {
            started = System.nanoTime();
        }

        @Override
        public void jdbcExecuteStatementEnd() {
            report("SQL", System.nanoTime() - started);
        }

        @Override
        public void jdbcExecuteBatchStart() {
            started = System.nanoTime();
        }

        @Override
        public void jdbcExecuteBatchEnd() {
            report("SQL batch", System.nanoTime() - started);
        }

        private static void report(String what, long nanos) {
            SqlTiming.report(what, nanos, null);
        }
    }

    /**
     * Echoes or warns about one statement that took {@code nanos}; {@code sql} null means the last one this thread
     * ran through Hibernate. Also called by the reactive reads, which Hibernate does not see.
     */
    public static void report(String what, long nanos, String sql) {
        Settings s = settings();
        if (!s.echo() && nanos < s.slowNanos()) {
            return;
        }
        String text = sql != null ? sql : LAST_SQL.get();
        double ms = nanos / 1e6;
        if (nanos >= s.slowNanos()) {
            SLOW.increment();
            LOG.warnf("Slow %s took %.1f ms (threshold %d ms): %s", what, ms, s.slowMs(), text);
        } else {
            LOG.infof("%s %.1f ms: %s", what, ms, text);
        }
    }
}
