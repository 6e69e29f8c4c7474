package dev.pgstack.runtime;

import java.sql.SQLException;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * In production every log record is one line: a record that carries an exception (ours, Narayana's, Netty's,
 * Vert.x's) keeps its message and gets the exception's class chain and SQLSTATE appended instead of a stack
 * trace. Exception messages are left out on purpose: drivers and ORMs put SQL text and values in them. DEBUG
 * records keep their stack traces for whoever switches DEBUG on. Enabled by {@code quarkus.log.console.filter}.
 */
@LoggingFilter(name = "pgstack-one-line")
public final class OneLineLogs implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (thrown == null || record.getLevel().intValue() < Level.INFO.intValue()) {
            return true;
        }
        ExtLogRecord ext = ExtLogRecord.wrap(record);
        if (isPooledConnectionClosedTwice(ext, thrown)) {
            // an upstream bug, not an error of pgstack: a failover must not page anyone
            ext.setLevel(Level.WARNING);
            ext.setMessage("A pooled reactive connection was completed twice while it failed "
                    + "(eclipse-vertx/vertx-sql-client#1706); harmless, the pool discarded it",
                    ExtLogRecord.FormatStyle.NO_FORMAT);
            ext.setParameters(null);
            ext.setThrown(null);
            return true;
        }
        String message = ext.getFormattedMessage();
        ext.setMessage((message == null ? "" : message) + " [" + summary(thrown) + "]",
                ExtLogRecord.FormatStyle.NO_FORMAT);
        ext.setParameters(null);
        ext.setThrown(null);
        return true;
    }

    /**
     * Vert.x's SqlConnectionPool completes a failed connection's promise twice when the server goes away under it
     * (eclipse-vertx/vertx-sql-client#1706, open): Quarkus logs the second completion's IllegalStateException as an
     * uncaught ERROR on every failover. Recognised by its message and by the pool in its stack, nothing wider.
     */
    static boolean isPooledConnectionClosedTwice(ExtLogRecord record, Throwable thrown) {
        if (!(thrown instanceof IllegalStateException) || !"Result is already complete".equals(thrown.getMessage())
                || record.getLoggerName() == null || !record.getLoggerName().startsWith("io.quarkus.vertx")) {
            return false;
        }
        for (StackTraceElement frame : thrown.getStackTrace()) {
            if (frame.getClassName().startsWith("io.vertx.sqlclient.impl.pool.SqlConnectionPool")) {
                return true;
            }
        }
        return false;
    }

    /** "HeuristicMixedException < XAException" or "PSQLException SQLSTATE 08006", at most five deep. */
    static String summary(Throwable thrown) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t = thrown; t != null && depth < 5; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (depth > 0) {
                out.append(" < ");
            }
            out.append(t.getClass().getSimpleName());
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                out.append(" SQLSTATE ").append(sql.getSQLState());
            }
        }
        return out.toString();
    }
}
