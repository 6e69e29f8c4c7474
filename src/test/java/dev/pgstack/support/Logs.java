package dev.pgstack.support;

/**
 * What the packaged application's output says, whichever format it is in: plain lines, or the JSON lines of the
 * prod profile (quarkus-logging-json), where a stack trace would be an "exception" object or escaped tabs.
 */
public final class Logs {

    private Logs() {
    }

    public static boolean hasStackTrace(String log) {
        return log.contains("\tat ") || log.contains("\\tat ") || log.contains("\"exception\"")
                || log.contains("\"frames\"");
    }

    public static boolean hasWarningOrError(String log) {
        return log.contains(" WARN ") || log.contains(" ERROR ") || log.contains("\"level\":\"WARN")
                || log.contains("\"level\":\"ERROR");
    }

    /** Whether the output is JSON lines (one object per record). */
    public static boolean isJson(String log) {
        return log.lines().anyMatch(l -> l.startsWith("{\"timestamp\""));
    }
}
