package dev.pgstack.db.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules that several settings share, each written once: what a TCP port is, what a host name is, which words
 * mean on and off, and how URLs escape characters. Pure functions; each caller words its own error message, since
 * only it knows which variable (or which part of a URL) it is reading.
 */
final class SettingRules {

    /** A DNS name or an IPv4 address: what libpq and pgjdbc take as a host without brackets. */
    private static final Pattern NAME_OR_IPV4 = Pattern.compile("[A-Za-z0-9._-]+");
    /** An IPv6 address in brackets, as URLs write it (the dots allow an embedded IPv4, ::ffff:10.0.0.1). */
    private static final Pattern BRACKETED_IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+\\]");
    /** An IPv6 address as a bare variable gives it (POSTGRES_HOST=::1); it needs brackets before it joins a URL. */
    private static final Pattern BARE_IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:]*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private SettingRules() {
    }

    /**
     * The TCP port that {@code text} names: decimal digits, 1 to 65535. Empty when it names none; then
     * {@link #isDigits} tells a number out of range from no number at all.
     */
    static Optional<Integer> port(String text) {
        if (!isDigits(text)) {
            return Optional.empty();
        }
        // more than five digits (leading zeros aside) is out of range; parsing them could overflow
        String significant = text.replaceFirst("^0+(?=.)", "");
        int port = significant.length() > 5 ? -1 : Integer.parseInt(significant);
        return port >= 1 && port <= 65535 ? Optional.of(port) : Optional.empty();
    }

    /** Whether {@code text} is a whole number written in ASCII digits only (no sign, no spaces). */
    static boolean isDigits(String text) {
        return text != null && DIGITS.matcher(text).matches();
    }

    /**
     * Whether {@code host} can be a host of a connection URL: a name, an IPv4 address, or an IPv6 address in
     * brackets. Unix-socket directories are not hosts here: neither pgjdbc nor this service's pools connect to them.
     */
    static boolean isHost(String host) {
        return host != null && (NAME_OR_IPV4.matcher(host).matches() || BRACKETED_IPV6.matcher(host).matches());
    }

    /** {@code host} as a URL writes it: a bare IPv6 address gets its brackets, anything else is returned as is. */
    static String bracketed(String host) {
        return BARE_IPV6.matcher(host).matches() ? "[" + host + "]" : host;
    }

    /**
     * The one vocabulary of on and off, case-insensitive: true/false, 1/0, yes/no, on/off (Python's and libpq's
     * spellings). Empty for any other word, which each caller reports in its own terms.
     */
    static Optional<Boolean> flag(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> Optional.of(Boolean.TRUE);
            case "false", "0", "no", "off" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }

    /**
     * Percent-decoding as in URLs, the bytes read as UTF-8; '+' stays '+' (user info and paths are not
     * form-encoded).
     *
     * @throws IllegalArgumentException saying what is wrong ("an incomplete %-escape", "an invalid %-escape"),
     *         never repeating {@code text}: it may be a password
     */
    static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                continue;
            }
            if (i + 2 >= text.length()) {
                throw new IllegalArgumentException("an incomplete %-escape");
            }
            int hi = Character.digit(text.charAt(i + 1), 16);
            int lo = Character.digit(text.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("an invalid %-escape");
            }
            out.write(hi * 16 + lo);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Percent-encoding of the UTF-8 bytes of {@code text}: ASCII letters and digits stay, and so does each
     * character of {@code unreserved} (what the part of the URL being written may carry as is); every other byte
     * becomes %XX.
     */
    static String percentEncode(String text, String unreserved) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 128 && (Character.isLetterOrDigit(c) || unreserved.indexOf(c) >= 0)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
