package dev.pgstack.chat;

import dev.pgstack.support.PgBouncerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The conversation API tests against the packaged application behind PgBouncer in transaction pooling mode. */
@QuarkusIntegrationTest
@WithTestResource(PgBouncerResource.class)
class ConversationThroughPgBouncerIT extends ConversationApiTest {
}
