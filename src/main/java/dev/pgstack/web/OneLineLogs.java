package dev.pgstack.web;

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
        String message = ext.getFormattedMessage();
        ext.setMessage((message == null ? "" : message) + " [" + summary(thrown) + "]",
                ExtLogRecord.FormatStyle.NO_FORMAT);
        ext.setParameters(null);
        ext.setThrown(null);
        return true;
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
