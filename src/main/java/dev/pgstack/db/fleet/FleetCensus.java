package dev.pgstack.db.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.DatasourceSettings;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.config.PrimaryDatabase;
import dev.pgstack.db.config.RunMode;
import dev.pgstack.db.connection.ConnectionPolicy;
import dev.pgstack.db.connection.ConnectionSlots;
import dev.pgstack.db.sql.DatabaseFailure;
import dev.pgstack.db.tasks.BackgroundTasks;
import dev.pgstack.db.tasks.Task;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Instances scaled out in front of one server share it: every few seconds each one counts, on a session of its
 * own named {@code <application name>-fleet} (which is also how the others count it), how many instances there
 * are and how many connections the server leaves them, and sizes its primary pools to its share
 * ({@link FleetShare}, applied by {@link ConnectionSlots}). When instances leave, their sessions end with them and
 * the others grow back at the next count. Not behind PgBouncer (the pooler owns the server's connections and
 * multiplexes many clients onto them), nor with {@code DB_FLEET_SHARE=false}.
 */
@ApplicationScoped
public class FleetCensus {

    private static final Logger LOG = Logger.getLogger(FleetCensus.class);
    private static final String CENSUS_SUFFIX = "-fleet";

    /**
     * Client sessions only (walsenders, autovacuum and the server's own processes take no client slot). Another
     * role's session shows no backend type without pg_read_all_stats, but shows its role: counted as a client.
     */
    private static final String COUNT = """
            SELECT current_setting('max_connections')::int,
                   current_setting('superuser_reserved_connections')::int
                       + coalesce(nullif(current_setting('reserved_connections', true), ''), '0')::int,
                   count(*) FILTER (WHERE application_name = ?),
                   count(*) FILTER (WHERE application_name IS DISTINCT FROM ?)
              FROM pg_stat_activity
             WHERE backend_type = 'client backend' OR (backend_type IS NULL AND usesysid IS NOT NULL)""";

    @Inject
    PgstackConfig config;

    @Inject
    DatasourceSettings datasource;

    @Inject
    RunMode runMode;

    @Inject
    PrimaryDatabase primary;

    @Inject
    ConnectionPolicy policy;

    @Inject
    ConnectionSlots slots;

    @Inject
    BackgroundTasks tasks;

    private Task timer;
    private DatabaseUrl url;
    private Connection session;
    private FleetShare last;

    void onStart(@Observes StartupEvent event) {
        url = primary.url().orElse(null);
        if (runMode.isCommand() || !config.pool().fleetShare() || url == null || url.pgbouncer()) {
            return;
        }
        timer = tasks.every("fleet-census", config.pool().fleetCountInterval(), this::count);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.stop(java.time.Duration.ofSeconds(2)); // its last count ends before its session closes
            Connection c = session;
            session = null;
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // already broken
                }
            }
        }
    }

    /** The name every instance's census session has: the pools' name and a suffix. */
    String censusName() {
        return policy.session().applicationName() + CENSUS_SUFFIX;
    }

    void count() {
        try {
            if (session == null) {
                session = policy.taskConnection(url, CENSUS_SUFFIX);
            }
            FleetShare share = FleetShare.of(census(), datasource.jdbc().maxSize(), datasource.reactive().maxSize());
            slots.share(share.jdbc(), share.reactive());
            report(share);
        } catch (SQLException | RuntimeException e) {
            // the last share stays: a server that does not answer a count has not grown
            LOG.debugf("Fleet count failed: %s", DatabaseFailure.describe(e));
            abort();
        }
    }

    private FleetShare.Census census() throws SQLException {
        try (PreparedStatement st = session.prepareStatement(COUNT)) {
            st.setString(1, censusName());
            st.setString(2, policy.session().applicationName());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new FleetShare.Census(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4));
            }
        }
    }

    /** Logs the share when the number of instances, or what the server leaves them, changes. */
    private void report(FleetShare share) {
        FleetShare was = last;
        last = share;
        if (was != null && was.instances() == share.instances() && was.total() == share.total()) {
            return;
        }
        int budget = datasource.jdbc().maxSize() + datasource.reactive().maxSize();
        if (share.total() < budget) {
            LOG.infof("Fleet: %d instances named %s share %d connections of the server: this one's pools hold at "
                    + "most %d (JDBC) + %d (reactive) of their budget of %d", share.instances(),
                    policy.session().applicationName(), share.usable(), share.jdbc(), share.reactive(), budget);
        } else if (was != null) {
            LOG.infof("Fleet: %d instances named %s, %d connections of the server: this one's pools have their "
                    + "whole budget of %d again", share.instances(), policy.session().applicationName(),
                    share.usable(), budget);
        }
    }

    private void abort() {
        Connection c = session;
        session = null;
        if (c != null) {
            try {
                c.abort(Runnable::run); // no goodbye: a plain close could wait on a network that swallows packets
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }
}
