package dev.pgstack.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The log records of a running test application, formatted as "category message": from the start of each test
 * to its end when registered as an extension ({@code @RegisterExtension}), or between {@link #start()} and
 * {@link #stop()}.
 */
public final class LogCapture extends Handler implements BeforeEachCallback, AfterEachCallback {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    public LogCapture start() {
        lines.clear();
        Logger.getLogger("").addHandler(this);
        return this;
    }

    public void stop() {
        Logger.getLogger("").removeHandler(this);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public void clear() {
        lines.clear();
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (record.getParameters() != null && record.getParameters().length > 0) {
            try {
                message = String.format(message, record.getParameters());
            } catch (RuntimeException e) {
                message = message + " " + java.util.Arrays.toString(record.getParameters());
            }
        }
        lines.add(record.getLoggerName() + " " + message);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
