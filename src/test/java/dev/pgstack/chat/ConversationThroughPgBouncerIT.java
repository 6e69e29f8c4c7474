package dev.pgstack.chat;

import dev.pgstack.support.PgBouncerResource;
import dev.pgstack.support.Suites;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Tag;

/** The conversation API tests against the packaged application behind PgBouncer in transaction pooling mode. */
@Tag(Suites.OWNS_SERVERS)
@QuarkusIntegrationTest
@WithTestResource(PgBouncerResource.class)
class ConversationThroughPgBouncerIT extends ConversationApiTest {
}
