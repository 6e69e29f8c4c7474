package dev.pgstack.catalog;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.pgstack.problem.ConstraintNames;

/** The catalog's constraints (V2), as clients know them. */
@ApplicationScoped
public class CatalogConstraints implements ConstraintNames {

    @Override
    public Map<String, String> fields() {
        return Map.of("categories_name_unique", "name",
                "products_category_fk", "categoryId",
                "products_price_not_negative", "price",
                "products_quantity_not_negative", "quantity");
    }
}
