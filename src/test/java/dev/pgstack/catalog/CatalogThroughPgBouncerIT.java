package dev.pgstack.catalog;

import dev.pgstack.support.PgBouncerResource;
import dev.pgstack.support.Suites;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Tag;

/** The catalog API tests against the packaged application behind PgBouncer in transaction pooling mode. */
@Tag(Suites.OWNS_SERVERS)
@QuarkusIntegrationTest
@WithTestResource(PgBouncerResource.class)
class CatalogThroughPgBouncerIT extends CatalogApiTest {
}
