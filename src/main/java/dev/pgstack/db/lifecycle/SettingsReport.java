package dev.pgstack.db.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.DatasourceSettings;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.config.PrimaryDatabase;
import io.smallrye.config.SmallRyeConfig;

/** The one line logged at startup with the settings in force and where the URL came from; never the password. */
@ApplicationScoped
public class SettingsReport {

    @Inject
    Config config;

    @Inject
    PgstackConfig pgstack;

    @Inject
    PrimaryDatabase primary;

    @Inject
    DatasourceSettings datasource;

    public String line() {
        String where = primary.url().map(u -> u.endpoints().stream().map(DatabaseUrl.Endpoint::toString)
                .collect(java.util.stream.Collectors.joining(",")) + "/" + u.database()).orElse("?/?");
        PgstackConfig.Pool pool = pgstack.pool();
        int jdbcMax = datasource.jdbc().maxSize();
        int reactiveMax = datasource.reactive().maxSize();
        return String.format(
                "Database: %s as user %s (from %s); TLS %s; connections at most %d (JDBC min %d, max %d; reactive "
                        + "max %d); acquisition timeout %s, max lifetime %s, validate after idle %s; "
                        + "application_name %s; profile %s",
                where, datasource.username().orElse("(none)"),
                origin(String.valueOf(config.getConfigValue("quarkus.datasource.jdbc.url").getSourceName())),
                primary.url().map(u -> u.tls().mode().libpqName()).orElse("-"), jdbcMax + reactiveMax,
                datasource.jdbc().minSize(), jdbcMax, reactiveMax, pool.acquisitionTimeout(),
                pool.maxLifetime(), pool.validateAfterIdle(), pgstack.db().applicationName(),
                String.join(",", config.unwrap(SmallRyeConfig.class).getProfiles()));
    }

    /** Where the URL in force came from, in the words a user would set it with. */
    private String origin(String source) {
        if (source.startsWith("pgstack-database-environment")) {
            return pgstack.datasource().origin().orElse("the environment");
        }
        if (source.contains("DefaultValues")) {
            return "the embedded PostgreSQL"; // how the embedded database (dev mode, tests) registers its URL
        }
        if (source.contains("EnvConfigSource")) {
            return "QUARKUS_DATASOURCE_JDBC_URL";
        }
        if (source.contains("SysPropConfigSource")) {
            return "-Dquarkus.datasource.jdbc.url";
        }
        return source;
    }

}
