package dev.pgstack.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import dev.pgstack.catalog.CatalogDtos.BulkChange;
import dev.pgstack.catalog.CatalogDtos.CategoryView;
import dev.pgstack.catalog.CatalogDtos.NewCategory;
import dev.pgstack.catalog.CatalogDtos.NewProduct;
import dev.pgstack.catalog.CatalogDtos.ProductPatch;
import dev.pgstack.catalog.CatalogDtos.ProductView;
import dev.pgstack.db.reactive.ReactiveSql;
import dev.pgstack.db.reactive.SqlBuilder;
import dev.pgstack.db.sql.DatabaseClock;
import dev.pgstack.db.sql.Slice;
import dev.pgstack.problem.ApiException;
import dev.pgstack.problem.Problem;
import dev.pgstack.problem.ProblemType;
import io.quarkus.panache.common.Sort;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Categories and products. Writes: one transaction each. Reads: no transaction of their own; the catalog's hot reads
 * (a product by id, a page of the listing) skip Hibernate.
 */
@ApplicationScoped
public class CatalogService {

    private final ReactiveSql sql;

    CatalogService(ReactiveSql sql) {
        this.sql = sql;
    }

    @Transactional(rollbackOn = Exception.class)
    public CategoryView createCategory(NewCategory request) {
        Category c = new Category();
        c.name = request.name();
        c.persist(); // identity: inserted now; a duplicate name is a unique violation, answered 409
        return CategoryView.of(c);
    }

    @Transactional(TxType.SUPPORTS)
    public List<CategoryView> categories() {
        return Category.<Category>listAll(Sort.by("name").and("id")).stream()
                .map(CategoryView::of).toList();
    }

    @Transactional(TxType.SUPPORTS)
    public CategoryView category(long id) {
        Category c = Category.findById(id);
        if (c == null) {
            throw ApiException.notFound("category " + id + " does not exist");
        }
        return CategoryView.of(c);
    }

    @Transactional(rollbackOn = Exception.class)
    public ProductView createProduct(NewProduct request) {
        requireCategories(Collections.singletonList(request.categoryId()), false);
        Product p = newProduct(request, DatabaseClock.now());
        p.persist();
        return ProductView.of(p);
    }

    /** All or nothing; ids come 50 per sequence call and rows go to the server in JDBC batches. */
    @Transactional(rollbackOn = Exception.class)
    public List<Long> createProducts(List<NewProduct> requests) {
        requireCategories(requests.stream().map(NewProduct::categoryId).toList(), true);
        Instant now = DatabaseClock.now();
        List<Product> products = new ArrayList<>(requests.size());
        for (NewProduct request : requests) {
            products.add(newProduct(request, now));
        }
        Product.persist(products);
        Product.flush();
        return products.stream().map(p -> p.id).toList();
    }

    /** A product by id: a hot read, one statement on the reactive client (db.reactive.ReactiveSql). */
    public CompletionStage<ProductView> product(long id) {
        return sql.first(PRODUCT_BY_ID, Tuple.of(id), CatalogService::productView).thenApply(p -> {
            if (p == null) {
                throw notFound(id);
            }
            return p;
        });
    }

    private static final String PRODUCT_BY_ID = "SELECT id, name, description, price, quantity, category_id, "
            + "created_at, updated_at FROM products WHERE id = $1";

    /** Straight to the view, columns by name: an entity instance would cost its change tracking. */
    private static ProductView productView(Row row) {
        return productView(row, null);
    }

    /** The product's columns of {@link #PRODUCT_BY_ID} or a page ({@link ProductPageStatement}). */
    private static ProductView productView(Row row, Optional<CategoryView> category) {
        return new ProductView(row.getLong("id"), row.getString("name"), row.getString("description"),
                row.getBigDecimal("price"), row.getInteger("quantity"), row.getLong("category_id"),
                row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant(),
                category);
    }

    /**
     * A page and its total in one statement on the reactive client: one round trip, one snapshot (the total is
     * that of the rows paged), no worker thread or Hibernate session (a page's CPU in the service fell to a
     * fraction, bench/README.md). The page is a deferred join: the skipped rows are counted off the sort's index
     * (an index-only scan) and only the page's rows are read from the table, by primary key
     * ({@link ProductPageStatement}). A page past the end is one row with the total and no product. With
     * include=category the category's name comes in the same statement.
     */
    public CompletionStage<Slice<ProductView>> products(ProductQuery query, int skip, int limit, boolean withCategory) {
        SqlBuilder page = ProductPageStatement.of(query, skip, limit, withCategory);
        return sql.list(page.text(), page.arguments(), row -> new PageRow(row.getLong("total"),
                row.getValue("id") == null ? null : productView(row, withCategory ? category(row) : null)))
                .thenApply(rows -> new Slice<>(rows.stream().map(PageRow::product).filter(p -> p != null).toList(),
                        rows.get(0).total()));
    }

    private record PageRow(long total, ProductView product) {
    }

    /** An uncategorised product shows {@code "category": null} when asked for it. */
    private static Optional<CategoryView> category(Row row) {
        Long id = row.getLong("category_id");
        return id == null ? Optional.empty() : Optional.of(new CategoryView(id, row.getString("category_name")));
    }

    /**
     * Changes only the fields present in the request ({@code present}); null clears a nullable field (nulls for
     * required fields were refused when the request was read).
     */
    @Transactional(rollbackOn = Exception.class)
    public ProductView patchProduct(long id, ProductPatch patch, Set<String> present) {
        Product p = existing(id);
        if (present.contains("categoryId") && patch.categoryId() != null) {
            requireCategories(List.of(patch.categoryId()), false);
        }
        if (present.contains("name")) {
            p.name = patch.name();
        }
        if (present.contains("description")) {
            p.description = patch.description();
        }
        if (present.contains("price")) {
            p.price = money(patch.price());
        }
        if (present.contains("quantity")) {
            p.quantity = patch.quantity();
        }
        if (present.contains("categoryId")) {
            p.categoryId = patch.categoryId();
        }
        p.updatedAt = DatabaseClock.now();
        return ProductView.of(p);
    }

    @Transactional(rollbackOn = Exception.class)
    public void deleteProduct(long id) {
        if (Product.delete("id", id) == 0) {
            throw notFound(id);
        }
    }

    /** One set-based UPDATE statement. */
    @Transactional(rollbackOn = Exception.class)
    public int updateProducts(ProductQuery filter, BulkChange change) {
        if (!filter.hasFilter()) {
            throw ApiException.badRequest("filter", "at least one of minPrice, maxPrice, inStock is required");
        }
        if (change.price() == null && change.quantity() == null) {
            throw ApiException.badRequest("body", "give price, quantity or both");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        String where = jpqlWhere(filter, params);
        StringBuilder set = new StringBuilder("update Product p set p.updatedAt = :now");
        params.put("now", DatabaseClock.now());
        if (change.price() != null) {
            set.append(", p.price = :newPrice");
            params.put("newPrice", change.price());
        }
        if (change.quantity() != null) {
            set.append(", p.quantity = :newQuantity");
            params.put("newQuantity", change.quantity());
        }
        var update = Product.getEntityManager().createQuery(set + where);
        params.forEach(update::setParameter);
        return update.executeUpdate();
    }

    /**
     * The bulk update's filter in JPQL over {@code Product p} (attributes, not columns), filling {@code params}.
     * It filters by price and stock only: ProductResource#updateMany takes no {@code q}.
     */
    private static String jpqlWhere(ProductQuery filter, Map<String, Object> params) {
        if (filter.q() != null) {
            throw new IllegalArgumentException("the bulk update has no name filter");
        }
        List<String> conditions = new ArrayList<>();
        if (filter.minPrice() != null) {
            conditions.add("p.price >= :minPrice");
            params.put("minPrice", filter.minPrice());
        }
        if (filter.maxPrice() != null) {
            conditions.add("p.price <= :maxPrice");
            params.put("maxPrice", filter.maxPrice());
        }
        if (filter.inStock() != null) {
            conditions.add(filter.inStock() ? "p.quantity > 0" : "p.quantity = 0");
        }
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    /** One set-based DELETE statement. */
    @Transactional(rollbackOn = Exception.class)
    public int deleteOutOfStock() {
        return (int) Product.delete("quantity = 0");
    }

    /** As the column stores it (numeric(12,2)), so that a write answers "100.00" for 1e2 just as a read does. */
    private static BigDecimal money(BigDecimal value) {
        return value == null ? null : value.setScale(2, RoundingMode.UNNECESSARY);
    }

    private static Product newProduct(NewProduct request, Instant now) {
        Product p = new Product();
        p.name = request.name();
        p.description = request.description();
        p.price = money(request.price());
        p.quantity = request.quantity() == null ? 0 : request.quantity();
        p.categoryId = request.categoryId();
        p.createdAt = now;
        p.updatedAt = now;
        return p;
    }

    /**
     * Unknown category ids are a 400 naming the item, not a foreign-key error at commit. One query for all.
     * {@code categoryIds} holds one entry per item (null: no category); {@code bulk} names fields "[i].categoryId".
     */
    private static void requireCategories(List<Long> categoryIds, boolean bulk) {
        Set<Long> wanted = new HashSet<>(categoryIds);
        wanted.remove(null);
        if (wanted.isEmpty()) {
            return;
        }
        Set<Long> found = new HashSet<>(Category.getEntityManager()
                .createQuery("select c.id from Category c where c.id in :ids", Long.class)
                .setParameter("ids", wanted).getResultList());
        List<Problem.Violation> violations = new ArrayList<>();
        for (int i = 0; i < categoryIds.size(); i++) {
            Long categoryId = categoryIds.get(i);
            if (categoryId != null && !found.contains(categoryId)) {
                violations.add(new Problem.Violation(bulk ? "[" + i + "].categoryId" : "categoryId",
                        "no category with id " + categoryId));
            }
        }
        if (!violations.isEmpty()) {
            throw new ApiException(ProblemType.VALIDATION,
                    violations.size() == 1 ? violations.get(0).field() + ": " + violations.get(0).message()
                            : violations.size() + " items refer to unknown categories",
                    violations);
        }
    }

    private static Product existing(long id) {
        Product p = Product.findById(id);
        if (p == null) {
            throw notFound(id);
        }
        return p;
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("product " + id + " does not exist");
    }
}
