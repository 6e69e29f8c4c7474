package dev.pgstack.web.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.pgstack.support.FailingWriteResource;

/**
 * The OpenAPI document served on /q/openapi is byte for byte the committed one (issue #31: a refactor must not
 * change the contract by accident). The snapshot is the document of commit 64d621d, checked identical then from the
 * packaged application. A deliberate change of the contract refreshes it: run this test with
 * {@code -Dopenapi.refresh=true}, which writes the served document over the snapshot (and still fails, so that a
 * refresh is never a pass), then review {@code git diff src/test/resources/openapi} and commit it.
 */
@QuarkusTest
@TestProfile(OpenApiSnapshotTest.WithoutTestResources.class)
class OpenApiSnapshotTest {

    /** The packaged application's document: without the resources of the tests ({@code support.FailingWriteResource}). */
    public static class WithoutTestResources implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.openapi.scan.exclude.classes", FailingWriteResource.class.getName());
        }
    }

    static final Path SNAPSHOTS = Path.of("src/test/resources/openapi");

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @ParameterizedTest
    @ValueSource(strings = { "yaml", "json" })
    void theServedDocumentIsTheCommittedOne(String format) throws Exception {
        byte[] served = given().queryParam("format", format).get(openapi).then().statusCode(200).extract()
                .asByteArray();
        Path snapshot = SNAPSHOTS.resolve("openapi." + format);
        if (Boolean.getBoolean("openapi.refresh")) {
            Files.write(snapshot, served);
            fail("refreshed " + snapshot + ": review git diff, commit it, run again without -Dopenapi.refresh");
        }
        byte[] committed = Files.readAllBytes(snapshot);
        if (!Arrays.equals(committed, served)) {
            String why = "/q/openapi?format=" + format + " is not " + snapshot + ". If the contract changed on "
                    + "purpose, run ./mvnw test -Dtest=OpenApiSnapshotTest -Dopenapi.refresh=true, review git diff "
                    + "and commit the snapshot; otherwise the change is a regression of the contract";
            assertEquals(new String(committed, StandardCharsets.UTF_8), new String(served, StandardCharsets.UTF_8),
                    why);
            fail(why + " (the bytes differ, not the characters)");
        }
    }
}
