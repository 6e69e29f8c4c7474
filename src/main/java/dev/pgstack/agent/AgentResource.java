package dev.pgstack.agent;

import java.net.URI;
import java.util.List;

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

import dev.pgstack.agent.AgentDtos.AgentPatch;
import dev.pgstack.agent.AgentDtos.AgentView;
import dev.pgstack.agent.AgentDtos.NewAgent;
import dev.pgstack.web.idempotency.Idempotent;
import dev.pgstack.web.input.JsonPatchSupport;
import dev.pgstack.web.input.Params;

/** Agents (contract: /q/openapi). */
@Path("/api/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    private final AgentService agents;
    private final JsonPatchSupport patches;

    AgentResource(AgentService agents, JsonPatchSupport patches) {
        this.agents = agents;
        this.patches = patches;
    }

    @Idempotent
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@NotNull(message = "a JSON body is required") @Valid NewAgent body) {
        AgentView created = agents.create(body);
        return Response.created(URI.create("/api/agents/" + created.id())).entity(created).build();
    }

    @GET
    public List<AgentView> list(@QueryParam("companyId") String companyId) {
        return agents.list(companyId == null || companyId.isEmpty() ? null
                : Params.positiveId("companyId", companyId));
    }

    @GET
    @Path("{id}")
    public AgentView get(@PathParam("id") String id) {
        return agents.get(Params.positiveId("id", id));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public AgentView patch(@PathParam("id") String id, JsonNode body) throws JsonProcessingException {
        long agentId = Params.positiveId("id", id);
        JsonPatchSupport.Patch<AgentPatch> patch = patches.read(body, AgentPatch.class, "name", "model");
        return agents.patch(agentId, patch.value(), patch.present());
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        agents.delete(Params.positiveId("id", id));
        return Response.noContent().build();
    }
}
