package dev.pgstack.db.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.PgstackConfig;
import io.smallrye.config.SmallRyeConfig;

/** The one line logged at startup with the settings in force and where the URL came from; never the password. */
@ApplicationScoped
public class SettingsReport {

    @Inject
    Config config;

    @Inject
    PgstackConfig pgstack;

    public String line() {
        String url = value("quarkus.datasource.jdbc.url");
        String where = "?/?";
        try {
            DatabaseUrl parsed = DatabaseUrl.parse("quarkus.datasource.jdbc.url", url);
            where = parsed.host() + ":" + parsed.port() + "/" + parsed.database();
        } catch (IllegalArgumentException e) {
            // not a URL we understand: the pool will say why it cannot connect
        }
        return String.format(
                "Database: %s as user %s (from %s); pool min %s, max %s, acquisition timeout %s, max lifetime %s, "
                        + "validate on borrow %s, after idle %s; application_name %s; profile %s",
                where, config.getOptionalValue("quarkus.datasource.username", String.class).orElse("(none)"),
                origin(String.valueOf(config.getConfigValue("quarkus.datasource.jdbc.url").getSourceName())),
                value("quarkus.datasource.jdbc.min-size"), value("quarkus.datasource.jdbc.max-size"),
                value("quarkus.datasource.jdbc.acquisition-timeout"), value("quarkus.datasource.jdbc.max-lifetime"),
                value("quarkus.datasource.jdbc.validate-on-borrow"),
                value("quarkus.datasource.jdbc.foreground-validation-interval"),
                value("quarkus.datasource.jdbc.additional-jdbc-properties.ApplicationName"),
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

    String value(String key) {
        return config.getOptionalValue(key, String.class).orElse("-");
    }
}
