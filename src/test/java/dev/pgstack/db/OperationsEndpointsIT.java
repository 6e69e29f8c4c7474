package dev.pgstack.db;

import dev.pgstack.support.OwnedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The operations endpoints again, on the packaged application. */
@QuarkusIntegrationTest
@WithTestResource(OwnedPostgresResource.class)
class OperationsEndpointsIT extends OperationsEndpointsTest {
}
