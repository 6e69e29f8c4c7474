package dev.pgstack.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.pgstack.db.sql.LikePatterns;
import dev.pgstack.problem.ApiException;
import dev.pgstack.web.Params;

/** The filters and sort of a product listing, parsed from query parameters and turned into JPQL. */
public record ProductQuery(BigDecimal minPrice, BigDecimal maxPrice, Boolean inStock, String q, String sort) {

    static final Map<String, String> SORTS = Map.of(
            "id", "p.id",
            "name", "p.name, p.id",
            "price", "p.price, p.id",
            "-price", "p.price desc, p.id desc",
            "-createdAt", "p.createdAt desc, p.id desc");

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

    /** " where ..." (or "") over alias {@code p}, filling {@code params}. */
    String where(Map<String, Object> params) {
        List<String> clauses = new ArrayList<>();
        if (minPrice != null) {
            clauses.add("p.price >= :minPrice");
            params.put("minPrice", minPrice);
        }
        if (maxPrice != null) {
            clauses.add("p.price <= :maxPrice");
            params.put("maxPrice", maxPrice);
        }
        if (inStock != null) {
            clauses.add(inStock ? "p.quantity > 0" : "p.quantity = 0");
        }
        if (q != null) {
            clauses.add("lower(p.name) like :q escape '\\'");
            params.put("q", "%" + LikePatterns.escape(q.toLowerCase(Locale.ROOT)) + "%");
        }
        return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
    }

    /** " order by ..." over the given alias; every sort ends with the id, so a page is always the same rows. */
    String orderBy(String alias) {
        return " order by " + SORTS.get(sort).replace("p.", alias + ".");
    }


    static Map<String, Object> params() {
        return new LinkedHashMap<>();
    }
}
