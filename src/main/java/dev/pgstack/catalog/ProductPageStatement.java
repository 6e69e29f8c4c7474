package dev.pgstack.catalog;

import java.util.Locale;

import dev.pgstack.catalog.ProductQuery.Sort;
import dev.pgstack.db.reactive.SqlBuilder;
import dev.pgstack.db.sql.LikePatterns;

/**
 * The one statement of a catalog page and its total (CatalogService#products), on the reactive client. Its result
 * columns, read by name: {@code total}, the product's columns as the table names them, and with include=category
 * {@code category_name}.
 *
 * <p>Why the text varies with the filters given instead of being one text where an absent filter is a NULL
 * parameter ({@code ($1::numeric IS NULL OR price >= $1)}): the reactive connections plan each text once
 * ({@code plan_cache_mode=force_generic_plan}, db.config.SessionSettings), and a generic plan cannot know which
 * filters are NULL. Measured on PostgreSQL 15 with 100,000 products, {@code EXPLAIN ANALYZE EXECUTE} under
 * force_generic_plan, minPrice, maxPrice and inStock=true sorted by price: written as here, the total and the page
 * are two index-only scans of products_in_stock_price_idx ({@code Index Cond: price >= $1 AND price <= $2}),
 * 0.5 ms; as one text with NULL-able filters, 38 ms: a parallel sequential scan to count, and the page filtered row
 * by row off products_price_idx (neither the range nor the partial index can be used). Unfiltered, that text
 * counted every product instead of reading product_count (18 ms for a deep page). So each combination of the
 * filters given is its own text (24 per sort and include, each planned once per connection), assembled from the
 * fragments below; {@link SqlBuilder} numbers the values. CatalogListingStatementTest checks both plans.
 */
final class ProductPageStatement {

    private ProductPageStatement() {
    }

    /** Kept exact by triggers (V6): count(*) read an index entry of every product on every page. */
    private static final String ALL_PRODUCTS_COUNT = "SELECT products AS total FROM product_count";

    private static final String PRODUCT_COLUMNS = "o.id, o.name, o.description, o.price, o.quantity, o.category_id, "
            + "o.created_at, o.updated_at";

    /**
     * The deferred join of CatalogService#products: the page's ids off the sort's index ({@code page}), then only
     * their rows by primary key ({@code o}; {@code OFFSET 0} keeps that a per-row index scan in the generic plan).
     */
    static SqlBuilder of(ProductQuery query, int skip, int limit, boolean withCategory) {
        SqlBuilder page = new SqlBuilder().sql("SELECT n.total, " + PRODUCT_COLUMNS)
                .sql(withCategory ? ", o.category_name" : "").sql(" FROM (");
        if (query.hasFilter()) {
            where(page.sql("SELECT count(*) AS total FROM products p"), query);
        } else {
            page.sql(ALL_PRODUCTS_COUNT);
        }
        where(page.sql(") n LEFT JOIN LATERAL (SELECT p.id FROM products p"), query);
        page.sql(orderBy(query.sort(), "p"))
                .sql(" OFFSET ").parameter("skip", (long) skip)
                .sql(" ROWS FETCH FIRST ").parameter("limit", (long) limit).sql(" ROWS ONLY) page ON true")
                .sql(" LEFT JOIN LATERAL (SELECT o.*").sql(withCategory ? ", c.name AS category_name" : "")
                .sql(" FROM products o").sql(withCategory ? " LEFT JOIN categories c ON c.id = o.category_id" : "")
                .sql(" WHERE o.id = page.id OFFSET 0) o ON true")
                .sql(orderBy(query.sort(), "o"));
        return page;
    }

    /** " where ..." over alias {@code p} for the filters given, nothing for none. */
    private static void where(SqlBuilder sql, ProductQuery query) {
        String glue = " where ";
        if (query.minPrice() != null) {
            sql.sql(glue + "p.price >= ").parameter("minPrice", query.minPrice());
            glue = " and ";
        }
        if (query.maxPrice() != null) {
            sql.sql(glue + "p.price <= ").parameter("maxPrice", query.maxPrice());
            glue = " and ";
        }
        if (query.inStock() != null) {
            // as written, so that products_in_stock_price_idx (WHERE quantity > 0) matches the query
            sql.sql(glue + (query.inStock() ? "p.quantity > 0" : "p.quantity = 0"));
            glue = " and ";
        }
        if (query.q() != null) {
            sql.sql(glue + "lower(p.name) like ").parameter("nameContains",
                    "%" + LikePatterns.escape(query.q().toLowerCase(Locale.ROOT)) + "%").sql(" escape '\\'");
        }
    }

    /** Every order ends with the id, so that a page is always the same rows. */
    private static String orderBy(Sort sort, String alias) {
        String a = alias + ".";
        return " order by " + switch (sort) {
            case ID -> a + "id";
            case NAME -> a + "name, " + a + "id";
            case PRICE -> a + "price, " + a + "id";
            case PRICE_DESCENDING -> a + "price desc, " + a + "id desc";
            case NEWEST -> a + "created_at desc, " + a + "id desc";
        };
    }
}
