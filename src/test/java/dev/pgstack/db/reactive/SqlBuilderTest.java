package dev.pgstack.db.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Placeholders are numbered by the builder: in order of first use, one number per name. */
class SqlBuilderTest {

    @Test
    void valuesAreNumberedInOrderOfFirstUseAndANameKeepsItsNumber() {
        SqlBuilder sql = new SqlBuilder().sql("SELECT * FROM t WHERE a >= ").parameter("min", 1)
                .sql(" AND b = ").parameter("b", "x").sql(" UNION SELECT * FROM u WHERE a >= ").parameter("min", 1)
                .sql(" LIMIT ").parameter("limit", 5L);

        assertEquals("SELECT * FROM t WHERE a >= $1 AND b = $2 UNION SELECT * FROM u WHERE a >= $1 LIMIT $3",
                sql.text());
        var arguments = sql.arguments();
        assertEquals(List.of(1, "x", 5L), List.of(arguments.getValue(0), arguments.getValue(1),
                arguments.getValue(2)));
        assertEquals(3, arguments.size());
    }

    @Test
    void aNameCannotStandForTwoValues() {
        SqlBuilder sql = new SqlBuilder().parameter("min", 1);
        assertThrows(IllegalArgumentException.class, () -> sql.parameter("min", 2));
    }

    @Test
    void aNullValueIsAValueLikeAnother() {
        SqlBuilder sql = new SqlBuilder().parameter("gone", null).sql(" ").parameter("gone", null);
        assertEquals("$1 $1", sql.text());
        assertEquals(1, sql.arguments().size());
    }
}
