package dev.pgstack.db.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.pgstack.db.config.PgstackConfig;

/** Behind PgBouncer the timeouts cannot travel with the connection; without them on the role, say so once. */
@ApplicationScoped
class PgBouncerTimeouts {

    @Inject
    PgstackConfig config;

    void warnWithoutTimeouts(Connection connection) throws SQLException {
        try (var st = connection.createStatement();
                var rs = st.executeQuery("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")) {
            rs.next();
            if ("0".equals(rs.getString(1)) || "0".equals(rs.getString(2))) {
                StartupExit.LOG.warnf("Behind PgBouncer (pgbouncer=true) statement_timeout is %s and lock_timeout %s: "
                        + "set them on the role (ALTER ROLE ... SET statement_timeout = '%dms', lock_timeout = '%dms')",
                        rs.getString(1), rs.getString(2), config.db().statementTimeoutMs(),
                        config.db().lockTimeoutMs());
            }
        }
    }
}
