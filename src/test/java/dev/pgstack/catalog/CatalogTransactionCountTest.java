package dev.pgstack.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Statements and transactions counted by Hibernate: reads open no transaction, a write one, a bulk insert goes in
 * batches. (A listing's single statement is checked on the SQL echo: CatalogListingStatementTest.)
 */
@QuarkusTest
class CatalogTransactionCountTest {

    @Inject
    SessionFactory sessionFactory;

    @Test
    void readRequestsOpenNoTransactionWritesOpenOne() {
        Statistics stats = sessionFactory.getStatistics();
        long id = Api.product(CatalogApiTest.item("tx-" + UUID.randomUUID(), 1, 1));
        stats.clear();
        given().get("/api/products/{id}", id).then().statusCode(200);
        given().get("/api/products?limit=5&include=category").then().statusCode(200);
        given().get("/api/categories").then().statusCode(200);
        assertEquals(0, stats.getTransactionCount(), "reads run without a transaction of their own");

        given().contentType(ContentType.JSON).body("{\"quantity\": 2}").patch("/api/products/{id}", id).then()
                .statusCode(200);
        assertEquals(1, stats.getTransactionCount(), "one write request, one transaction");
        assertEquals(1, stats.getSuccessfulTransactionCount());
    }

    @Test
    void bulkInsertGoesInBatchesNotOneRoundTripPerRow() {
        String t = "batch-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add(CatalogApiTest.item(t + " " + i, 1, 1));
        }
        Statistics stats = sessionFactory.getStatistics();
        stats.clear();
        given().contentType(ContentType.JSON).body(items).post("/api/products/bulk").then().statusCode(201)
                .body("created", equalTo(200));
        // 200 rows: 4 sequence calls (50 ids each) and 4 batches of 50 inserts, plus the category check (none here)
        long statements = stats.getPrepareStatementCount();
        System.out.printf("bulk insert of 200 products: %d prepared statements%n", statements);
        org.junit.jupiter.api.Assertions.assertTrue(statements <= 12, "statements: " + statements);
    }
}
