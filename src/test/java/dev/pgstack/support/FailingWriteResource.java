package dev.pgstack.support;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import dev.pgstack.chat.ChatDtos.NewMessage;
import dev.pgstack.chat.ConversationService;

/**
 * Test-only endpoints (src/test, never packaged) that write through the real services and then fail, to prove that
 * one request is one transaction: everything it wrote is rolled back and its connection returned.
 */
@Path("/test-support/failing-writes")
public class FailingWriteResource {

    @Inject
    ConversationService conversations;

    @POST
    @Path("runtime/{id}")
    @Transactional(rollbackOn = Exception.class)
    public void failWithRuntimeException(@PathParam("id") long id) {
        writeUserAndMessage(id);
        throw new IllegalStateException("failure after writing");
    }

    @POST
    @Path("checked/{id}")
    @Transactional(rollbackOn = Exception.class)
    public void failWithCheckedException(@PathParam("id") long id) throws Exception {
        writeUserAndMessage(id);
        throw new java.io.IOException("checked failure after writing");
    }

    @POST
    @Path("database/{id}")
    @Transactional(rollbackOn = Exception.class)
    public void failInTheDatabase(@PathParam("id") long id) {
        writeUserAndMessage(id);
        // the second insert of the same message id breaks the primary key at flush time, inside the database
        conversations.addMessage(id, new NewMessage("user", "second"));
        jakarta.persistence.EntityManager em = io.quarkus.hibernate.orm.panache.Panache.getEntityManager();
        em.createNativeQuery("INSERT INTO users (id, created_at, updated_at) VALUES (:id, now(), now())")
                .setParameter("id", id).executeUpdate();
    }

    private void writeUserAndMessage(long id) {
        conversations.upsertUser(id);
        conversations.addMessage(id, new NewMessage("user", "written before the failure"));
    }
}
