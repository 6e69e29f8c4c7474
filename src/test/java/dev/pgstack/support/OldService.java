package dev.pgstack.support;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A seed service's own statements, as its SQLAlchemy models render them through psycopg2 (values inlined by the
 * client; nullable columns without a default sent as NULL; Python-side defaults such as {@code datetime.utcnow}
 * sent as naive timestamps; SERIAL ids left to the database and read back with RETURNING). They run through psql:
 * libpq, like psycopg2, sends no time zone, so its sessions take the database's default, as the old service's do.
 */
public final class OldService {

    /** The old service's clock: naive, UTC, as {@code datetime.utcnow()} gives it. */
    public static final String NAIVE_UTC = "2026-01-05 10:00:00";

    private final String uri;

    /** @param uri a libpq connection URI of the service's own role */
    public OldService(String uri) {
        this.uri = uri;
    }

    /** Runs one statement in its own transaction (autocommit, as each request commits); returns psql's rows. */
    public String execute(String sql) throws IOException, InterruptedException {
        return Commands.run(Duration.ofSeconds(30), List.of("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-d", uri, "-c", sql)).strip();
    }

    /** The chat bot's message INSERT; {@code withLength}: its head revision, which sends content_length itself. */
    public static String message(String id, long userId, String content, boolean withLength) {
        return "INSERT INTO messages (id, user_id, role, content, " + (withLength ? "content_length, " : "")
                + "created_at, deleted_at) VALUES ('" + id + "'::UUID, " + userId + ", 'user', '" + content + "', "
                + (withLength ? content.codePointCount(0, content.length()) + ", " : "") + "'" + NAIVE_UTC
                + "'::timestamp, NULL)";
    }

    /** The catalog's product INSERT: no id, an unset quantity sent as NULL. */
    public static String product(String name, long categoryId) {
        return "INSERT INTO products (name, description, price, quantity, category_id, created_at, updated_at) VALUES"
                + " ('" + name + "', NULL, 1.50, NULL, " + categoryId + ", '" + NAIVE_UTC + "'::timestamp, '"
                + NAIVE_UTC + "'::timestamp) RETURNING products.id";
    }

    /** The storage service's object INSERT: id and created_at from the server's defaults. */
    public static String storageObject(long companyId, String key) {
        return "INSERT INTO storage_objects (company_id, key, size_bytes, content_type, checksum) VALUES (" + companyId
                + ", '" + key + "', 1, 'text/plain', NULL) RETURNING storage_objects.id, storage_objects.created_at";
    }

    /** The agent platform's agent INSERT. */
    public static String agent(String name) {
        return "INSERT INTO agents (name, model, system_prompt, created_at, updated_at) VALUES ('" + name + "', 'm',"
                + " NULL, '" + NAIVE_UTC + "'::timestamp, '" + NAIVE_UTC + "'::timestamp) RETURNING agents.id";
    }
}
