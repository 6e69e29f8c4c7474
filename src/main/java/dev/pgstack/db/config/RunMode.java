package dev.pgstack.db.config;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * What this process is for, decided here once from the configuration and asked by every part that starts work of
 * its own: the service; a command of the packaged application ({@code migrate}, {@code info}, ...; PgstackMain sets
 * it before Quarkus starts), which runs instead of the service's startup, watchers and replica pools; or neither,
 * because the database settings are unusable (the config source's one-line report), when nothing connects and the
 * process exits 1.
 */
@Singleton
public class RunMode {

    private final Optional<String> command;
    private final Optional<String> configurationError;

    @Inject
    RunMode(PgstackConfig config) {
        this(config.command(), config.datasource().configError());
    }

    RunMode(Optional<String> command, Optional<String> configurationError) {
        this.command = command;
        this.configurationError = configurationError;
    }

    /** Whether a command of the packaged application runs instead of the service. */
    public boolean isCommand() {
        return command.isPresent();
    }

    /** What is wrong with the database settings, in one line; empty when they can be used. */
    public Optional<String> configurationError() {
        return configurationError;
    }

    /** Whether the database settings are unusable: no pool was ever active, and the process exits 1. */
    public boolean isMisconfigured() {
        return configurationError.isPresent();
    }

    /** Whether this process serves requests: the service, with database settings it can use. */
    public boolean serves() {
        return !isCommand() && !isMisconfigured();
    }
}
