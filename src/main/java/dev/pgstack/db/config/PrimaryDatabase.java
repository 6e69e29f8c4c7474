package dev.pgstack.db.config;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The primary's connection facts, parsed once: its hosts, database, credentials and URL parameters (TLS among
 * them), whether it is PgBouncer. Every connection pgstack opens beside Quarkus's own pool starts from here.
 */
@ApplicationScoped
public class PrimaryDatabase {

    private final Optional<DatabaseUrl> url;

    @Inject
    public PrimaryDatabase(DatasourceSettings datasource, PgstackConfig config) {
        this(parse(datasource, config.db().pgbouncer()));
    }

    PrimaryDatabase(Optional<DatabaseUrl> url) {
        this.url = url;
    }

    /** Empty when no URL is configured or it cannot be read (startup then says why and exits). */
    public Optional<DatabaseUrl> url() {
        return url;
    }

    static Optional<DatabaseUrl> parse(DatasourceSettings datasource, boolean pgbouncer) {
        try {
            DatabaseUrl parsed = DatabaseUrl.parse("quarkus.datasource.jdbc.url",
                    datasource.jdbc().url().orElse(""));
            return Optional.of(new DatabaseUrl(parsed.endpoints(), parsed.database(),
                    datasource.username().orElse(parsed.user()), datasource.password().orElse(parsed.password()),
                    parsed.parameters(), pgbouncer || parsed.pgbouncer()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
