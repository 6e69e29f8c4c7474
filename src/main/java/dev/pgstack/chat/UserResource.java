package dev.pgstack.chat;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pgstack.chat.ChatDtos.DeletedCount;
import dev.pgstack.chat.ChatDtos.MessageView;
import dev.pgstack.chat.ChatDtos.NewMessage;
import dev.pgstack.chat.ChatDtos.NoFields;
import dev.pgstack.chat.ChatDtos.SettingsUpdate;
import dev.pgstack.chat.ChatDtos.SettingsView;
import dev.pgstack.chat.ChatDtos.UserView;
import dev.pgstack.problem.ApiException;
import dev.pgstack.web.idempotency.Idempotent;
import dev.pgstack.web.input.Params;

/** Users, their settings and their messages (contract: /q/openapi). */
@Path("/api/users/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    private final ConversationService conversations;
    private final ObjectMapper mapper;

    UserResource(ConversationService conversations, ObjectMapper mapper) {
        this.conversations = conversations;
        this.mapper = mapper;
    }

    /**
     * API.md: the body is none or {@code {}}. Anything else is refused as it would be anywhere else (an unknown
     * field, another shape, not JSON) rather than ignored; an empty body passes whatever its declared type, as
     * {@code curl -X PUT} and form-posting clients send one.
     */
    @PUT
    public Response upsert(@PathParam("id") String id, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @RequestBody(required = false, description = "none, or an empty object", content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NoFields.class)))
            byte[] body) throws IOException {
        long userId = userId(id);
        if (body != null && body.length > 0) {
            if (!isJson(contentType)) {
                throw new NotSupportedException();
            }
            mapper.readValue(body, NoFields.class);
        }
        ConversationService.Upserted result = conversations.upsertUser(userId);
        return Response.status(result.created() ? 201 : 200).entity(result.user()).build();
    }

    @GET
    public UserView get(@PathParam("id") String id) {
        return conversations.user(userId(id));
    }

    @DELETE
    public Response delete(@PathParam("id") String id) {
        conversations.deleteUser(userId(id));
        return Response.noContent().build();
    }

    @GET
    @Path("settings")
    public SettingsView settings(@PathParam("id") String id) {
        return conversations.settings(userId(id));
    }

    @PUT
    @Path("settings")
    @Consumes(MediaType.APPLICATION_JSON)
    public SettingsView updateSettings(@PathParam("id") String id, @NotNull @Valid SettingsUpdate body) {
        return conversations.updateSettings(userId(id), body);
    }

    @Idempotent
    @POST
    @Path("messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> addMessage(@PathParam("id") String id, @NotNull @Valid NewMessage body) {
        return conversations.addMessage(userId(id), body).thenApply(created -> Response.created(
                URI.create("/api/users/" + created.userId() + "/messages/" + created.id())).entity(created).build());
    }

    @GET
    @Path("messages")
    public CompletionStage<List<MessageView>> history(@PathParam("id") String id, @QueryParam("limit") String limit) {
        long userId = userId(id);
        return conversations.history(userId, Params.optionalIntInRange("limit", limit, 1, 1000));
    }

    @GET
    @Path("messages/{messageId}")
    public MessageView message(@PathParam("id") String id, @PathParam("messageId") String messageId) {
        long userId = userId(id);
        UUID uuid;
        try {
            uuid = UUID.fromString(messageId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("messageId", "must be a UUID");
        }
        return conversations.message(userId, uuid);
    }

    @DELETE
    @Path("messages")
    public DeletedCount clearHistory(@PathParam("id") String id) {
        return new DeletedCount(conversations.clearHistory(userId(id)));
    }

    private static long userId(String raw) {
        return Params.positiveId("id", raw);
    }

    private static boolean isJson(String contentType) {
        try {
            return contentType != null && MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
