package dev.pgstack.db.lifecycle;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.pgstack.db.config.RunMode;

/**
 * The settings checked before anything connects (the variables' own problems, and db.config.SettingsValidation's
 * rules, as RunMode reports them): unusable ones end the process with one line that says why.
 */
@ApplicationScoped
class StartupChecks {

    @Inject
    RunMode runMode;

    @Inject
    StartupExit exit;

    /** Whether the settings are usable; when not, the process is already exiting (exit code 1). */
    boolean configured() {
        Optional<String> error = runMode.configurationError();
        if (error.isPresent()) {
            // One line that says what to set, then exit 1: no stack trace from deep inside Agroal or Hibernate.
            exit.exit("not configured", "pgstack cannot start: %s", error.get());
            return false;
        }
        return true;
    }
}
