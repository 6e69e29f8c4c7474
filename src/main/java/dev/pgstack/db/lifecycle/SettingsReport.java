package dev.pgstack.db.lifecycle;

import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.DatasourceSettings;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.config.PrimaryDatabase;
import io.smallrye.config.DefaultValuesConfigSource;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SysPropConfigSource;

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
                .collect(Collectors.joining(",")) + "/" + u.database()).orElse("?/?");
        PgstackConfig.Pool pool = pgstack.pool();
        int jdbcMax = datasource.jdbc().maxSize();
        int reactiveMax = datasource.reactive().maxSize();
        return String.format(
                "Database: %s as user %s (from %s); TLS %s; connections at most %d (JDBC min %d, max %d; reactive "
                        + "max %d); acquisition timeout %s, max lifetime %s, validate after idle %s; "
                        + "application_name %s; profile %s",
                where, datasource.username().orElse("(none)"),
                origin(config.getConfigValue("quarkus.datasource.jdbc.url").getSourceName(), config.getConfigSources(),
                        pgstack.datasource().origin()),
                primary.url().map(u -> u.tls().mode().libpqName()).orElse("-"), jdbcMax + reactiveMax,
                datasource.jdbc().minSize(), jdbcMax, reactiveMax, pool.acquisitionTimeout(),
                pool.maxLifetime(), pool.validateAfterIdle(), pgstack.db().applicationName(),
                String.join(",", config.unwrap(SmallRyeConfig.class).getProfiles()));
    }

    /**
     * Where the URL in force came from, in the words a user would set it with. The source is told by its type,
     * SmallRye Config's public source classes (a rename fails the build), not by the name SmallRye gives it; that
     * Quarkus registers the environment, the system properties and the embedded database's URL through these types
     * is checked by SettingsReportTest.
     */
    static String origin(String sourceName, Iterable<ConfigSource> sources, Optional<String> environmentOrigin) {
        if (sourceName == null) {
            return "null";
        }
        if (sourceName.startsWith("pgstack-database-environment")) { // pgstack's own (db.config)
            return environmentOrigin.orElse("the environment");
        }
        ConfigSource source = null;
        for (ConfigSource s : sources) {
            if (sourceName.equals(s.getName())) {
                source = s;
                break;
            }
        }
        if (source instanceof DefaultValuesConfigSource) {
            return "the embedded PostgreSQL"; // how the embedded database (dev mode, tests) registers its URL
        }
        if (source instanceof EnvConfigSource) {
            return "QUARKUS_DATASOURCE_JDBC_URL";
        }
        if (source instanceof SysPropConfigSource) {
            return "-Dquarkus.datasource.jdbc.url";
        }
        return sourceName;
    }

}
