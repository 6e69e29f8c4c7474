package dev.pgstack.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class OneLineLogsTest {

    private static ExtLogRecord uncaught(IllegalStateException e) {
        ExtLogRecord record = new ExtLogRecord(org.jboss.logmanager.Level.ERROR,
                "Uncaught exception received by Vert.x", ExtLogRecord.FormatStyle.NO_FORMAT, "test");
        record.setLoggerName("io.quarkus.vertx.core.runtime.VertxCoreRecorder");
        record.setThrown(e);
        return record;
    }

    private static IllegalStateException completedTwice(String inClass) {
        IllegalStateException e = new IllegalStateException("Result is already complete");
        e.setStackTrace(new StackTraceElement[] { new StackTraceElement("io.vertx.core.Promise", "complete", null, 1),
                new StackTraceElement(inClass, "lambda$connect$1", null, 2) });
        return e;
    }

    @Test
    void theReactivePoolsKnownDoubleCompletionIsAWarningNotAnError() {
        ExtLogRecord record = uncaught(completedTwice("io.vertx.sqlclient.impl.pool.SqlConnectionPool$1"));
        assertTrue(new OneLineLogs().isLoggable(record));
        assertEquals(Level.WARNING, record.getLevel());
        assertTrue(record.getMessage().contains("vertx-sql-client#1706"), record.getMessage());
        assertNull(record.getThrown());
    }

    @Test
    void anyOtherIllegalStateStaysAnErrorWithItsClassChain() {
        ExtLogRecord record = uncaught(completedTwice("dev.pgstack.chat.ConversationService"));
        assertTrue(new OneLineLogs().isLoggable(record));
        assertEquals(org.jboss.logmanager.Level.ERROR, record.getLevel());
        assertTrue(record.getMessage().endsWith("[IllegalStateException]"), record.getMessage());
    }
}
