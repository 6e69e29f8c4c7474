package dev.pgstack.web.input;

import java.math.BigDecimal;
import java.util.regex.Pattern;

import dev.pgstack.problem.ApiException;

/**
 * Parses path and query parameters by hand: JAX-RS answers 404 when a query parameter does not convert, and the
 * contract wants 400 with the parameter's name.
 */
public final class Params {

    private Params() {
    }

    /** Plain ASCII digits, no sign, no leading zero: "+12", "012" and Arabic-Indic digits are not ids. */
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Pattern WHOLE = Pattern.compile("0|[1-9][0-9]{0,9}");
    private static final Pattern DECIMAL = Pattern.compile(
            "(0|[1-9][0-9]{0,11})(\\.[0-9]{1,2})?");

    /** A positive 64-bit id from the path. */
    public static long positiveId(String name, String raw) {
        try {
            long id = raw != null && ID.matcher(raw).matches() ? Long.parseLong(raw) : 0;
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest(name, "must be a positive 64-bit integer");
    }

    public static int intInRange(String name, String raw, int min, int max, int fallback) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = WHOLE.matcher(raw).matches() ? Integer.parseInt(raw) : Integer.MIN_VALUE;
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest(name, "must be an integer between " + min + " and " + max);
    }

    public static Integer optionalIntInRange(String name, String raw, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        return intInRange(name, raw, min, max, 0);
    }

    public static BigDecimal optionalDecimal(String name, String raw, BigDecimal min) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            if (!DECIMAL.matcher(raw).matches()) {
                throw new NumberFormatException();
            }
            BigDecimal value = new BigDecimal(raw);
            if (value.compareTo(min) >= 0 && value.precision() - value.scale() <= 10 && value.scale() <= 2) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest(name, "must be a number >= " + min.toPlainString()
                + " with at most 10 integer digits and 2 decimals");
    }

    public static Boolean optionalBoolean(String name, String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        return switch (raw) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> throw ApiException.badRequest(name, "must be true or false");
        };
    }
}
