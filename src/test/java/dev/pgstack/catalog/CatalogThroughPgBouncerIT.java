package dev.pgstack.catalog;

import dev.pgstack.support.PgBouncerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The catalog API tests against the packaged application behind PgBouncer in transaction pooling mode. */
@QuarkusIntegrationTest
@WithTestResource(PgBouncerResource.class)
class CatalogThroughPgBouncerIT extends CatalogApiTest {
}
