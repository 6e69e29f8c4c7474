package dev.pgstack.db.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.DefaultValuesConfigSource;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SysPropConfigSource;

/**
 * Where the startup line says the URL came from rests on which SmallRye Config source type Quarkus resolves each
 * kind of setting through (docs/upgrading.md): checked here on the application's real configuration, so that a
 * Quarkus or SmallRye upgrade that changes them fails a test instead of the line quietly naming an internal source.
 */
@QuarkusTest
class SettingsReportTest {

    @Inject
    SettingsReport settings;

    @Inject
    Config config;

    /** The test profile's URL is the embedded PostgreSQL's, registered as a run-time default. */
    @Test
    void theEmbeddedDatabasesUrlIsReportedAsSuch() {
        assertTrue(settings.line().contains("(from the embedded PostgreSQL)"), settings.line());
    }

    /** A system property and an environment variable resolve through SmallRye's own source types. */
    @Test
    void systemPropertiesAndTheEnvironmentResolveThroughSmallRyesSourceTypes() {
        assertEquals(SysPropConfigSource.class, sourceOf("java.version").getClass());
        String variable = System.getenv().containsKey("PATH") ? "PATH" : System.getenv().keySet().iterator().next();
        assertEquals(EnvConfigSource.class, sourceOf(variable).getClass());
        assertEquals("-Dquarkus.datasource.jdbc.url", SettingsReport.origin(
                config.getConfigValue("java.version").getSourceName(), config.getConfigSources(), Optional.empty()));
        assertEquals("QUARKUS_DATASOURCE_JDBC_URL", SettingsReport.origin(
                config.getConfigValue(variable).getSourceName(), config.getConfigSources(), Optional.empty()));
    }

    @Test
    void eachSourceTypeIsNamedInTheUsersWords() {
        List<ConfigSource> sources = List.of(new EnvConfigSource(Map.of("X", "1"), 300), new SysPropConfigSource(),
                new DefaultValuesConfigSource(Map.of(), "defaults", Integer.MIN_VALUE));
        assertEquals("QUARKUS_DATASOURCE_JDBC_URL", SettingsReport.origin(sources.get(0).getName(), sources,
                Optional.empty()));
        assertEquals("-Dquarkus.datasource.jdbc.url", SettingsReport.origin(sources.get(1).getName(), sources,
                Optional.empty()));
        assertEquals("the embedded PostgreSQL", SettingsReport.origin("defaults", sources, Optional.empty()));
        assertEquals("DATABASE_URL", SettingsReport.origin("pgstack-database-environment", sources,
                Optional.of("DATABASE_URL")));
        assertEquals("application.properties", SettingsReport.origin("application.properties", sources,
                Optional.empty()));
    }

    private ConfigSource sourceOf(String property) {
        String name = config.getConfigValue(property).getSourceName();
        assertNotNull(name, property + " has no source");
        for (ConfigSource source : config.getConfigSources()) {
            if (name.equals(source.getName())) {
                return source;
            }
        }
        throw new AssertionError("no source named " + name);
    }
}
