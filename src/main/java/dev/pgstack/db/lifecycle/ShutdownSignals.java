package dev.pgstack.db.lifecycle;

import java.util.List;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;

/**
 * An orchestrator's SIGTERM (and a terminal's Ctrl-C) is a normal stop of the packaged application: run the
 * graceful shutdown (readiness DOWN, delay, drain, close) and exit 0, not the JVM's 143/130, which supervisors
 * read as a crash. Dev mode keeps the JVM's own handling, which also ends the dev-mode process.
 */
final class ShutdownSignals {

    private static final Logger LOG = Logger.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {
    }

    static void exitCleanly() {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    LOG.infof("SIG%s received: shutting down gracefully", name);
                    Quarkus.asyncExit(0);
                });
            } catch (RuntimeException | LinkageError e) {
                LOG.debugf("SIG%s handler not installed (%s): the JVM default applies", name, e.toString());
            }
        }
    }
}
