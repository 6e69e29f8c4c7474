package dev.pgstack.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

import dev.pgstack.db.sql.LikePatterns;
import dev.pgstack.problem.ApiException;
import dev.pgstack.web.input.Params;

/** The filters and sort of a product listing, parsed from query parameters and turned into SQL (or JPQL). */
public record ProductQuery(BigDecimal minPrice, BigDecimal maxPrice, Boolean inStock, String q, String sort) {

    /** SQL over the products table; every sort ends with the id, so a page is always the same rows. */
    static final Map<String, String> SORTS = Map.of(
            "id", "p.id",
            "name", "p.name, p.id",
            "price", "p.price, p.id",
            "-price", "p.price desc, p.id desc",
            "-createdAt", "p.created_at desc, p.id desc");

    public static ProductQuery parse(String minPrice, String maxPrice, String inStock, String q, String sort) {
        BigDecimal min = Params.optionalDecimal("minPrice", minPrice, BigDecimal.ZERO);
        BigDecimal max = Params.optionalDecimal("maxPrice", maxPrice, BigDecimal.ZERO);
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw ApiException.badRequest("minPrice", "must not be greater than maxPrice");
        }
        if (q != null && q.codePointCount(0, q.length()) > 100) {
            throw ApiException.badRequest("q", "must be at most 100 characters");
        }
        if (q != null && q.indexOf('\0') >= 0) {
            throw ApiException.badRequest("q", "must not contain NUL characters");
        }
        String s = sort == null || sort.isEmpty() ? "id" : sort;
        if (!SORTS.containsKey(s)) {
            throw ApiException.badRequest("sort", "must be one of id, name, price, -price, -createdAt");
        }
        return new ProductQuery(min, max, Params.optionalBoolean("inStock", inStock),
                q == null || q.isEmpty() ? null : q, s);
    }

    public boolean hasFilter() {
        return minPrice != null || maxPrice != null || inStock != null || q != null;
    }

    /** JPQL: " where ..." (or "") over alias {@code p}, filling {@code params}. */
    String where(Map<String, Object> params) {
        return conditions((name, value) -> {
            params.put(name, value);
            return ":" + name;
        });
    }

    /** SQL: " where ..." (or "") over alias {@code p}, each value appended to {@code values} as {@code $n}. */
    String sqlWhere(List<Object> values) {
        return conditions((name, value) -> {
            values.add(value);
            return "$" + values.size();
        });
    }

    /**
     * The filters, the same in JPQL and SQL (the columns they use have the attributes' names); {@code bind} takes
     * a value and gives its placeholder.
     */
    private String conditions(BiFunction<String, Object, String> bind) {
        List<String> clauses = new ArrayList<>();
        if (minPrice != null) {
            clauses.add("p.price >= " + bind.apply("minPrice", minPrice));
        }
        if (maxPrice != null) {
            clauses.add("p.price <= " + bind.apply("maxPrice", maxPrice));
        }
        if (inStock != null) {
            clauses.add(inStock ? "p.quantity > 0" : "p.quantity = 0");
        }
        if (q != null) {
            clauses.add("lower(p.name) like "
                    + bind.apply("q", "%" + LikePatterns.escape(q.toLowerCase(Locale.ROOT)) + "%") + " escape '\\'");
        }
        return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
    }

    /** SQL: " order by ..." over the given alias. */
    String orderBy(String alias) {
        return " order by " + SORTS.get(sort).replace("p.", alias + ".");
    }

    static Map<String, Object> params() {
        return new LinkedHashMap<>();
    }
}
