package dev.pgstack.db.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

import dev.pgstack.db.sql.DatabaseFailure;

/**
 * The schema as an operation, like Alembic's upgrade/downgrade/current/revision: {@code migrate}, {@code info},
 * {@code validate}, {@code undo [--to VERSION]} and {@code revision NAME}; {@code migrate --adopt} takes over a seed
 * service's database ({@link SeedAdoption}). Each returns an exit code (0 or 1) and prints one clear line on
 * failure. Every migration {@code db/migration/V<n>__<name>.sql} has its undo script
 * {@code db/undo/U<n>__<name>.sql}: undo runs them (newest first) and removes their history rows in one
 * transaction, so that {@code migrate} applies them again; PostgreSQL's transactional DDL leaves the schema at the
 * previous version when anything fails.
 */
public final class MigrationCommands {

    public static final String UNDO_LOCATION = "db/undo/";
    static final Pattern VERSIONED = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

    private final Flyway flyway;
    private final DataSource dataSource;
    private final PrintStream out;

    public MigrationCommands(Flyway flyway, DataSource dataSource, PrintStream out) {
        this.flyway = flyway;
        this.dataSource = dataSource;
        this.out = out;
    }

    public int migrate() {
        try {
            MigrateResult result = flyway.migrate();
            out.printf("migrate: %d applied, schema at version %s%n", result.migrationsExecuted, current());
            return 0;
        } catch (RuntimeException e) {
            out.printf("migrate failed: %s (the schema stays at version %s)%s%n", DatabaseFailure.describe(e),
                    currentQuietly(), adoptionHint(e));
            return 1;
        }
    }

    /**
     * Migrates a database that a seed service created (its tables recognised by {@link SeedRecognition}) into
     * pgstack's schema, keeping its rows; on an empty schema the same as {@link #migrate()}, on pgstack's own a
     * no-op. Anything else is refused with one line, and nothing changes.
     */
    public int adopt() {
        SeedAdoption.Outcome outcome;
        try {
            outcome = new SeedAdoption(flyway, dataSource).adopt();
        } catch (SQLException | RuntimeException e) {
            out.printf("adopt failed: %s (nothing changed)%n", DatabaseFailure.describe(e));
            return 1;
        }
        if (outcome instanceof SeedAdoption.Adopted a) {
            out.printf("adopt: %s converted to pgstack's schema (%d rows kept), %d applied, schema at version %s%s%n",
                    String.join(" and ", a.seeds()), a.rows(), a.migrationsApplied(), a.version(), zoneNote(a.zone()));
            return 0;
        }
        SeedRecognition.Verdict verdict = ((SeedAdoption.NotAdopted) outcome).verdict();
        if (verdict instanceof SeedRecognition.PgstackManaged) {
            out.printf("adopt: nothing to adopt, the schema is pgstack's already (version %s)%n", currentQuietly());
            return 0;
        }
        if (verdict instanceof SeedRecognition.Empty) {
            out.print("adopt: the schema is empty, nothing to adopt; ");
            return migrate();
        }
        out.printf("adopt refused: %s; recognised are pgstack's schema, an empty one and the seed schemas %s"
                + " (nothing changed)%n", ((SeedRecognition.Unrecognised) verdict).reason(), SeedSchemas.names());
        return 1;
    }

    /** What the old service, should it run again beside pgstack, needs of the database's default zone. */
    private static String zoneNote(SeedAdoption.ZoneDefault zone) {
        return switch (zone) {
            case UNTOUCHED -> "";
            case SET_TO_UTC -> "; the database's default time zone is now UTC, in which the old service wrote";
            case NOT_PERMITTED -> "; the database's default time zone could not be set to UTC (the role does not own"
                    + " the database): before the old service writes again, its owner runs ALTER DATABASE ... SET"
                    + " TimeZone = 'UTC'";
        };
    }

    /**
     * Where migrating fails because the schema holds tables without Flyway's history (Flyway's refusal of a
     * non-empty schema, or 42P07 "already exists"), the way out: adopting it. Empty for any other failure.
     */
    public static String adoptionHint(Throwable failure) {
        boolean exists = false;
        for (Throwable t = failure; t != null && !exists; t = t.getCause() == t ? null : t.getCause()) {
            exists = t instanceof SQLException sql && "42P07".equals(sql.getSQLState())
                    || t.getMessage() != null && t.getMessage().contains("non-empty schema");
        }
        return exists ? "; if this is a seed service's database, adopt it first: migrate --adopt (docs/migrations.md"
                + " \"Adopting a seed service's database\")" : "";
    }

    /** Applied and pending migrations, and the current version: the same facts as /q/db/migrations. */
    public int info() {
        try {
            var info = flyway.info();
            out.printf("%-8s %-45s %-10s %s%n", "version", "description", "state", "installed on");
            for (MigrationInfo m : info.all()) {
                out.printf("%-8s %-45s %-10s %s%n", m.getVersion(), m.getDescription(), m.getState().getDisplayName(),
                        m.getInstalledOn() == null ? "" : m.getInstalledOn().toInstant());
            }
            out.printf("current version: %s; pending: %d%n", current(), info.pending().length);
            return 0;
        } catch (RuntimeException e) {
            out.printf("info failed: %s%n", DatabaseFailure.describe(e));
            return 1;
        }
    }

    public int validate() {
        try {
            var result = flyway.validateWithResult();
            if (result.validationSuccessful) {
                out.printf("validate: %d migrations match their checksums; schema at version %s%n",
                        flyway.info().applied().length, current());
                return 0;
            }
            out.printf("validate failed: %s%n", result.errorDetails == null ? "migrations differ from the database"
                    : result.errorDetails.errorMessage.lines().findFirst().orElse(""));
            return 1;
        } catch (RuntimeException e) {
            out.printf("validate failed: %s%n", DatabaseFailure.describe(e));
            return 1;
        }
    }

    /** Undoes the newest applied migration, or every one newer than {@code to}. */
    public int undo(Optional<String> to) {
        List<MigrationInfo> applied;
        try {
            applied = new ArrayList<>(Arrays.stream(flyway.info().applied())
                    .filter(m -> m.getVersion() != null && m.getState().isApplied()).toList());
        } catch (RuntimeException e) {
            out.printf("undo failed: %s%n", DatabaseFailure.describe(e));
            return 1;
        }
        applied.sort(Comparator.comparing(MigrationInfo::getVersion).reversed());
        if (applied.isEmpty()) {
            out.println("undo: nothing is applied");
            return 0;
        }
        List<MigrationInfo> undo = new ArrayList<>();
        if (to.isPresent()) {
            MigrationVersion target = MigrationVersion.fromVersion(to.get());
            applied.stream().filter(m -> m.getVersion().isNewerThan(target.getVersion())).forEach(undo::add);
        } else {
            undo.add(applied.get(0));
        }
        List<String> scripts = new ArrayList<>();
        for (MigrationInfo m : undo) {
            String name = undoScriptOf(m.getScript());
            String sql = resource(UNDO_LOCATION + name);
            if (sql == null) {
                out.printf("undo failed: no undo script %s%s for version %s; nothing changed%n", UNDO_LOCATION, name,
                        m.getVersion());
                return 1;
            }
            scripts.add(sql);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement();
                    PreparedStatement forget = c.prepareStatement(
                            "DELETE FROM " + flyway.getConfiguration().getTable() + " WHERE version = ?")) {
                for (int i = 0; i < undo.size(); i++) {
                    st.execute(scripts.get(i));
                    forget.setString(1, undo.get(i).getVersion().getVersion());
                    forget.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            out.printf("undo failed: %s (nothing changed)%n", DatabaseFailure.describe(e));
            return 1;
        }
        out.printf("undo: %d undone (%s), schema at version %s%n", undo.size(),
                String.join(", ", undo.stream().map(m -> m.getVersion().getVersion()).toList()), currentQuietly());
        return 0;
    }

    /**
     * Creates the next numbered pair {@code V<n>__NAME.sql} / {@code U<n>__NAME.sql} under {@code resources}
     * ({@code src/main/resources} of a checkout).
     */
    public static int revision(String name, Path resources, PrintStream out) {
        if (!name.matches("[a-z0-9_]{1,80}")) {
            out.println("revision failed: NAME must be 1 to 80 characters of a-z, 0-9 and _");
            return 1;
        }
        Path migrations = resources.resolve("db/migration");
        Path undos = resources.resolve("db/undo");
        if (!Files.isDirectory(migrations)) {
            out.println("revision failed: " + migrations + " does not exist; run revision from a checkout of the "
                    + "project (it writes source files), not from the packaged application");
            return 1;
        }
        int next = 1;
        try (var files = Files.list(migrations)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = VERSIONED.matcher(p.getFileName().toString());
                if (m.matches()) {
                    next = Math.max(next, Integer.parseInt(m.group(1)) + 1);
                }
            }
            Files.createDirectories(undos);
            Path migration = migrations.resolve("V" + next + "__" + name + ".sql");
            Path undo = undos.resolve("U" + next + "__" + name + ".sql");
            Files.writeString(migration, "-- V" + next + ": " + name.replace('_', ' ') + ". Write the change here, "
                    + "and its exact reverse in " + undos.getFileName() + "/U" + next + "__" + name + ".sql.\n");
            Files.writeString(undo, "-- Undo of V" + next + ": the exact reverse of " + migration.getFileName()
                    + ", newest statement first.\n");
            out.println("revision: created " + migration + " and " + undo);
            return 0;
        } catch (IOException e) {
            out.println("revision failed: " + e.getMessage());
            return 1;
        }
    }

    /** "V5__history_index.sql" is undone by "U5__history_index.sql". */
    static String undoScriptOf(String script) {
        String file = script.substring(script.lastIndexOf('/') + 1);
        return "U" + file.substring(1);
    }

    private static String resource(String path) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private String current() {
        MigrationInfo current = flyway.info().current();
        return current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
    }

    private String currentQuietly() {
        try {
            return current();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
