package dev.pgstack.web.input;

/** Regular expressions shared by the request records' {@code @Pattern} constraints. */
public final class TextRules {

    /** PostgreSQL text cannot hold NUL: refused as a validation error, not as a database error. */
    public static final String NO_NUL = "(?s)[^\\x00]*";

    /** At least one non-whitespace character; unlike {@code @NotBlank} it accepts null (absent in a PATCH). */
    public static final String NOT_BLANK = "(?s).*\\S.*";

    private TextRules() {
    }
}
