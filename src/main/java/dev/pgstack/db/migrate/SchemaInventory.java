package dev.pgstack.db.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the current schema holds, as far as adopting it is concerned: its tables with their columns, and every other
 * object (views, sequences no column owns, types, functions) by kind and name. Objects of extensions are left out:
 * they belong to the extension, not to a service.
 */
public record SchemaInventory(Map<String, Set<String>> tables, List<String> otherObjects) {

    private static final String NOT_OF_AN_EXTENSION = " AND NOT EXISTS (SELECT 1 FROM pg_depend d"
            + " WHERE d.objid = %s AND d.deptype = 'e')";

    private static final String TABLE_COLUMNS = "SELECT c.relname, a.attname FROM pg_class c"
            + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
            + " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"
            + NOT_OF_AN_EXTENSION.formatted("c.oid");

    /** Sequences that a column owns (serial, identity) go with their table; any other is an object of its own. */
    private static final String OTHER_OBJECTS = "SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN"
            + " 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' ELSE 'partitioned table'"
            + " END || ' ' || c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace"
            + " AND c.relkind IN ('v', 'm', 'S', 'f', 'p') AND NOT EXISTS (SELECT 1 FROM pg_depend o"
            + " WHERE o.objid = c.oid AND o.classid = 'pg_class'::regclass AND o.deptype IN ('a', 'i'))"
            + NOT_OF_AN_EXTENSION.formatted("c.oid")
            + " UNION ALL SELECT 'type ' || t.typname FROM pg_type t WHERE t.typnamespace = current_schema()::regnamespace"
            + " AND (t.typtype IN ('e', 'd', 'r') OR t.typtype = 'c' AND (SELECT relkind FROM pg_class"
            + " WHERE oid = t.typrelid) = 'c')" + NOT_OF_AN_EXTENSION.formatted("t.oid")
            + " UNION ALL SELECT 'function ' || p.proname FROM pg_proc p"
            + " WHERE p.pronamespace = current_schema()::regnamespace" + NOT_OF_AN_EXTENSION.formatted("p.oid")
            + " ORDER BY 1";

    public static SchemaInventory read(Connection connection) throws SQLException {
        Map<String, Set<String>> tables = new TreeMap<>();
        List<String> others = new ArrayList<>();
        try (Statement st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery(TABLE_COLUMNS)) {
                while (rs.next()) {
                    tables.computeIfAbsent(rs.getString(1), t -> new TreeSet<>()).add(rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery(OTHER_OBJECTS)) {
                while (rs.next()) {
                    others.add(rs.getString(1));
                }
            }
        }
        return new SchemaInventory(tables, others);
    }

    public boolean isEmpty() {
        return tables.isEmpty() && otherObjects.isEmpty();
    }
}
