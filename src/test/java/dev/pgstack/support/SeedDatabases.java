package dev.pgstack.support;

import java.util.List;

/**
 * The seed services' databases as their SQLAlchemy models and Alembic create them (the DDL of
 * {@code metadata.create_all}: SERIAL ids, {@code ix_} indexes, timestamps mostly without time zone and written in
 * UTC), each with a few rows. The recognised schemas in {@code dev.pgstack.db.migrate.SeedSchemas} must match.
 */
public final class SeedDatabases {

    /**
     * A seed service's database at one revision: its name as SeedSchemas gives it, its Alembic head, and the
     * statements that create it with rows.
     */
    public record Seed(String name, String revision, String shape, List<String> statements) {
        Seed(String name, String revision, List<String> statements) {
            this(name, revision, "", statements);
        }

        @Override
        public String toString() {
            return name + " at " + revision + shape;
        }
    }

    /** The revision the catalog, companies and agents databases are at here (their documents name none). */
    public static final String SEED_HEAD = "5c1e0a7d2b93";

    public static String alembic(String revision) {
        return """
                CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,
                    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
                INSERT INTO alembic_version VALUES ('%s');
                """.formatted(revision);
    }

    private static final String CHAT_BOT_USERS = """
            CREATE TABLE users (id BIGINT NOT NULL, created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
                updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, PRIMARY KEY (id));
            CREATE TABLE user_settings (user_id BIGINT NOT NULL, max_history_messages INTEGER NOT NULL,
                system_prompt TEXT, created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
                updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, PRIMARY KEY (user_id),
                FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE);
            INSERT INTO users VALUES (42, '2025-01-02 03:04:05.123456', '2025-01-03 04:05:06');
            INSERT INTO user_settings VALUES (42, 5, 'Answer in French.', '2025-01-02 03:04:06', '2025-01-02 03:04:06');
            """;

    /** The chat bot before its example migration: messages without content_length and its history index. */
    public static final Seed CHAT_BOT_E98 = new Seed("chat bot", "e9844b552bfa", List.of(alembic("e9844b552bfa"),
            CHAT_BOT_USERS, """
            CREATE TABLE messages (id UUID NOT NULL, user_id BIGINT NOT NULL, role VARCHAR(20) NOT NULL,
                content TEXT NOT NULL, created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
                deleted_at TIMESTAMP WITHOUT TIME ZONE, PRIMARY KEY (id),
                FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE);
            INSERT INTO messages VALUES
                ('00000000-0000-4000-8000-000000000001', 42, 'user', 'Bonjour 😀', '2025-01-02 03:05:00', NULL),
                ('00000000-0000-4000-8000-000000000002', 42, 'assistant', 'Salut !', '2025-01-02 03:05:01', NULL),
                ('00000000-0000-4000-8000-000000000003', 42, 'user', 'forgotten', '2025-01-02 03:00:00',
                 '2025-01-02 03:06:00');
            """));

    /**
     * The chat bot at its head: the example migration added messages.content_length (NOT NULL, the bot's own
     * count) and ix_messages_user_deleted_created. 'Salut !' holds a length of 8, not 7: what the bot stored is
     * kept, whatever it counted.
     */
    public static final Seed CHAT_BOT = new Seed("chat bot", "b03417887b93", List.of(alembic("b03417887b93"),
            CHAT_BOT_USERS, """
            CREATE TABLE messages (id UUID NOT NULL, user_id BIGINT NOT NULL, role VARCHAR(20) NOT NULL,
                content TEXT NOT NULL, content_length INTEGER NOT NULL,
                created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, deleted_at TIMESTAMP WITHOUT TIME ZONE,
                PRIMARY KEY (id), FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE);
            CREATE INDEX ix_messages_user_deleted_created ON messages (user_id, deleted_at, created_at);
            INSERT INTO messages VALUES
                ('00000000-0000-4000-8000-000000000001', 42, 'user', 'Bonjour 😀', 9, '2025-01-02 03:05:00', NULL),
                ('00000000-0000-4000-8000-000000000002', 42, 'assistant', 'Salut !', 8, '2025-01-02 03:05:01',
                 NULL),
                ('00000000-0000-4000-8000-000000000003', 42, 'user', 'forgotten', 9, '2025-01-02 03:00:00',
                 '2025-01-02 03:06:00');
            """));

    public static final Seed CATALOG = new Seed("catalog", SEED_HEAD, List.of(alembic(SEED_HEAD), """
            CREATE TABLE categories (id SERIAL NOT NULL, name VARCHAR(100) NOT NULL, PRIMARY KEY (id));
            CREATE UNIQUE INDEX ix_categories_name ON categories (name);
            CREATE INDEX ix_categories_id ON categories (id);
            CREATE TABLE products (id SERIAL NOT NULL, name VARCHAR(100) NOT NULL, description VARCHAR(500),
                price NUMERIC(10, 2) NOT NULL, quantity INTEGER, category_id INTEGER,
                created_at TIMESTAMP WITHOUT TIME ZONE, updated_at TIMESTAMP WITHOUT TIME ZONE, PRIMARY KEY (id),
                FOREIGN KEY(category_id) REFERENCES categories (id));
            CREATE INDEX ix_products_id ON products (id);
            CREATE INDEX ix_products_name ON products (name);
            """, """
            INSERT INTO categories (name) VALUES ('Books'), ('Games');
            INSERT INTO products (name, description, price, quantity, category_id, created_at, updated_at) VALUES
                ('Dune', 'A novel', 9.99, 3, 1, '2025-02-01 10:00:00', '2025-02-01 10:00:00'),
                ('Chess', NULL, 25.00, NULL, 2, '2025-02-01 11:00:00', NULL),
                ('Removed', NULL, 1.00, 1, NULL, '2025-02-01 12:00:00', '2025-02-01 12:00:00');
            DELETE FROM products WHERE name = 'Removed';
            """));

    public static final Seed COMPANIES = new Seed("companies and storage", SEED_HEAD, List.of(alembic(SEED_HEAD), """
            CREATE TABLE companies (id SERIAL NOT NULL, name VARCHAR(200) NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
                updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, PRIMARY KEY (id), UNIQUE (name));
            CREATE TABLE storage_objects (id SERIAL NOT NULL, company_id INTEGER NOT NULL, key VARCHAR(1024) NOT NULL,
                size_bytes BIGINT NOT NULL, content_type VARCHAR(255) NOT NULL, checksum VARCHAR(255),
                created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, PRIMARY KEY (id),
                CONSTRAINT uq_storage_company_key UNIQUE (company_id, key),
                FOREIGN KEY(company_id) REFERENCES companies (id) ON DELETE CASCADE);
            CREATE INDEX ix_storage_objects_company_id ON storage_objects (company_id);
            """, """
            INSERT INTO companies (name, created_at, updated_at) VALUES
                ('Acme', '2025-03-01 09:00:00+00', '2025-03-02 09:00:00+00');
            INSERT INTO storage_objects (company_id, key, size_bytes, content_type, checksum, created_at) VALUES
                (1, 'reports/2025/q1.pdf', 2048, 'application/pdf', 'sha256:ab12', '2025-03-01 09:30:00+00'),
                (1, 'logo.png', 512, 'image/png', NULL, '2025-03-01 09:31:00+00');
            """));

    public static final Seed AGENTS = new Seed("agents", SEED_HEAD, List.of(alembic(SEED_HEAD), """
            CREATE TABLE agents (id SERIAL NOT NULL, name VARCHAR(100) NOT NULL, model VARCHAR(100) NOT NULL,
                system_prompt TEXT, created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
                updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, PRIMARY KEY (id));
            CREATE INDEX ix_agents_name ON agents (name);
            """, """
            INSERT INTO agents (name, model, system_prompt, created_at, updated_at) VALUES
                ('seo-writer', 'gpt-4o', 'Write meta descriptions.', '2025-04-01 08:00:00', '2025-04-01 08:00:00'),
                ('triage', 'claude-3-5-sonnet', NULL, '2025-04-01 08:01:00', '2025-04-02 08:01:00');
            """));

    /** Each seed at each revision. */
    public static final List<Seed> ALL = List.of(CHAT_BOT_E98, CHAT_BOT, CATALOG, COMPANIES, AGENTS);

    /** Each seed without the plain indexes of its models ({@code index=True}), which an operator may have dropped. */
    public static final List<Seed> WITHOUT_INDEXES = ALL.stream().map(SeedDatabases::withoutIndexes).toList();

    private SeedDatabases() {
    }

    /** The statements without the alembic_version table: for a second seed in the same database. */
    public static List<String> withoutAlembic(Seed seed) {
        return seed.statements().stream().filter(s -> !s.equals(alembic(seed.revision()))).toList();
    }

    static Seed withoutIndexes(Seed seed) {
        return new Seed(seed.name(), seed.revision(), " without its indexes", seed.statements().stream()
                .map(s -> s.replaceAll("CREATE INDEX ix_[^;]*;", "")).toList());
    }
}
