package dev.pgstack.db.migrate;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seed services' schemas that {@code migrate --adopt} recognises: what their SQLAlchemy models create, at every
 * revision their documents give. A seed schema is a name and its tables; a table is recognised when it has all of
 * its columns and nothing else but its optional ones, the columns a later revision added (types are not compared:
 * SQLAlchemy's choices vary, and the copy into pgstack's tables converts or refuses them). Each table
 * says how its rows become rows of pgstack's table of the same name at version {@link #CONVERTED_AT}: one
 * {@code INSERT ... SELECT} from the seed's table, which the adoption has moved to the schema {@link #MOVED_TO}.
 * Columns pgstack adds are filled from the row (a message's content_length is {@code char_length(content)});
 * timestamps without time zone are read as UTC (the adoption's session time zone), which is what SQLAlchemy's
 * {@code datetime.utcnow} defaults store.
 */
public final class SeedSchemas {

    /** The version whose tables the copies write: V1-V3 create every table a seed has; later versions apply on top. */
    public static final String CONVERTED_AT = "3";

    /** Where the seed's tables wait while pgstack's are created under their names; dropped at the end. */
    static final String MOVED_TO = "pgstack_adopting";

    /**
     * Alembic's bookkeeping, which every seed may have. Kept (see docs/migrations.md "Adopting a seed service's
     * database").
     */
    static final String ALEMBIC_VERSION = "alembic_version";

    /**
     * @param columns the columns the seed model has at every revision
     * @param optional the columns a revision added, each with its type: a moved table without one gets it, empty,
     *        so that the one {@code copy} serves every revision (it fills what is empty)
     * @param copy writes the moved rows into pgstack's table
     * @param idSequence pgstack's id sequence of the table, moved past the copied ids; null when ids are external
     */
    public record SeedTable(String name, Set<String> columns, Map<String, String> optional, String copy,
            String idSequence) {

        SeedTable(String name, Set<String> columns, String copy, String idSequence) {
            this(name, columns, Map.of(), copy, idSequence);
        }
    }

    /** @param tables parents before children: the order of the copies */
    public record SeedSchema(String name, List<SeedTable> tables) {
    }

    private static final String FROM = " FROM " + MOVED_TO + ".";

    public static final List<SeedSchema> ALL = List.of(
            new SeedSchema("chat bot", List.of(
                    new SeedTable("users", Set.of("id", "created_at", "updated_at"),
                            "INSERT INTO users (id, created_at, updated_at)"
                                    + " SELECT id, created_at, coalesce(updated_at, created_at)" + FROM + "users",
                            null),
                    new SeedTable("user_settings",
                            Set.of("user_id", "max_history_messages", "system_prompt", "created_at", "updated_at"),
                            "INSERT INTO user_settings (user_id, max_history_messages, system_prompt, created_at,"
                                    + " updated_at) SELECT user_id, max_history_messages, system_prompt, created_at,"
                                    + " coalesce(updated_at, created_at)" + FROM + "user_settings",
                            null),
                    // content_length (and its history index) came with revision b03417887b93; a stored length is kept
                    new SeedTable("messages", Set.of("id", "user_id", "role", "content", "created_at", "deleted_at"),
                            Map.of("content_length", "integer"),
                            "INSERT INTO messages (id, user_id, role, content, content_length, created_at, deleted_at)"
                                    + " SELECT id, user_id, role, content, coalesce(content_length,"
                                    + " char_length(content)), created_at, deleted_at" + FROM + "messages",
                            null))),
            new SeedSchema("catalog", List.of(
                    new SeedTable("categories", Set.of("id", "name"),
                            "INSERT INTO categories (id, name) SELECT id, name" + FROM + "categories",
                            "pg_get_serial_sequence('categories', 'id')"),
                    new SeedTable("products",
                            Set.of("id", "name", "description", "price", "quantity", "category_id", "created_at",
                                    "updated_at"),
                            "INSERT INTO products (id, name, description, price, quantity, category_id, created_at,"
                                    + " updated_at) SELECT id, name, description, price, coalesce(quantity, 0),"
                                    + " category_id, created_at, coalesce(updated_at, created_at)" + FROM + "products",
                            "'products_id_seq'"))),
            new SeedSchema("companies and storage", List.of(
                    new SeedTable("companies", Set.of("id", "name", "created_at", "updated_at"),
                            "INSERT INTO companies (id, name, created_at, updated_at)"
                                    + " SELECT id, name, created_at, coalesce(updated_at, created_at)" + FROM
                                    + "companies",
                            "pg_get_serial_sequence('companies', 'id')"),
                    new SeedTable("storage_objects",
                            Set.of("id", "company_id", "key", "size_bytes", "content_type", "checksum", "created_at"),
                            "INSERT INTO storage_objects (id, company_id, key, size_bytes, content_type, checksum,"
                                    + " created_at) SELECT id, company_id, key, size_bytes, content_type, checksum,"
                                    + " created_at" + FROM + "storage_objects",
                            "pg_get_serial_sequence('storage_objects', 'id')"))),
            // the agent platform's agents belong to no company: pgstack's optional company_id stays empty
            new SeedSchema("agents", List.of(
                    new SeedTable("agents",
                            Set.of("id", "name", "model", "system_prompt", "created_at", "updated_at"),
                            "INSERT INTO agents (id, name, company_id, model, system_prompt, created_at, updated_at)"
                                    + " SELECT id, name, NULL, model, system_prompt, created_at,"
                                    + " coalesce(updated_at, created_at)" + FROM + "agents",
                            "pg_get_serial_sequence('agents', 'id')"))));

    private SeedSchemas() {
    }

    /** "chat bot, catalog, ...": for the messages that say what is recognised. */
    static String names() {
        return String.join(", ", ALL.stream().map(SeedSchema::name).toList());
    }
}
