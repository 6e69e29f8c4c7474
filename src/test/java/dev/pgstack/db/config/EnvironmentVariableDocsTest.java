package dev.pgstack.db.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md and the register of environment variables ({@link EnvironmentVariable}) say the same: every
 * variable read is documented, every variable documented is read, and a documented default is the key's.
 */
class EnvironmentVariableDocsTest {

    static final Path DOCS = Path.of("docs", "configuration.md");
    static final Path PROPERTIES = Path.of("src", "main", "resources", "application.properties");
    /** Read by the container image (its run-java.sh, the java launcher), not by pgstack. */
    static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS_APPEND", "MALLOC_ARENA_MAX", "GC_CONTAINER_OPTIONS",
            "JDK_JAVA_OPTIONS");
    static final Pattern CODE = Pattern.compile("`([^`]+)`");
    static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");

    /** A row of one of the docs' tables: its cells by the table's column headers, and the variables it names. */
    record Row(Map<String, String> cells, List<String> variables) {

        /** The cell of the column whose header starts with {@code header}, or "" when the table has none. */
        String column(String header) {
            return cells.entrySet().stream().filter(e -> e.getKey().startsWith(header)).map(Map.Entry::getValue)
                    .findFirst().orElse("");
        }
    }

    static List<Row> rows;
    /** application.properties as the packaged application (prod) reads it: no %dev. or %test. line. */
    static Map<String, String> prod;

    @BeforeAll
    static void read() throws IOException {
        rows = tableRows(Files.readAllLines(DOCS));
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(PROPERTIES)) {
            properties.load(reader);
        }
        prod = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().filter(k -> !k.startsWith("%"))
                .forEach(k -> prod.put(k, properties.getProperty(k)));
    }

    @Test
    void everyVariableOfTheRegisterHasARowInTheDocs() {
        List<String> undocumented = new ArrayList<>();
        for (EnvironmentVariable variable : EnvironmentVariable.values()) {
            if (row(variable.name()) == null) {
                undocumented.add(variable.name());
            }
        }
        assertEquals(List.of(), undocumented, "read by db.config but in no table's first column of " + DOCS);
    }

    @Test
    void everyVariableTheDocsNameIsRead() {
        List<String> unread = new ArrayList<>();
        for (Row row : rows) {
            for (String name : row.variables()) {
                boolean read = EnvironmentVariable.forName(name).isPresent()
                        || name.startsWith("QUARKUS_") // Quarkus's own keys, read by Quarkus
                        || name.startsWith("PGSTACK_") && namesItsKey(row, name) // PgstackConfig's, read by Quarkus
                        || IMAGE_VARIABLES.contains(name);
                if (!read) {
                    unread.add(name);
                }
            }
        }
        assertEquals(List.of(), unread, DOCS + " documents variables that EnvironmentVariable does not register "
                + "(nor are they QUARKUS_*, a PGSTACK_* beside its pgstack.* key, or the image's)");
    }

    @Test
    void theDocumentedDefaultIsTheProdValueOfTheKeyTheVariableFeeds() {
        List<String> wrong = new ArrayList<>();
        for (EnvironmentVariable variable : EnvironmentVariable.values()) {
            Row row = row(variable.name());
            String key = row == null ? null : keyFed(variable, row);
            if (key == null || !prod.containsKey(key)) {
                continue; // several keys, or a default that lives elsewhere (PgstackConfig, Quarkus)
            }
            String stated = row.column("default").replace("`", "").strip();
            if (!stated.matches(Pattern.quote(prod.get(key)) + "(\\W.*)?")) {
                wrong.add(variable + ": the docs say '" + stated + "', " + PROPERTIES + " has " + key + "="
                        + prod.get(key));
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** The one key the variable feeds, or, when it feeds several, the one the docs' key column names alone. */
    static String keyFed(EnvironmentVariable variable, Row row) {
        if (variable.keys().size() == 1) {
            return variable.keys().get(0);
        }
        List<String> named = codeSpans(row.column("key"));
        return named.size() == 1 && variable.keys().contains(named.get(0)) ? named.get(0) : null;
    }

    /** Whether the row names the pgstack.* key that Quarkus reads from this variable (PGSTACK_A_B_C: pgstack.a.b-c). */
    static boolean namesItsKey(Row row, String variable) {
        return row.cells().values().stream().flatMap(cell -> codeSpans(cell).stream())
                .anyMatch(key -> key.replaceAll("[.-]", "_").toUpperCase(Locale.ROOT).equals(variable));
    }

    static Row row(String variable) {
        return rows.stream().filter(r -> r.variables().contains(variable)).findFirst().orElse(null);
    }

    /** The rows of every table in the file (header, |---| line, rows), with the variables of their first column. */
    static List<Row> tableRows(List<String> lines) {
        List<Row> out = new ArrayList<>();
        List<String> headers = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("|")) {
                headers = null;
            } else if (headers == null) {
                headers = cells(line);
                i++; // the |---| line under the headers
            } else {
                List<String> cells = cells(line);
                Map<String, String> byHeader = new LinkedHashMap<>();
                for (int c = 0; c < headers.size(); c++) {
                    byHeader.put(headers.get(c), c < cells.size() ? cells.get(c) : "");
                }
                List<String> variables = codeSpans(cells.get(0)).stream().filter(s -> VARIABLE.matcher(s).matches())
                        .toList();
                out.add(new Row(byHeader, variables));
            }
        }
        return out;
    }

    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.substring(1, line.length() - 1).split("\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    static List<String> codeSpans(String text) {
        List<String> spans = new ArrayList<>();
        Matcher m = CODE.matcher(text);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }
}
