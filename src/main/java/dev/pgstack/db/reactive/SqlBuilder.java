package dev.pgstack.db.reactive;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A statement for {@link ReactiveSql} whose text is written with its values in place: {@link #parameter} writes a
 * named value's placeholder and numbers it ({@code $1, $2, ...} in order of first use; the same name again writes
 * the same number), so that a statement assembled from optional fragments never computes a placeholder by hand.
 * The text is SQL written by the caller; only the values are parameters.
 */
public final class SqlBuilder {

    private final StringBuilder text = new StringBuilder();
    private final Map<String, Integer> numbers = new HashMap<>();
    private final List<Object> values = new ArrayList<>();

    public SqlBuilder sql(String fragment) {
        text.append(fragment);
        return this;
    }

    /** The placeholder of the value named {@code name}; naming it again with another value is a programming error. */
    public SqlBuilder parameter(String name, Object value) {
        Integer number = numbers.get(name);
        if (number == null) {
            values.add(value);
            number = values.size();
            numbers.put(name, number);
        } else if (!Objects.equals(values.get(number - 1), value)) {
            throw new IllegalArgumentException("parameter " + name + " given two values");
        }
        text.append('$').append(number);
        return this;
    }

    public String text() {
        return text.toString();
    }

    /** The values in their placeholders' order. */
    public Tuple arguments() {
        return Tuple.from(values);
    }
}
