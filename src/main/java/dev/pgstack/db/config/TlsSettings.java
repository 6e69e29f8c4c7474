package dev.pgstack.db.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The libpq TLS parameters of a connection URL, with libpq's meaning (docs/tls.md): {@code sslmode} (default
 * {@code prefer}), {@code sslrootcert} (a PEM file, or {@code system} for the JVM's trust store, as libpq 16 reads
 * it), {@code sslcert} and {@code sslkey} (a client certificate). asyncpg's and SQLAlchemy's {@code ssl=} is read as
 * {@code sslmode}. One reading for every connection pgstack opens, JDBC and reactive alike.
 */
public record TlsSettings(Mode mode, Optional<String> rootCert, Optional<String> cert, Optional<String> key) {

    /** The value of {@code sslrootcert} that stands for the JVM's own trust store. */
    public static final String SYSTEM = "system";

    public static final Set<String> PARAMETERS = Set.of("sslmode", "sslrootcert", "sslcert", "sslkey");

    public enum Mode {
        DISABLE, ALLOW, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

        public String libpqName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Optional<Mode> of(String text) {
            for (Mode m : values()) {
                if (m.libpqName().equals(text)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    public static final TlsSettings DEFAULT = new TlsSettings(Mode.PREFER, Optional.empty(), Optional.empty(),
            Optional.empty());

    /** Whether TLS may be used without checking the server's certificate (libpq: a root certificate makes require verify it). */
    public boolean verifiesChain() {
        return mode == Mode.VERIFY_CA || mode == Mode.VERIFY_FULL || mode == Mode.REQUIRE && rootCert.isPresent();
    }

    public boolean verifiesHost() {
        return mode == Mode.VERIFY_FULL;
    }

    public boolean systemTrust() {
        return rootCert.map(SYSTEM::equals).orElse(false);
    }

    /** The settings of already normalised parameters ({@link #normalise}). */
    public static TlsSettings of(Map<String, String> parameters) {
        Mode mode = Mode.of(parameters.getOrDefault("sslmode", "prefer")).orElse(Mode.PREFER);
        return new TlsSettings(mode, nonBlank(parameters.get("sslrootcert")), nonBlank(parameters.get("sslcert")),
                nonBlank(parameters.get("sslkey")));
    }

    /**
     * Rewrites {@code ssl=} as {@code sslmode} and checks the values; throws with {@code variable} named and no
     * other part of the URL.
     */
    static void normalise(String variable, Map<String, String> params) {
        String ssl = params.remove("ssl");
        if (ssl != null && !params.containsKey("sslmode")) {
            // asyncpg's ssl= takes a mode or a flag: on is require, off is disable
            params.put("sslmode", SettingRules.flag(ssl).map(on -> on ? "require" : "disable")
                    .orElse(ssl.toLowerCase(Locale.ROOT)));
        }
        String mode = params.get("sslmode");
        if (mode != null) {
            mode = mode.toLowerCase(Locale.ROOT);
            params.put("sslmode", mode);
            if (Mode.of(mode).isEmpty()) {
                TreeSet<String> names = new TreeSet<>();
                for (Mode m : Mode.values()) {
                    names.add(m.libpqName());
                }
                throw DatabaseUrl.invalid(variable, "sslmode must be one of " + String.join(", ", names));
            }
        }
        TlsSettings tls = of(params);
        if (tls.cert().isPresent() != tls.key().isPresent()) {
            throw DatabaseUrl.invalid(variable, "sslcert and sslkey go together (a client certificate and its key)");
        }
        if (tls.systemTrust() && tls.mode() != Mode.VERIFY_FULL && params.containsKey("sslmode")) {
            // libpq 16 refuses the same: trusting every public CA is only safe with the host name checked
            throw DatabaseUrl.invalid(variable, "sslrootcert=system needs sslmode=verify-full");
        }
        if (tls.systemTrust() && !params.containsKey("sslmode")) {
            params.put("sslmode", Mode.VERIFY_FULL.libpqName()); // libpq 16's default with sslrootcert=system
        }
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
