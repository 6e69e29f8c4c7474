package dev.pgstack.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;

import dev.pgstack.catalog.CatalogDtos.BulkChange;
import dev.pgstack.catalog.CatalogDtos.CategoryView;
import dev.pgstack.catalog.CatalogDtos.NewCategory;
import dev.pgstack.catalog.CatalogDtos.NewProduct;
import dev.pgstack.catalog.CatalogDtos.ProductPatch;
import dev.pgstack.catalog.CatalogDtos.ProductView;
import dev.pgstack.db.reactive.ReactiveSql;
import dev.pgstack.db.sql.DatabaseClock;
import dev.pgstack.problem.ApiException;
import dev.pgstack.problem.Problem;
import dev.pgstack.web.PageView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Categories and products. Writes: one transaction each. Reads: no transaction of their own; the product by id, the
 * catalog's hot read, skips Hibernate.
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
        return Category.<Category>listAll(io.quarkus.panache.common.Sort.by("name").and("id")).stream()
                .map(CategoryView::of).toList();
    }

    @Transactional(rollbackOn = Exception.class)
    public ProductView createProduct(NewProduct request) {
        requireCategories(java.util.Collections.singletonList(request.categoryId()), false);
        Product p = newProduct(request, DatabaseClock.now());
        p.persist();
        return ProductView.of(p, false);
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
    public Uni<ProductView> product(long id) {
        return sql.first(PRODUCT_BY_ID, Tuple.of(id), CatalogService::productView).map(p -> {
            if (p == null) {
                throw notFound(id);
            }
            return p;
        });
    }

    private static final String PRODUCT_BY_ID = "SELECT id, name, description, price, quantity, category_id, "
            + "created_at, updated_at FROM products WHERE id = $1";

    /** Straight to the view, columns by position: an entity instance would cost its change tracking. */
    private static ProductView productView(Row row) {
        return new ProductView(row.getLong(0), row.getString(1), row.getString(2), row.getBigDecimal(3),
                row.getInteger(4), row.getLong(5), row.getOffsetDateTime(6).toInstant(),
                row.getOffsetDateTime(7).toInstant(), null);
    }

    private static final String ALL_PRODUCTS_COUNT = "SELECT products FROM product_count";

    @Transactional(TxType.SUPPORTS)
    public PageView<ProductView> products(ProductQuery query, int skip, int limit, boolean withCategory) {
        EntityManager em = Product.getEntityManager();
        Map<String, Object> params = ProductQuery.params();
        String where = query.where(params);
        long total;
        if (query.hasFilter()) {
            TypedQuery<Long> count = em.createQuery("select count(*) from Product p" + where, Long.class);
            params.forEach(count::setParameter);
            total = count.getSingleResult();
        } else {
            // one row kept exact by triggers (V6): count(*) read an index entry of every product on every page
            total = ((Number) em.createNativeQuery(ALL_PRODUCTS_COUNT).getSingleResult()).longValue();
        }
        List<ProductView> items = List.of();
        if (total > skip) {
            // A deferred join: the skipped rows are counted off the sort's index (an index-only scan), and only the
            // page's rows are read from the table; OFFSET over whole rows read every skipped one (bench/README.md).
            // With include=category the categories come in the same statement: no query per item.
            String select = "select o from Product o" + (withCategory ? " left join fetch o.category" : "");
            TypedQuery<Product> page = em.createQuery(select + " where o.id in (select p.id from Product p" + where
                    + query.orderBy("p") + " offset :skip rows fetch first :limit rows only)" + query.orderBy("o"),
                    Product.class)
                    .setParameter("skip", skip).setParameter("limit", limit);
            params.forEach(page::setParameter);
            items = page.getResultList().stream().map(p -> ProductView.of(p, withCategory)).toList();
        }
        return new PageView<>(items, total, skip, limit);
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
            p.category = null;
        }
        p.updatedAt = DatabaseClock.now();
        return ProductView.of(p, false);
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
        Map<String, Object> params = ProductQuery.params();
        String where = filter.where(params);
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

    /** One set-based DELETE statement. */
    @Transactional(rollbackOn = Exception.class)
    public int deleteOutOfStock() {
        return (int) Product.delete("quantity = 0");
    }

    /** As the column stores it (numeric(12,2)), so that a write answers "100.00" for 1e2 just as a read does. */
    private static java.math.BigDecimal money(java.math.BigDecimal value) {
        return value == null ? null : value.setScale(2, java.math.RoundingMode.UNNECESSARY);
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
            throw new ApiException(400, "validation", "Invalid request",
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
