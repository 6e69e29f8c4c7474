package dev.pgstack.management.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic check for the operations endpoints. Both parts are compared in constant time (digests of equal
 * length), so that response timing does not reveal how much of a guess was right.
 */
public final class AdminAccess {

    public enum Outcome {
        /** No admin password configured: the endpoints do not exist (404). */
        DISABLED,
        DENIED,
        GRANTED
    }

    private AdminAccess() {
    }

    public static Outcome check(String authorization, String user, Optional<String> password) {
        if (password.isEmpty() || password.get().isEmpty()) {
            return Outcome.DISABLED;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Outcome.DENIED;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Outcome.DENIED;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Outcome.DENIED;
        }
        boolean userOk = constantTimeEquals(decoded.substring(0, colon), user);
        boolean passwordOk = constantTimeEquals(decoded.substring(colon + 1), password.get());
        return userOk & passwordOk ? Outcome.GRANTED : Outcome.DENIED;
    }

    static boolean constantTimeEquals(String given, String expected) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] a = sha.digest(given.getBytes(StandardCharsets.UTF_8));
            byte[] b = MessageDigest.getInstance("SHA-256").digest(expected.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(a, b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
