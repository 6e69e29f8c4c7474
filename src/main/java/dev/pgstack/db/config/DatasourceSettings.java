package dev.pgstack.db.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The few Quarkus datasource keys that pgstack reads back: where the primary is, who connects, and the pools' sizes.
 * Whatever set them (DATABASE_URL through {@link DatabaseEnvironment}, QUARKUS_DATASOURCE_*, the embedded server),
 * they arrive here. The pool sizes' defaults have one home, application.properties, which always sets them.
 */
@ConfigMapping(prefix = "quarkus.datasource")
public interface DatasourceSettings {

    Optional<String> username();

    Optional<String> password();

    Jdbc jdbc();

    Reactive reactive();

    interface Jdbc {
        Optional<String> url();

        int minSize();

        int maxSize();
    }

    interface Reactive {
        int maxSize();
    }
}
