package dev.pgstack.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** What happens around the application: ids, Content-Length, chunked bodies over the limit, slow bodies. */
@QuarkusTest
class HttpEdgesTest {

    @TestHTTPResource("/")
    java.net.URL base;

    @ParameterizedTest
    @ValueSource(strings = { "+12", "012", "\u0661\u0662", "12%20", "0x1F" })
    void idsArePlainAsciiDigits(String id) {
        given().urlEncodingEnabled(false).get("/api/users/" + id.replace(" ", "%20")).then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("id"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "+5", "05x", "1e2", "\u0661" })
    void queryNumbersArePlainAsciiDigits(String limit) {
        given().queryParam("limit", limit).get("/api/products").then().statusCode(400)
                .body("violations[0].field", equalTo("limit"));
    }

    /**
     * Netty refuses a malformed Content-Length before any handler sees it: a bare 400 (see docs/operations.md
     * "Answered before the application").
     */
    @Test
    void aContentLengthThatIsNotANumberIs400() throws Exception {
        for (String length : new String[] { "+5", "5x", "-1" }) {
            String answer = raw("POST /api/categories HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n{\"a\"}");
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Problem() throws Exception {
        StringBuilder request = new StringBuilder("POST /api/categories HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        String chunk = "x".repeat(64 * 1024);
        for (int i = 0; i < 20; i++) { // 1.25 MiB, over the 1 MiB limit
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("0\r\n\r\n");
        String answer = raw(request.toString());
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer.substring(0, Math.min(200, answer.length())));
        assertTrue(answer.contains("application/problem+json") && answer.contains("\"status\":413"), answer);
    }

    @Test
    void anEmptyBodyIs400NotAWait() {
        long start = System.nanoTime();
        given().contentType("application/json").body("").post("/api/categories").then().statusCode(400)
                .contentType("application/problem+json");
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIs408AndTheConnectionCloses() throws Exception {
        // %test body timeout: 2 s
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/categories HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"name\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("request-timeout"), answer);
            assertTrue(seconds < 8, "answered after " + seconds + " s");
        }
        given().get("/api/categories").then().statusCode(200);
    }

    @Test
    void priceReadsStayConsistentAfterAProblem() {
        given().get("/api/products").then().statusCode(200).body("limit", equalTo(100));
        given().queryParam("limit", "500").get("/api/products").then().statusCode(200).body("limit", equalTo(500));
        given().queryParam("minPrice", "1.50").get("/api/products").then().statusCode(200);
        given().queryParam("minPrice", "1.5e1").get("/api/products").then().statusCode(400)
                .body("detail", containsString("minPrice"));
    }

    @Test
    void methodNotAllowedNamesTheMethodsThatAreAndOptionsListsOnlyThose() {
        given().post("/api/users/5").then().statusCode(405).contentType("application/problem+json")
                .header("Allow", equalTo("DELETE, GET, HEAD, OPTIONS, PUT"));
        given().options("/api/users/5").then().statusCode(204)
                .header("Allow", equalTo("DELETE, GET, HEAD, OPTIONS, PUT"));
        given().options("/api/users/5/messages").then().statusCode(204)
                .header("Allow", equalTo("DELETE, GET, HEAD, OPTIONS, POST"));
        given().options("/api/products/bulk").then().statusCode(204).header("Allow", equalTo("OPTIONS, POST"));
        given().get("/api/products/bulk").then().statusCode(org.hamcrest.Matchers.oneOf(400, 405));
        given().options("/api/nothing").then().statusCode(404);
    }

    @TestHTTPResource(value = "/health", management = true)
    java.net.URL managementHealth;

    @Test
    void unknownManagementPathsAre404Problems() {
        String management = "http://" + managementHealth.getHost() + ":" + managementHealth.getPort();
        given().get(management + "/q/nothing").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
        given().get(management + "/q/health/ready").then().statusCode(200);
    }

    /** Clients that offer an h2c upgrade (Java's HttpClient does by default) are served over HTTP/1.1. */
    @Test
    void anH2cUpgradeOfferIsServedOverHttp11() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
                base.toURI().resolve("/api/categories")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"h2c-" + System.nanoTime()
                        + "\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(java.net.http.HttpClient.Version.HTTP_1_1, r.version());
    }

    /** Writes on its own thread: the server may answer (and close) before the whole request is sent. */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            Thread writer = new Thread(() -> {
                try {
                    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    // closed by the server after its answer
                }
            });
            writer.start();
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0;) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketException e) {
                // reset after the answer
            }
            writer.join(10_000);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
