package dev.pgstack.db;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Offers the Python/PaaS environment variables (DATABASE_URL, POSTGRES_*, DB_POOL_*, SQL_ECHO, ...) as Quarkus
 * configuration. Ordinal 275: above application.properties (250) and the embedded database (270), so that they
 * replace the profile defaults; below real environment variables (300) and system properties (400), so that an
 * explicit QUARKUS_DATASOURCE_* setting always wins. Registered through ServiceLoader, so it also works natively.
 */
public class DatabaseEnvironmentConfigSource implements ConfigSource {

    static final int ORDINAL = 275;

    private final Map<String, String> properties;

    public DatabaseEnvironmentConfigSource() {
        this(System.getenv(), io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.NORMAL);
    }

    DatabaseEnvironmentConfigSource(Map<String, String> env, boolean packaged) {
        this.properties = Map.copyOf(DatabaseEnvironment.translate(env, packaged));
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "pgstack-database-environment";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
