package dev.pgstack.db.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.pgstack.db.migrate.SeedSchemas.SeedSchema;
import dev.pgstack.db.migrate.SeedSchemas.SeedTable;

/**
 * Which of the four cases a schema is for {@code migrate --adopt}: pgstack's own (it has Flyway's history table),
 * empty, made of recognised seed schemas only, or anything else. The rule: every object must be a table of a seed
 * schema (or {@code alembic_version}); a seed schema present at all must be present whole, each table with its
 * model's columns at one of its revisions. One service's tables alone are enough; several services' tables may share the database.
 */
public final class SeedRecognition {

    public sealed interface Verdict {
    }

    public record PgstackManaged() implements Verdict {
    }

    public record Empty() implements Verdict {
    }

    public record Seeds(List<SeedSchema> schemas, boolean alembicVersion) implements Verdict {
    }

    /** @param reason one sentence: what is not recognised */
    public record Unrecognised(String reason) implements Verdict {
    }

    private SeedRecognition() {
    }

    public static Verdict of(SchemaInventory inventory, String historyTable) {
        if (inventory.tables().containsKey(historyTable)) {
            return new PgstackManaged();
        }
        if (inventory.isEmpty()) {
            return new Empty();
        }
        if (!inventory.otherObjects().isEmpty()) {
            return new Unrecognised(inventory.otherObjects().get(0) + " is not part of a recognised seed schema");
        }
        Set<String> unclaimed = new TreeSet<>(inventory.tables().keySet());
        unclaimed.remove(SeedSchemas.ALEMBIC_VERSION);
        List<SeedSchema> present = new ArrayList<>();
        for (SeedSchema seed : SeedSchemas.ALL) {
            if (seed.tables().stream().noneMatch(t -> inventory.tables().containsKey(t.name()))) {
                continue;
            }
            for (SeedTable table : seed.tables()) {
                String mismatch = mismatch(seed, table, inventory.tables().get(table.name()));
                if (mismatch != null) {
                    return new Unrecognised(mismatch);
                }
                unclaimed.remove(table.name());
            }
            present.add(seed);
        }
        if (!unclaimed.isEmpty()) {
            return new Unrecognised("table " + unclaimed.iterator().next() + " is not part of a recognised seed schema");
        }
        if (present.isEmpty()) {
            return new Unrecognised("it holds " + SeedSchemas.ALEMBIC_VERSION + " but no table of a recognised seed schema");
        }
        return new Seeds(present, inventory.tables().containsKey(SeedSchemas.ALEMBIC_VERSION));
    }

    /** Why a table is not the seed model's, or null when it is. */
    private static String mismatch(SeedSchema seed, SeedTable table, Set<String> columns) {
        String of = "the " + seed.name() + " schema's table " + table.name();
        if (columns == null) {
            return of + " is missing (the " + seed.name() + " schema has " + String.join(", ",
                    seed.tables().stream().map(SeedTable::name).toList()) + ")";
        }
        Set<String> lacking = new TreeSet<>(table.columns());
        lacking.removeAll(columns);
        if (!lacking.isEmpty()) {
            return of + " lacks column " + String.join(", ", lacking);
        }
        Set<String> extra = new TreeSet<>(columns);
        extra.removeAll(table.columns());
        extra.removeAll(table.optional().keySet());
        if (!extra.isEmpty()) {
            return of + " has column " + String.join(", ", extra) + ", which pgstack would not keep";
        }
        return null;
    }
}
