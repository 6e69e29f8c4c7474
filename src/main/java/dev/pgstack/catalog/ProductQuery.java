package dev.pgstack.catalog;

import java.math.BigDecimal;

import dev.pgstack.problem.ApiException;
import dev.pgstack.web.input.Params;

/**
 * The filters and sort of a product listing, parsed from its query parameters and checked: values only. Each reader
 * writes them in its own language: the page's SQL ({@link ProductPageStatement}) and the bulk update's JPQL
 * ({@link CatalogService#updateProducts}).
 */
public record ProductQuery(BigDecimal minPrice, BigDecimal maxPrice, Boolean inStock, String q, Sort sort) {

    /** The orders a listing offers, by their spelling in the {@code sort} parameter. */
    public enum Sort {
        ID("id"), NAME("name"), PRICE("price"), PRICE_DESCENDING("-price"), NEWEST("-createdAt");

        private final String parameter;

        Sort(String parameter) {
            this.parameter = parameter;
        }

        /** Absent or empty: by id. */
        static Sort parse(String parameter) {
            if (parameter == null || parameter.isEmpty()) {
                return ID;
            }
            for (Sort sort : values()) {
                if (sort.parameter.equals(parameter)) {
                    return sort;
                }
            }
            throw ApiException.badRequest("sort", "must be one of id, name, price, -price, -createdAt");
        }
    }

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
        Sort order = Sort.parse(sort);
        return new ProductQuery(min, max, Params.optionalBoolean("inStock", inStock),
                q == null || q.isEmpty() ? null : q, order);
    }

    public boolean hasFilter() {
        return minPrice != null || maxPrice != null || inStock != null || q != null;
    }
}
