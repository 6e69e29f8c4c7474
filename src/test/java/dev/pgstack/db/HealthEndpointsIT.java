package dev.pgstack.db;

import dev.pgstack.support.OwnedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The probes again, on the packaged application. */
@QuarkusIntegrationTest
@WithTestResource(OwnedPostgresResource.class)
class HealthEndpointsIT extends HealthEndpointsTest {
}
