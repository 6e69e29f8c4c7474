package dev.pgstack.db.config;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * What this process is for, decided here once from the configuration and asked by every part that starts work of
 * its own: the service; a command of the packaged application ({@code migrate}, {@code info}, ...; PgstackMain sets
 * it before Quarkus starts), which runs instead of the service's startup, watchers and replica pools; or neither,
 * because the database settings are unusable (the config source's one-line report, or a rule of
 * {@link SettingsValidation} broken), when nothing connects and the process exits 1.
 */
@Singleton
public class RunMode {

    private final Optional<String> command;
    private final Optional<String> configurationError;
    private final List<String> warnings;

    @Inject
    RunMode(PgstackConfig config, DatasourceSettings datasource) {
        this(config.command(), config.datasource().configError(),
                SettingsValidation.check(SettingsValidation.Settings.of(config, datasource)));
    }

    RunMode(Optional<String> command, Optional<String> configurationError) {
        this(command, configurationError, new SettingsValidation.Verdict(List.of(), List.of()));
    }

    RunMode(Optional<String> command, Optional<String> configurationError, SettingsValidation.Verdict rules) {
        this.command = command;
        // the variables' own problem first (without it the values checked may not be the ones meant)
        this.configurationError = configurationError.isPresent() || rules.problems().isEmpty() ? configurationError
                : Optional.of(String.join("; ", rules.problems()));
        this.warnings = rules.warnings();
    }

    /** What works but not as a user would expect, for the startup log. */
    public List<String> warnings() {
        return warnings;
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
