package dev.pgstack.db.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.pgstack.db.availability.DatabaseAvailability;
import io.quarkus.runtime.Quarkus;

/** How every failure of the startup ends. */
@ApplicationScoped
class StartupExit {

    /** The startup's log lines keep DatabaseStartup's category, as before it was split: filters on it still hold. */
    static final Logger LOG = Logger.getLogger(DatabaseStartup.class);

    @Inject
    DatabaseAvailability availability;

    /**
     * One ERROR line that says why, readiness DOWN with the reason as its status, exit 1.
     * Asynchronous: Quarkus shuts down on its own thread, so the caller returns and stops its work.
     */
    void exit(String status, String format, Object... args) {
        LOG.errorf(format, args);
        availability.stopping(status);
        Quarkus.asyncExit(1);
    }
}
