package dev.pgstack.db.config;

import static dev.pgstack.db.config.EnvironmentVariable.ENVIRONMENT;
import static dev.pgstack.db.config.EnvironmentVariable.PORT;
import static dev.pgstack.db.config.EnvironmentVariable.QUARKUS_PROFILE;

import java.util.Locale;
import java.util.Map;

/**
 * Translates the environment variables of PaaS deployments that concern the service rather than its database into
 * Quarkus keys: PORT (where to listen) and ENVIRONMENT (the profile). A pure function of the environment, like
 * {@link DatabaseEnvironment}, whose config source reports the problems of both in its one line. The variables are
 * registered in {@link EnvironmentVariable}.
 */
public final class ServiceEnvironment {

    private ServiceEnvironment() {
    }

    /**
     * @param profileFromEnvironment whether ENVIRONMENT may choose the profile: only for the packaged application,
     *        never in dev mode or tests, whose profile Quarkus owns
     */
    public static Map<String, String> translate(Map<String, String> env, boolean profileFromEnvironment) {
        Translation translation = new Translation(env);
        translate(translation, profileFromEnvironment);
        return translation.result();
    }

    /** Adds the service's keys and problems to {@code translation} (which may hold others'). */
    static void translate(Translation translation, boolean profileFromEnvironment) {
        httpPort(translation);
        if (profileFromEnvironment) {
            profile(translation);
        }
    }

    /** PaaS platforms say where to listen with PORT; QUARKUS_HTTP_PORT (a higher source) still wins. */
    private static void httpPort(Translation t) {
        String port = t.value(PORT);
        if (port == null) {
            return;
        }
        if (SettingRules.port(port).isEmpty()) {
            t.problem("PORT must be a number between 1 and 65535");
        } else {
            t.put("quarkus.http.port", port);
        }
    }

    /** ENVIRONMENT in the words Python services use for it; QUARKUS_PROFILE, when set, is left to choose. */
    private static void profile(Translation t) {
        String environment = t.value(ENVIRONMENT);
        if (environment == null || t.value(QUARKUS_PROFILE) != null) {
            return;
        }
        String profile = switch (environment.toLowerCase(Locale.ROOT)) {
            case "production", "prod" -> "prod";
            case "development", "dev", "local" -> "dev";
            case "test", "testing" -> "test";
            default -> null;
        };
        if (profile == null) {
            t.problem("ENVIRONMENT must be production, development or test");
        } else {
            t.put("quarkus.profile", profile);
        }
    }
}
