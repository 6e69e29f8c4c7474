package dev.pgstack.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pgstack.db.reactive.SqlBuilder;

/**
 * The page statement's text for a combination of filters: each filter given is written once per use with the same
 * placeholder, an absent one is not written at all (no NULL-able parameters: ProductPageStatement says why), and
 * skip and limit come after the filters.
 */
class ProductPageStatementTest {

    @Test
    void theFiltersGivenAreWrittenInTheCountAndThePageWithOnePlaceholderEach() {
        ProductQuery query = ProductQuery.parse("1.5", "20", "true", "Ab_%", "price");
        SqlBuilder page = ProductPageStatement.of(query, 40, 10, false);

        String where = " where p.price >= $1 and p.price <= $2 and p.quantity > 0 and lower(p.name) like $3"
                + " escape '\\'";
        assertTrue(page.text().contains("(SELECT count(*) AS total FROM products p" + where + ") n"), page.text());
        assertTrue(page.text().contains("(SELECT p.id FROM products p" + where + " order by p.price, p.id"
                + " OFFSET $4 ROWS FETCH FIRST $5 ROWS ONLY) page"), page.text());
        assertTrue(page.text().endsWith(" order by o.price, o.id"), page.text());
        assertEquals(List.of(new BigDecimal("1.5"), new BigDecimal("20"), "%ab\\_\\%%", 40L, 10L),
                values(page));
    }

    @Test
    void noFilterTakesTheTotalFromProductCountAndBindsOnlySkipAndLimit() {
        SqlBuilder page = ProductPageStatement.of(ProductQuery.parse(null, null, null, null, null), 0, 100, true);

        assertTrue(page.text().contains("FROM (SELECT products AS total FROM product_count) n"), page.text());
        assertFalse(page.text().contains(" where "), page.text());
        assertTrue(page.text().contains("OFFSET $1 ROWS FETCH FIRST $2 ROWS ONLY"), page.text());
        assertTrue(page.text().contains("c.name AS category_name"), page.text());
        assertEquals(List.of(0L, 100L), values(page));
    }

    @Test
    void aSingleFilterIsNumberedFromOne() {
        SqlBuilder page = ProductPageStatement.of(ProductQuery.parse(null, "20", "false", null, "-createdAt"), 0,
                5, false);

        assertTrue(page.text().contains(" where p.price <= $1 and p.quantity = 0 order by p.created_at desc,"
                + " p.id desc OFFSET $2 ROWS FETCH FIRST $3 ROWS ONLY"), page.text());
        assertEquals(List.of(new BigDecimal("20"), 0L, 5L), values(page));
    }

    private static List<Object> values(SqlBuilder page) {
        var arguments = page.arguments();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            values.add(arguments.getValue(i));
        }
        return values;
    }
}
