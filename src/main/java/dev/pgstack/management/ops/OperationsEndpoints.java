package dev.pgstack.management.ops;

import java.time.Duration;
import java.util.LinkedHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

import dev.pgstack.db.config.DatasourceSettings;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.ops.PoolMetrics;
import dev.pgstack.db.replica.ReplicaPool;
import dev.pgstack.db.replica.Replicas;
import dev.pgstack.db.replica.WalPosition;
import dev.pgstack.problem.DatabaseProblemTypes;
import dev.pgstack.problem.Problem;
import dev.pgstack.problem.ProblemType;
import dev.pgstack.problem.Problems;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalDataSourceMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * {@code /q/db/pool}, {@code /q/db/connections} and {@code /q/db/migrations} on the management interface only
 * (never on the public port), behind HTTP Basic ({@code PGSTACK_ADMIN_USER} / {@code PGSTACK_ADMIN_PASSWORD}).
 */
@ApplicationScoped
public class OperationsEndpoints {

    static final String DATASOURCE = "<default>";

    @Inject
    DatasourceSettings datasource;

    @Inject
    PgstackConfig config;

    @Inject
    Problems problems;

    @Inject
    Instance<AgroalDataSource> dataSource;

    @Inject
    Instance<Pool> reactivePool;

    @Inject
    MeterRegistry registry;

    @Inject
    Replicas replicas;

    @Inject
    Instance<Flyway> flyway;

    @Inject
    PoolMetrics poolMetrics;

    void install(@Observes ManagementInterface management) {
        management.router().get("/q/db/pool").handler(ctx -> guarded(ctx, () -> reply(ctx, pool())));
        management.router().get("/q/db/connections").handler(ctx -> guarded(ctx, () -> connections(ctx)));
        management.router().get("/q/db/migrations").blockingHandler(ctx -> guarded(ctx,
                () -> reply(ctx, migrations())));
    }

    private void guarded(RoutingContext ctx, Runnable action) {
        switch (AdminAccess.check(ctx.request().getHeader("Authorization"), config.admin().user(),
                config.admin().password())) {
            case DISABLED -> problem(ctx, ProblemType.NOT_FOUND, "operations endpoints are disabled: set "
                    + "PGSTACK_ADMIN_PASSWORD to enable them");
            case DENIED -> {
                ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"pgstack operations\", charset=\"UTF-8\"");
                problem(ctx, ProblemType.UNAUTHORIZED, "HTTP Basic credentials of the operations user are required");
            }
            case GRANTED -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    error(ctx, e);
                }
            }
        }
    }

    JsonObject pool() {
        AgroalDataSource ds = dataSource.get();
        AgroalDataSourceMetrics m = ds.getMetrics();
        // the common terms first (PoolReport), then what only Agroal counts
        JsonObject jdbc = PoolReport.of(ds).json()
                .put("min", ds.getConfiguration().connectionPoolConfiguration().minSize())
                .put("active", m.activeCount())
                .put("available", m.availableCount())
                .put("awaiting", m.awaitingCount())
                .put("created", m.creationCount())
                .put("destroyed", m.destroyCount())
                .put("invalidated", m.invalidCount())
                .put("leakDetected", m.leakDetectionCount())
                .put("maxUsed", m.maxUsedCount())
                .put("acquired", m.acquireCount())
                .put("acquireTimeouts", poolMetrics.acquireTimeouts())
                .put("acquisitionTimeoutMs", ds.getConfiguration().connectionPoolConfiguration()
                        .acquisitionTimeout().toMillis())
                .put("blockingTimeMaxMs", m.blockingTimeMax().toMillis());
        JsonObject reactive = PoolReport.of(reactivePool.get(), Replicas.PRIMARY,
                datasource.reactive().maxSize(), registry).json();
        JsonObject answer = new JsonObject().put(DATASOURCE, jdbc.put("reactive", reactive));
        if (replicas.configured()) {
            answer.put("replicas", replicaPools());
        }
        return answer;
    }

    /** Each replica's state, lag and both pools in the same terms, and the reads routed so far per server. */
    private JsonObject replicaPools() {
        JsonObject out = new JsonObject();
        for (ReplicaPool replica : replicas.all()) {
            ReplicaPool.Status status = replica.status();
            out.put(replica.name(), PoolReport.of(replica.pool()).json()
                    .put("server", replica.where())
                    .put("state", replicas.state(replica).name())
                    .put("lagSeconds", Double.isNaN(status.lagSeconds()) ? null : status.lagSeconds())
                    .put("replayed", WalPosition.format(status.replayed()))
                    .put("created", replica.pool().getMetrics().creationCount())
                    .put("reactive", PoolReport.of(replica.reactivePool(), replica.name(),
                            config.replica().poolMaxSize(), registry).json()));
        }
        return new JsonObject().put("maxLagSeconds", config.replica().maxLag().toMillis() / 1000.0)
                .put("servers", out).put("readsByTarget", new JsonObject(new LinkedHashMap<>(
                        replicas.readsByTarget())));
    }

    /** A summary of pg_stat_activity for this database, through the reactive pool (non-blocking). */
    private void connections(RoutingContext ctx) {
        String byName = "SELECT coalesce(application_name, '') AS app, coalesce(state, 'unknown') AS state, "
                + "count(*) AS n FROM pg_stat_activity WHERE datname = current_database() GROUP BY 1, 2 ORDER BY 1, 2";
        String oldest = "SELECT coalesce(extract(epoch FROM max(now() - xact_start)), 0) AS oldest, "
                + "current_setting('max_connections')::int AS max_connections, "
                + "(SELECT count(*) FROM pg_stat_activity) AS server_total, pg_is_in_recovery() AS in_recovery "
                + "FROM pg_stat_activity WHERE datname = current_database() AND xact_start IS NOT NULL "
                + "AND pid <> pg_backend_pid()";
        Pool pool = reactivePool.get();
        pool.query(byName).execute()
                .flatMap(rows -> pool.query(oldest).execute().map(summary -> {
                    JsonObject apps = new JsonObject();
                    long total = 0;
                    for (Row row : rows) {
                        JsonObject app = apps.getJsonObject(row.getString("app"));
                        if (app == null) {
                            app = new JsonObject();
                            apps.put(row.getString("app"), app);
                        }
                        app.put(row.getString("state"), row.getLong("n"));
                        total += row.getLong("n");
                    }
                    Row s = summary.iterator().next();
                    return new JsonObject().put(DATASOURCE, new JsonObject()
                            .put("total", total)
                            .put("byApplication", apps)
                            .put("oldestTransactionSeconds", s.getNumeric("oldest").doubleValue())
                            .put("serverMaxConnections", s.getInteger("max_connections"))
                            .put("serverTotalConnections", s.getLong("server_total"))
                            // false: this pool talks to a primary (after a failover: the promoted one)
                            .put("serverInRecovery", s.getBoolean("in_recovery")));
                }))
                .ifNoItem().after(Duration.ofSeconds(5)).fail()
                .subscribe().with(json -> reply(ctx, json), e -> error(ctx, e));
    }

    JsonObject migrations() {
        var info = flyway.get().info();
        JsonArray applied = new JsonArray();
        for (MigrationInfo m : info.applied()) {
            applied.add(describe(m).put("installedOn", m.getInstalledOn() == null ? null
                    : m.getInstalledOn().toInstant().toString()).put("success", m.getState().isApplied()
                            && !m.getState().isFailed()));
        }
        JsonArray pending = new JsonArray();
        for (MigrationInfo m : info.pending()) {
            pending.add(describe(m));
        }
        MigrationInfo current = info.current();
        return new JsonObject().put(DATASOURCE, new JsonObject()
                .put("current", current == null || current.getVersion() == null ? null
                        : current.getVersion().getVersion())
                .put("applied", applied)
                .put("pending", pending));
    }

    private static JsonObject describe(MigrationInfo m) {
        return new JsonObject()
                .put("version", m.getVersion() == null ? null : m.getVersion().getVersion())
                .put("description", m.getDescription())
                .put("script", m.getScript())
                .put("state", m.getState().getDisplayName());
    }

    private static void reply(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body.encodePrettily());
    }

    private void problem(RoutingContext ctx, ProblemType type, String detail) {
        problems.send(ctx, Problem.of(type, detail, ctx.request().path()));
    }

    private void error(RoutingContext ctx, Throwable e) {
        problems.send(ctx, Problem.of(ProblemType.DATABASE_UNAVAILABLE,
                "the database did not answer: " + DatabaseProblemTypes.reason(e), ctx.request().path()));
    }
}
