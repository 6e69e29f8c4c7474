package dev.pgstack.chat;

import dev.pgstack.support.OwnedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The conversation API tests again, against the packaged application (prod profile, own PostgreSQL). */
@QuarkusIntegrationTest
@WithTestResource(OwnedPostgresResource.class)
class ConversationApiIT extends ConversationApiTest {
}
