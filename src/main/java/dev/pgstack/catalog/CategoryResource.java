package dev.pgstack.catalog;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import dev.pgstack.web.idempotency.Idempotent;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.pgstack.catalog.CatalogDtos.CategoryView;
import dev.pgstack.catalog.CatalogDtos.NewCategory;
import dev.pgstack.web.input.Params;

@Path("/api/categories")
@Produces(MediaType.APPLICATION_JSON)
public class CategoryResource {

    private final CatalogService catalog;

    CategoryResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @Idempotent
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@NotNull(message = "a JSON body is required") @Valid NewCategory body) {
        CategoryView created = catalog.createCategory(body);
        return Response.created(URI.create("/api/categories/" + created.id())).entity(created).build();
    }

    @GET
    public List<CategoryView> list() {
        return catalog.categories();
    }

    /** Not in API.md, which is silent on it: the {@code Location} that {@link #create} answers must lead somewhere. */
    @GET
    @Path("{id}")
    public CategoryView get(@PathParam("id") String id) {
        return catalog.category(Params.positiveId("id", id));
    }
}
