package dev.pgstack.agent;

import dev.pgstack.support.OwnedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same HTTP tests against the packaged application (prod profile, own PostgreSQL). */
@QuarkusIntegrationTest
@WithTestResource(OwnedPostgresResource.class)
class AgentApiIT extends AgentApiTest {
}
