package dev.pgstack.web;

import dev.pgstack.support.OwnedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The hostile-input suite against the packaged application. */
@QuarkusIntegrationTest
@WithTestResource(OwnedPostgresResource.class)
class HostileInputIT extends HostileInputTest {
}
