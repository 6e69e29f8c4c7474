package dev.pgstack.db.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.postgresql.PGProperty;

/**
 * A PostgreSQL connection URL as Python/PaaS deployments write it ({@code postgres://}, {@code postgresql://},
 * {@code postgresql+asyncpg://}, {@code jdbc:postgresql://}), split into the pieces that the JDBC and the reactive
 * pools need. Error messages never contain the URL itself: it usually carries the password.
 */
public record DatabaseUrl(List<Endpoint> endpoints, String database, String user, String password,
        Map<String, String> parameters, boolean pgbouncer) {

    /** One {@code host:port} of the URL; libpq's multi-host syntax gives several. */
    public record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    static final int DEFAULT_PORT = 5432;
    private static final Set<String> SCHEMES = Set.of("postgres", "postgresql", "postgresql+asyncpg",
            "postgresql+psycopg", "postgresql+psycopg2", "jdbc:postgresql");
    /** Query parameters that the reactive client understands; any other would be sent to the server as a setting. */
    private static final Set<String> REACTIVE_PARAMETERS = Set.of("search_path", "options");

    /** libpq's target_session_attrs and the pgjdbc targetServerType each stands for. */
    private static final Map<String, String> TARGET_SERVER_TYPES = Map.of("any", "any", "read-write", "primary",
            "primary", "primary", "read-only", "secondary", "standby", "secondary", "prefer-standby",
            "preferSecondary");

    public DatabaseUrl {
        endpoints = List.copyOf(endpoints);
        parameters = Map.copyOf(parameters);
    }

    public DatabaseUrl(String host, int port, String database, String user, String password,
            Map<String, String> parameters) {
        this(List.of(new Endpoint(host, port)), database, user, password, parameters, false);
    }

    /** The first host (the only one, unless the URL lists several). */
    public String host() {
        return endpoints.get(0).host();
    }

    public int port() {
        return endpoints.get(0).port();
    }

    /** The same server(s) and settings with other credentials (a replica URL without them takes the primary's). */
    public DatabaseUrl withCredentials(String user, String password) {
        return new DatabaseUrl(endpoints, database, user, password, parameters, pgbouncer);
    }

    /** TLS as this URL's parameters ask for it (libpq's default, prefer, when they say nothing). */
    public TlsSettings tls() {
        return TlsSettings.of(parameters);
    }

    /**
     * What this URL leaves out, taken from {@code primary}: the credentials, and the TLS parameters when it names
     * none of them (a replica of a TLS-only primary needs them as much).
     */
    public DatabaseUrl withDefaultsFrom(DatabaseUrl primary) {
        DatabaseUrl url = user == null ? withCredentials(primary.user(), primary.password()) : this;
        if (TlsSettings.PARAMETERS.stream().noneMatch(parameters::containsKey)) {
            Map<String, String> merged = new LinkedHashMap<>(parameters);
            TlsSettings.PARAMETERS.forEach(p -> {
                if (primary.parameters().containsKey(p)) {
                    merged.put(p, primary.parameters().get(p));
                }
            });
            url = new DatabaseUrl(url.endpoints, database, url.user, url.password, merged, pgbouncer);
        }
        return url;
    }

    /** Parses {@code url}; {@code variable} names its source in error messages (e.g. DATABASE_URL). */
    public static DatabaseUrl parse(String variable, String url) {
        if (url == null || url.isBlank()) {
            throw invalid(variable, "it is empty");
        }
        Pieces pieces = Pieces.of(variable, url.strip());
        Credentials inUserInfo = credentials(variable, pieces.userInfo());
        Map<String, String> parameters = parseQuery(variable, pieces.query());
        String hosts = pieces.hosts().isEmpty() ? parameters.getOrDefault("host", "") : pieces.hosts();
        List<Endpoint> endpoints = endpoints(variable, hosts);
        String database = database(variable, pieces.path(), parameters, inUserInfo.user());
        Credentials credentials = inUserInfo.orFrom(parameters);
        Map<String, String> settings = settings(variable, parameters);
        boolean pgbouncer = pgbouncer(variable, settings.remove("pgbouncer"));
        return new DatabaseUrl(endpoints, database, credentials.user(), credentials.password(), settings, pgbouncer);
    }

    /** The URL's text cut into its parts, not yet decoded; {@code userInfo} is null when there is no '@'. */
    private record Pieces(String userInfo, String hosts, String path, String query) {

        static Pieces of(String variable, String text) {
            String rest = afterScheme(variable, text);
            String query = "";
            int q = rest.indexOf('?');
            if (q >= 0) {
                query = withoutFragment(rest.substring(q + 1));
                rest = rest.substring(0, q);
            }
            // The user info may contain '/' only percent-encoded, so the first '/' after the last '@' starts the path.
            int at = rest.lastIndexOf('@');
            int slash = rest.indexOf('/', Math.max(at, 0));
            String path = slash < 0 ? "" : rest.substring(slash + 1);
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            return at < 0 ? new Pieces(null, authority, path, query)
                    : new Pieces(authority.substring(0, at), authority.substring(at + 1), path, query);
        }

        private static String afterScheme(String variable, String text) {
            int schemeEnd = text.indexOf("://");
            if (schemeEnd <= 0) {
                throw invalid(variable, "it has no scheme; expected postgresql://user:password@host:5432/database");
            }
            String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            if (!SCHEMES.contains(scheme)) {
                throw invalid(variable, "unsupported scheme '" + scheme
                        + "'; use postgres://, postgresql://, postgresql+asyncpg:// or jdbc:postgresql://");
            }
            return text.substring(schemeEnd + 3);
        }

        private static String withoutFragment(String query) {
            int hash = query.indexOf('#');
            return hash < 0 ? query : query.substring(0, hash);
        }
    }

    /** User name and password, either of them null when the URL does not give it. */
    private record Credentials(String user, String password) {

        /** What the query parameters user= and password= add where the user info says nothing (libpq's rule). */
        Credentials orFrom(Map<String, String> parameters) {
            return new Credentials(user != null ? user : parameters.get("user"),
                    password != null ? password : parameters.get("password"));
        }
    }

    private static Credentials credentials(String variable, String userInfo) {
        if (userInfo == null) {
            return new Credentials(null, null);
        }
        int colon = userInfo.indexOf(':');
        String user = decode(variable, colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
        String password = colon < 0 ? null : decode(variable, userInfo.substring(colon + 1), "password");
        return new Credentials(user.isEmpty() ? null : user, password);
    }

    /** libpq's multi-host syntax: {@code h1:5432,h2:5433,[::1]}, each port optional. */
    private static List<Endpoint> endpoints(String variable, String hosts) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String one : hosts.split(",", -1)) {
            endpoints.add(endpoint(variable, one));
        }
        return endpoints;
    }

    private static Endpoint endpoint(String variable, String hostPort) {
        int hostEnd = hostEnd(variable, hostPort);
        String host = hostPort.substring(0, hostEnd);
        String after = hostPort.substring(hostEnd); // nothing, or ':' and the port
        if (!after.isEmpty() && !after.startsWith(":")) {
            throw invalid(variable, "unexpected text after the IPv6 host");
        }
        int port = after.isEmpty() ? DEFAULT_PORT : port(variable, after.substring(1));
        if (host.isEmpty()) {
            throw invalid(variable, "it has no host");
        }
        if (!SettingRules.isHost(host)) {
            throw invalid(variable, "the host contains characters that a host name cannot have");
        }
        return new Endpoint(host, port);
    }

    /** Where the host ends: after the ']' of an IPv6 address, else at the last ':', else at the end. */
    private static int hostEnd(String variable, String hostPort) {
        if (!hostPort.startsWith("[")) {
            int colon = hostPort.lastIndexOf(':');
            return colon < 0 ? hostPort.length() : colon;
        }
        int close = hostPort.indexOf(']');
        if (close < 0) {
            throw invalid(variable, "the IPv6 host has no closing ']'");
        }
        return close + 1;
    }

    /** The port after a host's ':'; nothing after it means the default, as in libpq. */
    private static int port(String variable, String text) {
        if (text.isEmpty()) {
            return DEFAULT_PORT;
        }
        return SettingRules.port(text).orElseThrow(() -> invalid(variable,
                SettingRules.isDigits(text) ? "the port must be between 1 and 65535" : "the port is not a number"));
    }

    /** The path's database name; without one, dbname=, else the user's name, else postgres (libpq's defaults). */
    private static String database(String variable, String path, Map<String, String> parameters, String user) {
        String database = decode(variable, path, "database name");
        if (database.isEmpty()) {
            database = parameters.getOrDefault("dbname", user != null ? user : "postgres");
        }
        if (database.contains("/")) {
            throw invalid(variable, "the database name contains '/'");
        }
        return database;
    }

    /**
     * The parameters that stay with the URL: the connection's own pieces (host, port, dbname, user, password)
     * taken out, libpq's names turned into pgjdbc's.
     */
    private static Map<String, String> settings(String variable, Map<String, String> parameters) {
        Map<String, String> kept = new LinkedHashMap<>(parameters);
        kept.keySet().removeAll(Set.of("host", "port", "dbname", "user", "password"));
        normaliseParameters(variable, kept);
        String attrs = kept.remove("target_session_attrs");
        if (attrs != null) {
            String type = TARGET_SERVER_TYPES.get(attrs.toLowerCase(Locale.ROOT));
            if (type == null) {
                throw invalid(variable, "target_session_attrs must be one of "
                        + String.join(", ", new TreeSet<>(TARGET_SERVER_TYPES.keySet())));
            }
            kept.putIfAbsent(PGProperty.TARGET_SERVER_TYPE.getName(), type);
        }
        return kept;
    }

    /** {@code pgbouncer=true} (or a bare {@code pgbouncer}): the URL points at PgBouncer in transaction mode. */
    private static boolean pgbouncer(String variable, String value) {
        if (value == null) {
            return false;
        }
        if (value.isEmpty()) {
            return true;
        }
        return SettingRules.flag(value).orElseThrow(() -> invalid(variable, "pgbouncer must be true or false"));
    }

    /**
     * Splits a list of URLs ({@code DATABASE_REPLICA_URL}): a comma starts a new URL only where a scheme follows,
     * so that a URL with several hosts ({@code h1:5432,h2:5432}) stays whole.
     */
    public static List<DatabaseUrl> parseList(String variable, String urls) {
        if (urls == null || urls.isBlank()) {
            throw invalid(variable, "it is empty");
        }
        List<DatabaseUrl> parsed = new ArrayList<>();
        for (String one : urls.strip().split(",\\s*(?=[A-Za-z][A-Za-z0-9+.]*://)")) {
            parsed.add(parse(variable, one));
        }
        return parsed;
    }

    /**
     * JDBC URL without credentials (they go to quarkus.datasource.username/password). With several hosts, pgjdbc
     * tries them in order for the server type asked for (a service that writes asks for the primary unless the URL
     * says otherwise) and re-checks a host's role every {@code hostRecheckSeconds}, so that a promoted standby is
     * found within seconds of a failover. Behind PgBouncer no statement is prepared on the server: the next
     * transaction may run on another server connection.
     */
    public String jdbcUrl() {
        Map<String, String> jdbc = new LinkedHashMap<>(parameters);
        if (endpoints.size() > 1) {
            jdbc.putIfAbsent(PGProperty.TARGET_SERVER_TYPE.getName(), "primary");
            jdbc.putIfAbsent(PGProperty.HOST_RECHECK_SECONDS.getName(), "2");
        }
        if (pgbouncer) {
            jdbc.putIfAbsent(PGProperty.PREPARE_THRESHOLD.getName(), "0");
        }
        return "jdbc:postgresql://" + hosts() + "/" + encodePath(database) + query(jdbc);
    }

    /**
     * Reactive (Vert.x) URLs without credentials, with only the parameters that client knows: one per host,
     * comma-separated (the reactive client has no multi-host syntax; pgstack's pool creator connects to the host
     * that is the primary now).
     */
    public String reactiveUrl() {
        Map<String, String> reactive = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (REACTIVE_PARAMETERS.contains(k)) {
                reactive.put(k, v);
            }
        });
        return endpoints.stream().map(e -> "postgresql://" + e + "/" + encodePath(database) + query(reactive))
                .collect(Collectors.joining(","));
    }

    private String hosts() {
        return endpoints.stream().map(Endpoint::toString).collect(Collectors.joining(","));
    }

    /** Safe to log: no password. */
    @Override
    public String toString() {
        return "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@") + hosts() + "/"
                + database;
    }

    private static void normaliseParameters(String variable, Map<String, String> params) {
        TlsSettings.normalise(variable, params);
        // libpq's names for two common pgjdbc settings.
        String connectTimeout = params.remove("connect_timeout");
        if (connectTimeout != null) {
            params.putIfAbsent(PGProperty.CONNECT_TIMEOUT.getName(), connectTimeout);
        }
        params.remove("application_name"); // DB_APPLICATION_NAME owns it
    }

    private static Map<String, String> parseQuery(String variable, String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(variable, eq < 0 ? pair : pair.substring(0, eq), "query parameter name");
            String value = eq < 0 ? "" : decode(variable, pair.substring(eq + 1), "query parameter '" + key + "'");
            if (!key.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                throw invalid(variable, "a query parameter has an invalid name");
            }
            params.put(key, value);
        }
        return params;
    }

    /** {@code text} percent-decoded; {@code what} names the part of the URL in the error message. */
    static String decode(String variable, String text, String what) {
        try {
            return SettingRules.percentDecode(text);
        } catch (IllegalArgumentException e) {
            throw invalid(variable, "the " + what + " has " + e.getMessage());
        }
    }

    private static String encodePath(String database) {
        return SettingRules.percentEncode(database, "-_.");
    }

    private static String query(Map<String, String> params) {
        if (params.isEmpty()) {
            return "";
        }
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + encodeQueryValue(e.getValue()))
                .collect(Collectors.joining("&", "?", ""));
    }

    private static String encodeQueryValue(String value) {
        return SettingRules.percentEncode(value, "-_.~/:,");
    }

    static IllegalArgumentException invalid(String variable, String reason) {
        return new IllegalArgumentException(variable + " is not a valid PostgreSQL URL: " + reason);
    }
}
