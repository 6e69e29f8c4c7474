package dev.pgstack.web.errors;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.problem.Problems;

/**
 * Makes the one {@link Problems} bean with {@code pgstack.retry-after-seconds}: the problem package reads no
 * configuration of its own, so that nothing in it imports the database layer's configuration.
 */
@Singleton
public class ProblemsFromConfig {

    /** Read at each answer: the configuration is not there yet when the request filters are made. */
    @Inject
    Provider<PgstackConfig> config;

    @Produces
    @Singleton
    Problems problems() {
        return new Problems(() -> config.get().retryAfterSeconds());
    }
}
