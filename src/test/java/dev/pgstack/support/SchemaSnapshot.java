package dev.pgstack.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;

import javax.sql.DataSource;

/**
 * The public schema as text, to compare two databases or one database at two moments: tables, columns (type,
 * nullability, default, collation), indexes, constraints, sequences, triggers and functions.
 */
public final class SchemaSnapshot {

    private SchemaSnapshot() {
    }

    /** @param excludedTables tables left out (with their indexes and constraints), e.g. Flyway's own */
    public static String of(DataSource dataSource, Set<String> excludedTables) throws Exception {
        String excluded = excludedTables.isEmpty() ? "''"
                : String.join(", ", excludedTables.stream().map(t -> "'" + t + "'").toList());
        StringBuilder out = new StringBuilder();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String sql : new String[] {
                    "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '"
                            + " || coalesce(column_default, '') || ' ' || coalesce(collation_name, '')"
                            + " FROM information_schema.columns WHERE table_schema = 'public'"
                            + " AND table_name NOT IN (" + excluded + ") ORDER BY 1",
                    "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"
                            + " AND tablename NOT IN (" + excluded + ") ORDER BY 1",
                    "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                            + " WHERE connamespace = 'public'::regnamespace"
                            + " AND conrelid::regclass::text NOT IN (" + excluded + ") ORDER BY 1",
                    "SELECT sequence_name || ' ' || data_type || ' ' || increment FROM information_schema.sequences"
                            + " WHERE sequence_schema = 'public' ORDER BY 1",
                    "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
                    "SELECT oid::regprocedure || ' ' || md5(prosrc) FROM pg_proc"
                            + " WHERE pronamespace = 'public'::regnamespace ORDER BY 1",
                    "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' ORDER BY 1" }) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }
}
