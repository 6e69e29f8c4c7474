package dev.pgstack.db.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One translation of environment variables into configuration keys under way: the variables read (the register's,
 * {@link EnvironmentVariable}), the keys written, and the problems found. Problems are collected, not thrown: a config
 * source that throws makes Quarkus die with a stack trace, while {@link #result()} puts them all under
 * {@link DatabaseEnvironment#CONFIG_ERROR}, to be reported in one line at startup.
 */
final class Translation {

    private final Map<String, String> env;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    Translation(Map<String, String> env) {
        this.env = env;
    }

    /** The variable's value without surrounding blanks; null when it is unset or blank. */
    String value(EnvironmentVariable variable) {
        String v = env.get(variable.name());
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** The variable's value exactly as set (a password may begin or end with a blank). */
    String raw(EnvironmentVariable variable) {
        return env.get(variable.name());
    }

    /** Whether any variable of that prefix has a value. */
    boolean hasAny(String prefix) {
        return env.entrySet().stream().anyMatch(e -> e.getKey().startsWith(prefix) && !e.getValue().isBlank());
    }

    void put(String key, String value) {
        keys.put(key, value);
    }

    void problem(String message) {
        problems.add(message);
    }

    /** A whole number between 0 and 10000, or null (unset, or reported). */
    Integer wholeNumber(EnvironmentVariable variable) {
        String text = value(variable);
        if (text == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 0 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problem(variable + " must be a whole number between 0 and 10000");
        return null;
    }

    /** A number of seconds up to a year, fractions allowed, or null (unset, or reported). */
    Duration seconds(EnvironmentVariable variable, boolean negativeAllowed) {
        String text = value(variable);
        if (text == null) {
            return null;
        }
        try {
            BigDecimal secs = new BigDecimal(text);
            if ((negativeAllowed || secs.signum() > 0) && secs.compareTo(BigDecimal.valueOf(31_536_000)) <= 0) {
                return Duration.ofMillis(secs.movePointRight(3).longValue());
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problem(variable + " must be a number of seconds" + (negativeAllowed ? "" : " greater than 0"));
        return null;
    }

    /** The keys written, and every problem joined into one line under {@link DatabaseEnvironment#CONFIG_ERROR}. */
    Map<String, String> result() {
        Map<String, String> out = new LinkedHashMap<>(keys);
        if (!problems.isEmpty()) {
            out.put(DatabaseEnvironment.CONFIG_ERROR, String.join("; ", problems));
        }
        return out;
    }
}
