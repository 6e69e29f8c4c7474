package dev.pgstack.db.sql;

/** User text inside a LIKE pattern: {@code %} and {@code _} match themselves (used with {@code escape '\'}). */
public final class LikePatterns {

    private LikePatterns() {
    }

    public static String escape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
