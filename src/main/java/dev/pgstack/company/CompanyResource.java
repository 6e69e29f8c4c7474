package dev.pgstack.company;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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

import dev.pgstack.company.CompanyDtos.CompanyBody;
import dev.pgstack.company.CompanyDtos.CompanyPatch;
import dev.pgstack.company.CompanyDtos.CompanyView;
import dev.pgstack.company.CompanyDtos.NewStorageObject;
import dev.pgstack.company.CompanyDtos.StorageObjectView;
import dev.pgstack.problem.ApiException;
import dev.pgstack.web.idempotency.Idempotent;
import dev.pgstack.web.input.JsonPatchSupport;
import dev.pgstack.web.view.PageView;
import dev.pgstack.web.input.Params;

/** Companies and their storage objects (contract: /q/openapi). */
@Path("/api/companies")
@Produces(MediaType.APPLICATION_JSON)
public class CompanyResource {

    private final CompanyService companies;
    private final JsonPatchSupport patches;

    CompanyResource(CompanyService companies, JsonPatchSupport patches) {
        this.companies = companies;
        this.patches = patches;
    }

    @Idempotent
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@NotNull(message = "a JSON body is required") @Valid CompanyBody body) {
        CompanyView created = companies.create(body);
        return Response.created(URI.create("/api/companies/" + created.id())).entity(created).build();
    }

    @GET
    public PageView<CompanyView> list(@QueryParam("skip") String skip, @QueryParam("limit") String limit) {
        int from = Params.intInRange("skip", skip, 0, 10_000_000, 0);
        int size = Params.intInRange("limit", limit, 1, 500, 100);
        return PageView.of(companies.list(from, size), from, size);
    }

    @GET
    @Path("{id}")
    public CompanyView get(@PathParam("id") String id) {
        return companies.get(Params.positiveId("id", id));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompanyView patch(@PathParam("id") String id, JsonNode body) throws JsonProcessingException {
        long companyId = Params.positiveId("id", id);
        JsonPatchSupport.Patch<CompanyPatch> patch = patches.read(body, CompanyPatch.class, "name");
        return companies.patch(companyId, patch.value(), patch.present());
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        companies.delete(Params.positiveId("id", id));
        return Response.noContent().build();
    }

    @Idempotent
    @POST
    @Path("{id}/storage")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addObject(@PathParam("id") String id,
            @NotNull(message = "a JSON body is required") @Valid NewStorageObject body) {
        StorageObjectView created = companies.addObject(Params.positiveId("id", id), body);
        return Response.created(URI.create("/api/companies/" + created.companyId() + "/storage/" + created.id()))
                .entity(created).build();
    }

    @GET
    @Path("{id}/storage")
    public PageView<StorageObjectView> objects(@PathParam("id") String id, @QueryParam("prefix") String prefix,
            @QueryParam("skip") String skip, @QueryParam("limit") String limit) {
        if (prefix != null && (prefix.codePointCount(0, prefix.length()) > 1024 || prefix.indexOf('\0') >= 0)) {
            throw ApiException.badRequest("prefix", "must be at most 1024 characters, without NUL");
        }
        long companyId = Params.positiveId("id", id);
        int from = Params.intInRange("skip", skip, 0, 10_000_000, 0);
        int size = Params.intInRange("limit", limit, 1, 500, 100);
        return PageView.of(companies.objects(companyId, prefix, from, size), from, size);
    }

    @GET
    @Path("{id}/storage/{objectId}")
    public StorageObjectView object(@PathParam("id") String id, @PathParam("objectId") String objectId) {
        return companies.object(Params.positiveId("id", id), Params.positiveId("objectId", objectId));
    }

    @DELETE
    @Path("{id}/storage/{objectId}")
    public Response deleteObject(@PathParam("id") String id, @PathParam("objectId") String objectId) {
        companies.deleteObject(Params.positiveId("id", id), Params.positiveId("objectId", objectId));
        return Response.noContent().build();
    }
}
