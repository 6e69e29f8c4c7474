package dev.pgstack.db.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The few Quarkus datasource keys that pgstack reads back: where the primary is and who connects. Whatever set them
 * (DATABASE_URL through {@link DatabaseEnvironment}, QUARKUS_DATASOURCE_*, the embedded server), they arrive here.
 */
@ConfigMapping(prefix = "quarkus.datasource")
public interface DatasourceSettings {

    Optional<String> username();

    Optional<String> password();

    Jdbc jdbc();

    Reactive reactive();

    interface Jdbc {
        Optional<String> url();

        java.util.OptionalInt minSize();

        java.util.OptionalInt maxSize();
    }

    interface Reactive {
        java.util.OptionalInt maxSize();
    }
}
