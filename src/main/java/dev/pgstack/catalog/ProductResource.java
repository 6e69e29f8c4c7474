package dev.pgstack.catalog;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.pgstack.catalog.CatalogDtos.BulkChange;
import dev.pgstack.catalog.CatalogDtos.Created;
import dev.pgstack.catalog.CatalogDtos.Deleted;
import dev.pgstack.catalog.CatalogDtos.NewProduct;
import dev.pgstack.catalog.CatalogDtos.ProductPatch;
import dev.pgstack.catalog.CatalogDtos.ProductView;
import dev.pgstack.catalog.CatalogDtos.Updated;
import dev.pgstack.problem.ApiException;
import dev.pgstack.web.idempotency.Idempotent;
import dev.pgstack.web.input.JsonPatchSupport;
import dev.pgstack.web.view.PageView;
import dev.pgstack.web.input.Params;

/** Products: CRUD, filtered and paginated listing, bulk operations (contract: the OpenAPI document at /q/openapi). */
@Path("/api/products")
@Produces(MediaType.APPLICATION_JSON)
public class ProductResource {

    private final CatalogService catalog;
    private final JsonPatchSupport patches;

    ProductResource(CatalogService catalog, JsonPatchSupport patches) {
        this.catalog = catalog;
        this.patches = patches;
    }

    @Idempotent
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@NotNull(message = "a JSON body is required") @Valid NewProduct body) {
        ProductView created = catalog.createProduct(body);
        return Response.created(URI.create("/api/products/" + created.id())).entity(created).build();
    }

    @Idempotent
    @POST
    @Path("bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createMany(@NotNull(message = "a JSON array is required")
            @Size(min = 1, max = 1000, message = "must hold 1 to 1000 products") List<@Valid NewProduct> body) {
        for (int i = 0; i < body.size(); i++) {
            if (body.get(i) == null) {
                throw ApiException.badRequest("[" + i + "]", "must be a product object");
            }
        }
        List<Long> ids = catalog.createProducts(body);
        return Response.status(201).entity(new Created(ids.size(), ids)).build();
    }

    @GET
    @Path("{id}")
    public CompletionStage<ProductView> get(@PathParam("id") String id) {
        return catalog.product(Params.positiveId("id", id));
    }

    @GET
    public CompletionStage<PageView<ProductView>> list(@QueryParam("skip") String skip, @QueryParam("limit") String limit,
            @QueryParam("minPrice") String minPrice, @QueryParam("maxPrice") String maxPrice,
            @QueryParam("inStock") String inStock, @QueryParam("q") String q, @QueryParam("sort") String sort,
            @QueryParam("include") String include) {
        ProductQuery query = ProductQuery.parse(minPrice, maxPrice, inStock, q, sort);
        boolean withCategory = false;
        if (include != null && !include.isEmpty()) {
            if (!include.equals("category")) {
                throw ApiException.badRequest("include", "must be category");
            }
            withCategory = true;
        }
        int from = Params.intInRange("skip", skip, 0, 10_000_000, 0);
        int size = Params.intInRange("limit", limit, 1, 500, 100);
        return catalog.products(query, from, size, withCategory).thenApply(slice -> PageView.of(slice, from, size));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ProductView patch(@PathParam("id") String id, JsonNode body) throws JsonProcessingException {
        long productId = Params.positiveId("id", id);
        JsonPatchSupport.Patch<ProductPatch> patch = patches.read(body, ProductPatch.class, "name", "price", "quantity");
        return catalog.patchProduct(productId, patch.value(), patch.present());
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        catalog.deleteProduct(Params.positiveId("id", id));
        return Response.noContent().build();
    }

    /** Bulk change of every product matching the filters: one UPDATE statement. */
    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    public Updated updateMany(@QueryParam("minPrice") String minPrice, @QueryParam("maxPrice") String maxPrice,
            @QueryParam("inStock") String inStock,
            @NotNull(message = "a JSON body is required") @Valid BulkChange body) {
        ProductQuery filter = ProductQuery.parse(minPrice, maxPrice, inStock, null, null);
        return new Updated(catalog.updateProducts(filter, body));
    }

    /** Bulk delete: only {@code outOfStock=true} is accepted, so that a bare DELETE never empties the catalog. */
    @DELETE
    public Deleted deleteMany(@QueryParam("outOfStock") String outOfStock) {
        Boolean flag = Params.optionalBoolean("outOfStock", outOfStock);
        if (!Boolean.TRUE.equals(flag)) {
            throw ApiException.badRequest("outOfStock", "must be true (the only bulk delete supported)");
        }
        return new Deleted(catalog.deleteOutOfStock());
    }
}
