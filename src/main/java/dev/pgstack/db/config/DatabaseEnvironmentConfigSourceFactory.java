package dev.pgstack.db.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.ExecutionMode;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Offers the Python/PaaS environment variables ({@link EnvironmentVariable}: DATABASE_URL, POSTGRES_*, DB_POOL_*,
 * SQL_ECHO, PORT, ...) as Quarkus configuration, through a source of ordinal 275: above application.properties (250)
 * and the embedded database (270), so that they replace the profile defaults; below real environment variables (300)
 * and system properties (400), so that an explicit QUARKUS_DATASOURCE_* setting always wins. Registered through ServiceLoader, so it also
 * works in a native image.
 *
 * <p>It offers nothing while the application is being built (or statically initialised, which for a native image
 * happens at build time): Quarkus records the build's configuration into the artifact, and a DATABASE_URL with its
 * password must never end up there.
 *
 * <p>In the packaged application (prod) without any database URL, or with a bad one, it switches Hibernate ORM and
 * Flyway off and leaves the one-line explanation to {@link dev.pgstack.db.lifecycle.DatabaseStartup}, instead of letting Hibernate fail
 * with a long stack trace.
 */
public class DatabaseEnvironmentConfigSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 275;
    static final String NO_DATABASE = "no database configured. Set DATABASE_URL "
            + "(postgresql://user:password@host:5432/database), or POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, "
            + "POSTGRES_USER and POSTGRES_PASSWORD, or QUARKUS_DATASOURCE_JDBC_URL with QUARKUS_DATASOURCE_USERNAME "
            + "and QUARKUS_DATASOURCE_PASSWORD";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ExecutionMode mode = ExecutionMode.current();
        if (mode != ExecutionMode.RUNTIME_INIT && mode != ExecutionMode.RUNNING) {
            return List.of();
        }
        boolean packaged = LaunchMode.current() == LaunchMode.NORMAL;
        Map<String, String> properties = translate(variables(context), packaged, configuredPool(context));
        if (packaged && !properties.containsKey(DatabaseEnvironment.CONFIG_ERROR)
                && !properties.containsKey("quarkus.datasource.jdbc.url")) {
            ConfigValue url = context.getValue("quarkus.datasource.jdbc.url");
            if (url == null || url.getValue() == null || url.getValue().isBlank()) {
                properties.put(DatabaseEnvironment.CONFIG_ERROR, NO_DATABASE);
            }
        }
        return List.of(source(properties));
    }

    /**
     * The database's keys and the service's (PORT, ENVIRONMENT), the problems of both in one line.
     *
     * @param packaged whether ENVIRONMENT may choose the profile ({@link ServiceEnvironment#translate})
     */
    static Map<String, String> translate(Map<String, String> env, boolean packaged,
            DatabaseEnvironment.PoolSizes configured) {
        Translation translation = new Translation(env);
        DatabaseEnvironment.translate(translation, configured);
        ServiceEnvironment.translate(translation, packaged);
        return translation.result();
    }

    /**
     * The register's variables ({@link EnvironmentVariable}) as Quarkus sees them: the real environment, then a
     * {@code .env} file in the working directory below it (Quarkus reads that file as an environment source of lower
     * ordinal).
     */
    static Map<String, String> variables(ConfigSourceContext context) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvironmentVariable variable : EnvironmentVariable.values()) {
            ConfigValue value = context.getValue(variable.name());
            if (value != null && value.getValue() != null) {
                env.put(variable.name(), value.getValue());
            }
        }
        return env;
    }

    /**
     * The JDBC pool's minimum and the budget of both pools as application.properties (their defaults' one home,
     * which always sets them) or a higher source sets them.
     */
    static DatabaseEnvironment.PoolSizes configuredPool(ConfigSourceContext context) {
        return new DatabaseEnvironment.PoolSizes(number(context, "quarkus.datasource.jdbc.min-size"),
                number(context, "quarkus.datasource.jdbc.max-size")
                        + number(context, "quarkus.datasource.reactive.max-size"));
    }

    /** 0 for a key that is missing or malformed: SettingsValidation and Quarkus report those themselves. */
    private static int number(ConfigSourceContext context, String key) {
        ConfigValue value = context.getValue(key);
        try {
            return value == null || value.getValue() == null ? 0 : Integer.parseInt(value.getValue().strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static ConfigSource source(Map<String, String> properties) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        if (all.containsKey(DatabaseEnvironment.CONFIG_ERROR)) {
            all.put("quarkus.hibernate-orm.active", "false");
            all.put("quarkus.flyway.active", "false");
            all.put("quarkus.shutdown.delay", "0S"); // nothing to drain: exit at once
        }
        return new MapBackedConfigSource("pgstack-database-environment", all, ORDINAL) {
        };
    }
}
