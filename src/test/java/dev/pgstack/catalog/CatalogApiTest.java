package dev.pgstack.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pgstack.support.Api;
import dev.pgstack.support.Ids;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The product catalog as API.md specifies it. Each test works on names of its own (a unique tag). */
@QuarkusTest
class CatalogApiTest {

    static Map<String, Object> item(String name, double price, int quantity) {
        return new java.util.HashMap<>(Map.of("name", name, "price", price, "quantity", quantity));
    }

    // ---- categories ----

    @Test
    void categoriesAreCreatedListedAndUniqueByName() {
        String name = Ids.unique("t") + " books";
        given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/categories").then()
                .statusCode(201).body("id", notNullValue()).body("name", equalTo(name))
                .header("Location", notNullValue());
        given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/categories").then()
                .statusCode(409).contentType("application/problem+json")
                .body("status", equalTo(409)).body("detail", equalTo("name: already exists"));
        given().get("/api/categories").then().statusCode(200).body("name", hasItem(name));
    }

    @Test
    void aCategoryIsReadByIdAndUnknownOrMalformedIdsAre404And400() {
        int id = given().contentType(ContentType.JSON).body(Map.of("name", Ids.unique("t") + " maps"))
                .post("/api/categories").then().statusCode(201).extract().path("id");
        given().get("/api/categories/{id}", id).then().statusCode(200).body("id", equalTo(id));
        given().get("/api/categories/{id}", Long.MAX_VALUE).then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("category " + Long.MAX_VALUE
                        + " does not exist"));
        given().get("/api/categories/abc").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("id"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"name\": \"\"}", "{\"name\": \"   \"}", "{\"name\": null}", "{\"name\": 5}",
            "{\"name\": \"x\", \"extra\": true}", "[]", "{" })
    void badCategoriesAre400(String body) {
        given().contentType(ContentType.JSON).body(body).post("/api/categories").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void categoryNameOver100CharactersIs400() {
        given().contentType(ContentType.JSON).body(Map.of("name", "c".repeat(101))).post("/api/categories").then()
                .statusCode(400).body("violations.field", contains("name"));
    }

    // ---- products: CRUD ----

    @Test
    void productIsCreatedWithDefaultsAndReadBack() {
        String t = Ids.unique("t");
        long cat = Api.category(t + " cat");
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", t + " lamp", "price", 19.99,
                "categoryId", cat));
        body.put("description", null);

        String location = given().contentType(ContentType.JSON).body(body).post("/api/products").then()
                .statusCode(201)
                .body("name", equalTo(t + " lamp"))
                .body("description", nullValue())
                .body("price", equalTo(19.99f))
                .body("quantity", equalTo(0))
                .body("categoryId", equalTo((int) cat))
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue())
                .body("$", not(hasKey("category")))
                .extract().header("Location");

        given().get(location.substring(location.indexOf("/api/"))).then().statusCode(200)
                .body("name", equalTo(t + " lamp")).body("price", equalTo(19.99f));
    }

    @Test
    void unknownProductIs404AndBadIdIs400() {
        given().get("/api/products/{id}", Long.MAX_VALUE).then().statusCode(404)
                .contentType("application/problem+json");
        given().delete("/api/products/{id}", Long.MAX_VALUE).then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"quantity\": 1}")
                .patch("/api/products/{id}", Long.MAX_VALUE).then().statusCode(404);
        given().get("/api/products/abc").then().statusCode(400).body("violations.field", contains("id"));
    }

    @Test
    void unknownCategoryIsA400NamingTheFieldNotAForeignKeyError() {
        Map<String, Object> body = item(Ids.unique("t"), 1, 1);
        body.put("categoryId", Long.MAX_VALUE);
        given().contentType(ContentType.JSON).body(body).post("/api/products").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", contains("categoryId"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"price\": 1}",
            "{\"name\": \"x\"}",
            "{\"name\": \"\", \"price\": 1}",
            "{\"name\": \"x\", \"price\": -0.01}",
            "{\"name\": \"x\", \"price\": 1.001}",
            "{\"name\": \"x\", \"price\": \"1\"}",
            "{\"name\": \"x\", \"price\": 1e20}",
            "{\"name\": \"x\", \"price\": 1, \"quantity\": -1}",
            "{\"name\": \"x\", \"price\": 1, \"quantity\": 1.5}",
            "{\"name\": \"x\", \"price\": 1, \"quantity\": 3000000000}",
            "{\"name\": \"x\", \"price\": 1, \"categoryId\": 0}",
            "{\"name\": \"x\", \"price\": 1, \"categoryId\": \"abc\"}",
            "{\"name\": \"x\", \"price\": 1, \"sku\": \"unknown field\"}",
            "{\"name\": \"x\", \"price\": 1, \"description\": 7}",
            "{\"name\": \"x\\u0000y\", \"price\": 1}",
            "not json",
    })
    void badProductsAre400(String body) {
        given().contentType(ContentType.JSON).body(body).post("/api/products").then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400));
    }

    @Test
    void longNameAndDescriptionAre400() {
        Map<String, Object> tooLongName = item("n".repeat(101), 1, 0);
        given().contentType(ContentType.JSON).body(tooLongName).post("/api/products").then().statusCode(400)
                .body("violations.field", contains("name"));
        Map<String, Object> tooLongDescription = item("ok", 1, 0);
        tooLongDescription.put("description", "d".repeat(501));
        given().contentType(ContentType.JSON).body(tooLongDescription).post("/api/products").then()
                .statusCode(400).body("violations.field", contains("description"));
    }

    @Test
    void patchChangesOnlyTheFieldsSentAndNullClearsNullableOnes() {
        String t = Ids.unique("t");
        long cat = Api.category(t + " c");
        Map<String, Object> body = item(t + " chair", 50, 3);
        body.put("description", "wooden");
        body.put("categoryId", cat);
        long id = Api.product(body);

        given().contentType(ContentType.JSON).body("{\"price\": 45.5}").patch("/api/products/{id}", id).then()
                .statusCode(200)
                .body("price", equalTo(45.5f)).body("name", equalTo(t + " chair"))
                .body("description", equalTo("wooden")).body("quantity", equalTo(3))
                .body("categoryId", equalTo((int) cat));

        given().contentType(ContentType.JSON).body("{\"description\": null, \"categoryId\": null}")
                .patch("/api/products/{id}", id).then().statusCode(200)
                .body("description", nullValue()).body("categoryId", nullValue()).body("price", equalTo(45.5f));

        given().contentType(ContentType.JSON).body("{}").patch("/api/products/{id}", id).then().statusCode(200)
                .body("name", equalTo(t + " chair"));
        given().get("/api/products/{id}", id).then()
                .body("description", nullValue()).body("categoryId", nullValue()).body("quantity", equalTo(3));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"name\": null}", "{\"price\": null}", "{\"quantity\": null}",
            "{\"price\": -1}", "{\"name\": \"\"}", "{\"categoryId\": 999999999999}", "{\"colour\": \"red\"}",
            "[1]", "\"x\"", "{\"quantity\": \"5\"}" })
    void badPatchesAre400AndChangeNothing(String body) {
        long id = Api.product(item(Ids.unique("t"), 10, 1));
        given().contentType(ContentType.JSON).body(body).patch("/api/products/{id}", id).then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/products/{id}", id).then().body("price", equalTo(10f)).body("quantity", equalTo(1));
    }

    @Test
    void deleteRemovesTheProduct() {
        long id = Api.product(item(Ids.unique("t"), 1, 1));
        given().delete("/api/products/{id}", id).then().statusCode(204);
        given().get("/api/products/{id}", id).then().statusCode(404);
        given().delete("/api/products/{id}", id).then().statusCode(404);
    }

    // ---- listing ----

    @Test
    void listingFiltersSortsAndPaginatesWithTheMatchingTotal() {
        String t = Ids.unique("t");
        Api.product(item(t + " Alpha", 5, 0));
        Api.product(item(t + " beta", 15, 2));
        Api.product(item(t + " GAMMA", 25, 7));
        Api.product(item(t + " delta", 35, 1));

        given().get("/api/products?q={q}&sort=price", t).then().statusCode(200)
                .body("total", equalTo(4)).body("skip", equalTo(0)).body("limit", equalTo(100))
                .body("items.price", contains(5f, 15f, 25f, 35f));
        given().get("/api/products?q={q}&sort=-price&limit=2&skip=1", t).then()
                .body("total", equalTo(4)).body("skip", equalTo(1)).body("limit", equalTo(2))
                .body("items.price", contains(25f, 15f));
        given().get("/api/products?q={q}&minPrice=10&maxPrice=30&sort=price", t).then()
                .body("total", equalTo(2)).body("items.price", contains(15f, 25f));
        given().get("/api/products?q={q}&inStock=true&sort=price", t).then()
                .body("total", equalTo(3)).body("items.quantity", everyItem(greaterThan(0)));
        given().get("/api/products?q={q}&inStock=false", t).then()
                .body("total", equalTo(1)).body("items[0].quantity", equalTo(0));
        // q is case-insensitive
        given().get("/api/products?q={q}", (t + " gamma").toUpperCase()).then()
                .body("total", equalTo(1)).body("items[0].name", equalTo(t + " GAMMA"));
        given().get("/api/products?q={q}&sort=name", t).then()
                .body("items.name", contains(t + " Alpha", t + " GAMMA", t + " beta", t + " delta"));
        given().get("/api/products?q={q}&sort=-createdAt", t).then()
                .body("items[0].name", equalTo(t + " delta"));
        given().get("/api/products?q={q}&skip=10", t).then().body("total", equalTo(4)).body("items", hasSize(0));
    }

    @Test
    void likeWildcardsInQAreLiteral() {
        String t = Ids.unique("t");
        Api.product(item(t + " 100% cotton", 1, 1));
        Api.product(item(t + " 100 cotton", 1, 1));
        given().get("/api/products?q={q}", t + " 100%").then().body("total", equalTo(1));
        given().get("/api/products?q={q}", t + " 100_").then().body("total", equalTo(0));
    }

    @ParameterizedTest
    @ValueSource(strings = { "sort=cost", "sort=-name", "sort=price;drop", "limit=0", "limit=501", "limit=x",
            "skip=-1", "skip=x", "minPrice=-1", "minPrice=abc", "maxPrice=1e999", "inStock=maybe",
            "include=owner", "minPrice=10&maxPrice=5" })
    void badListingParametersAre400(String query) {
        given().get("/api/products?" + query).then().statusCode(400).contentType("application/problem+json")
                .body("violations", hasSize(1));
    }

    @Test
    void includeCategoryEmbedsIdAndName() {
        String t = Ids.unique("t");
        long cat = Api.category(t + " toys");
        Map<String, Object> withCategory = item(t + " kite", 9, 1);
        withCategory.put("categoryId", cat);
        Api.product(withCategory);
        Api.product(item(t + " loose", 9, 1));

        given().get("/api/products?q={q}&include=category&sort=name", t).then().statusCode(200)
                .body("items[0].category.id", equalTo((int) cat))
                .body("items[0].category.name", equalTo(t + " toys"))
                .body("items[1]", hasKey("category"))
                .body("items[1].category", nullValue());
        given().get("/api/products?q={q}", t).then().body("items[0]", not(hasKey("category")));
    }

    @Test
    void theUnfilteredTotalCountsEveryProductThroughCreatesAndDeletes() {
        int before = given().get("/api/products?limit=1").then().statusCode(200).extract().path("total");
        String t = Ids.unique("t");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add(item(t + " counted" + i, i, 0));
        }
        List<Integer> ids = given().contentType(ContentType.JSON).body(items).post("/api/products/bulk").then()
                .statusCode(201).extract().path("ids");
        given().get("/api/products?limit=1").then().body("total", equalTo(before + 3));
        items.add(item("", 1, 1)); // a refused bulk request leaves no product and no count behind
        given().contentType(ContentType.JSON).body(items).post("/api/products/bulk").then().statusCode(400);
        given().get("/api/products?limit=1").then().body("total", equalTo(before + 3));
        given().delete("/api/products/{id}", ids.get(0)).then().statusCode(204);
        given().get("/api/products?limit=1").then().body("total", equalTo(before + 2));
        // the page past the last product is empty, with the same total
        given().get("/api/products?skip={skip}", before + 2).then().body("total", equalTo(before + 2))
                .body("items", hasSize(0));
    }

    // ---- bulk ----

    @Test
    void bulkCreateIsAllOrNothing() {
        String t = Ids.unique("t");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(item(t + " ok" + i, i, i));
        }
        items.add(item("", 1, 1)); // invalid: the whole request fails
        given().contentType(ContentType.JSON).body(items).post("/api/products/bulk").then().statusCode(400)
                .body("violations.field", contains("[5].name"));
        given().get("/api/products?q={q}", t).then().body("total", equalTo(0));

        items.remove(5);
        Map<String, Object> unknownCategory = item(t + " bad cat", 1, 1);
        unknownCategory.put("categoryId", Long.MAX_VALUE - 1);
        items.add(unknownCategory);
        given().contentType(ContentType.JSON).body(items).post("/api/products/bulk").then().statusCode(400)
                .body("violations.field", contains("[5].categoryId"));
        given().get("/api/products?q={q}", t).then().body("total", equalTo(0));

        items.remove(5);
        given().contentType(ContentType.JSON).body(items).post("/api/products/bulk").then().statusCode(201)
                .body("created", equalTo(5)).body("ids", hasSize(5));
        given().get("/api/products?q={q}", t).then().body("total", equalTo(5));
    }

    @Test
    void bulkCreateTakesOneToAThousandItems() {
        given().contentType(ContentType.JSON).body("[]").post("/api/products/bulk").then().statusCode(400);
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(item("p" + i, 1, 1));
        }
        given().contentType(ContentType.JSON).body(tooMany).post("/api/products/bulk").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"name\": \"x\"}").post("/api/products/bulk").then()
                .statusCode(400);
        given().contentType(ContentType.JSON).body("[null]").post("/api/products/bulk").then().statusCode(400);
    }

    @Test
    void bulkCreateOfAThousandProducts() {
        String t = Ids.unique("t");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(item(t + " #" + i, i % 100, i % 7));
        }
        long start = System.nanoTime();
        List<Number> ids = given().contentType(ContentType.JSON).body(items).post("/api/products/bulk").then()
                .statusCode(201).body("created", equalTo(1000)).extract().path("ids");
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("bulk insert of 1000 products: %d ms (HTTP round trip included)%n", ms);
        org.junit.jupiter.api.Assertions.assertEquals(1000, ids.stream().map(Number::longValue).distinct().count());
        given().get("/api/products?q={q}&limit=1", t).then().body("total", equalTo(1000));
    }

    @Test
    void bulkPatchNeedsAFilterAndChangesOnlyMatchingProducts() {
        String t = Ids.unique("t");
        // a price no other test uses: the filter matches this test's products only, whatever ran before
        // (whole numbers: a double with cents plus 100 may carry a third decimal, a 400)
        int price = 5000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(90_000);
        String band = "minPrice=" + price + "&maxPrice=" + price;
        long cheap = Api.product(item(t + " cheap", price, 0));
        long dear = Api.product(item(t + " dear", price + 100, 0));
        long stocked = Api.product(item(t + " stocked", price, 5));

        given().contentType(ContentType.JSON).body("{\"price\": 2}").patch("/api/products").then()
                .statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{}").patch("/api/products?" + band).then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"price\": -2}").patch("/api/products?" + band).then()
                .statusCode(400);

        given().contentType(ContentType.JSON).body("{\"quantity\": 9}")
                .patch("/api/products?" + band + "&inStock=false").then().statusCode(200)
                .body("updated", equalTo(1));
        given().get("/api/products/{id}", cheap).then().body("quantity", equalTo(9));
        given().get("/api/products/{id}", dear).then().body("quantity", equalTo(0));
        given().get("/api/products/{id}", stocked).then().body("quantity", equalTo(5));
    }

    /** Deletes every out-of-stock product there is (the API has no narrower filter): it asserts on its own only. */
    @Test
    void bulkDeleteRemovesOutOfStockProductsOnly() {
        String t = Ids.unique("t");
        long empty = Api.product(item(t + " empty", 1, 0));
        long full = Api.product(item(t + " full", 1, 3));

        given().delete("/api/products").then().statusCode(400).contentType("application/problem+json");
        given().delete("/api/products?outOfStock=false").then().statusCode(400);
        given().delete("/api/products?outOfStock=true").then().statusCode(200)
                .body("deleted", greaterThanOrEqualTo(1));
        given().get("/api/products/{id}", empty).then().statusCode(404);
        given().get("/api/products/{id}", full).then().statusCode(200);
    }

    @Test
    void listingLimitIsAtMost500() {
        // more matching products than the largest page, so that an ignored limit would show
        String t = Ids.unique("t");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            items.add(item(t + " #" + i, 1, 1));
        }
        given().contentType(ContentType.JSON).body(items).post("/api/products/bulk").then().statusCode(201);
        given().get("/api/products?q={q}&limit=500", t).then().statusCode(200).body("items", hasSize(500))
                .body("limit", equalTo(500)).body("total", equalTo(501));
        given().get("/api/products?q={q}&limit=501", t).then().statusCode(400);
        given().get("/api/products?q={q}", t).then().statusCode(200).body("limit", equalTo(100))
                .body("items", hasSize(100));
    }

    @Test
    void problemTypesAreUrns() {
        given().get("/api/products/0").then().body("type", startsWith("urn:pgstack:problem:"));
    }
}
