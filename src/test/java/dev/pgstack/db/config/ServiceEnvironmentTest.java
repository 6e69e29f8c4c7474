package dev.pgstack.db.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {

    @Test
    void environmentSelectsTheProfileOfThePackagedAppOnly() {
        assertEquals("prod", ServiceEnvironment.translate(Map.of("ENVIRONMENT", "production"), true)
                .get("quarkus.profile"));
        assertEquals("dev", ServiceEnvironment.translate(Map.of("ENVIRONMENT", "development"), true)
                .get("quarkus.profile"));
        assertNull(ServiceEnvironment.translate(Map.of("ENVIRONMENT", "production"), false).get("quarkus.profile"));
        assertNull(ServiceEnvironment.translate(Map.of("ENVIRONMENT", "production", "QUARKUS_PROFILE", "x"), true)
                .get("quarkus.profile"));
    }

    @Test
    void anUnknownEnvironmentIsAProblemOnlyWhereItChoosesTheProfile() {
        assertEquals("ENVIRONMENT must be production, development or test", ServiceEnvironment
                .translate(Map.of("ENVIRONMENT", "staging"), true).get(DatabaseEnvironment.CONFIG_ERROR));
        assertEquals(Map.of(), ServiceEnvironment.translate(Map.of("ENVIRONMENT", "staging"), false));
    }

    @Test
    void portSaysWhereTheHttpServerListens() {
        assertEquals("8000", ServiceEnvironment.translate(Map.of("PORT", " 8000 "), false).get("quarkus.http.port"));
        for (String bad : new String[] { "0", "65536", "http", "-80" }) {
            Map<String, String> out = ServiceEnvironment.translate(Map.of("PORT", bad), false);
            assertEquals("PORT must be a number between 1 and 65535", out.get(DatabaseEnvironment.CONFIG_ERROR), bad);
            assertFalse(out.containsKey("quarkus.http.port"), bad);
        }
    }

    @Test
    void theConfigSourceReportsTheProblemsOfTheDatabaseAndOfTheServiceInOneLine() {
        Map<String, String> out = DatabaseEnvironmentConfigSourceFactory.translate(Map.of("DB_POOL_SIZE", "many",
                "PORT", "http", "ENVIRONMENT", "staging"), true, DatabaseEnvironmentTest.SHIPPED_POOL);

        assertEquals("DB_POOL_SIZE must be a whole number between 0 and 10000; PORT must be a number between 1 and "
                + "65535; ENVIRONMENT must be production, development or test",
                out.get(DatabaseEnvironment.CONFIG_ERROR));
    }

    @Test
    void theConfigSourceTranslatesTheServicesVariablesToo() {
        Map<String, String> out = DatabaseEnvironmentConfigSourceFactory.translate(
                Map.of("PORT", "8000", "DB_POOL_SIZE", "7"), false, DatabaseEnvironmentTest.SHIPPED_POOL);

        assertEquals("8000", out.get("quarkus.http.port"));
        assertEquals("7", out.get("quarkus.datasource.jdbc.min-size"));
        assertFalse(DatabaseEnvironment.translate(Map.of("PORT", "8000"), DatabaseEnvironmentTest.SHIPPED_POOL)
                .containsKey("quarkus.http.port"), "not a database matter");
    }
}
