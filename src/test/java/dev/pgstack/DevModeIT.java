package dev.pgstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.HeadlessChromium;
import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;

/**
 * The README's first command as a newcomer runs it: {@code ./mvnw quarkus:dev} serves the API on the embedded
 * database, Swagger UI sends its requests to it from a real browser (headless Chromium), and a SIGTERM (a script's {@code kill}, an IDE's stop button) ends Maven and the dev-mode JVM.
 * Runs on a copy of the project, so that dev mode's compilation never touches this build's target/.
 */
@Tag(Suites.OWNS_SERVERS)
class DevModeIT {

    @Test
    void devModeServesAndStopsOnSigterm() throws Exception {
        Path copy = Files.createTempDirectory("pgstack-devmode-");
        for (String name : List.of("pom.xml", "mvnw", ".mvn", "src/main")) {
            copyTree(Path.of(name), copy.resolve(name));
        }
        copy.resolve("mvnw").toFile().setExecutable(true);
        int http = OwnedPostgres.freePort();
        int management = OwnedPostgres.freePort();
        int database = OwnedPostgres.freePort();
        Path log = copy.resolve("dev.log");
        Process maven = new ProcessBuilder("./mvnw", "-B", "-ntp", "quarkus:dev", "-Dquarkus.http.port=" + http,
                "-Dquarkus.management.port=" + management, "-Dquarkus.embedded.postgresql.port=" + database,
                "-Ddebug=false", "-Dquarkus.console.enabled=false").directory(copy.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            int[] status = { -1 };
            PackagedApp.within(Duration.ofSeconds(240), Duration.ofSeconds(1), () -> {
                status[0] = putUser(client, http);
                return status[0] == 201 || !maven.isAlive();
            });
            assertEquals(201, status[0], "dev mode serves the API:\n" + Files.readString(log));
            assertEquals("201", swaggerUiTryItOut(management), "Swagger UI's Try it out sends a POST");
            List<ProcessHandle> family = maven.descendants().toList();
            assertTrue(family.size() >= 1, "dev mode runs the application in a child JVM");

            maven.destroy(); // SIGTERM
            assertTrue(maven.waitFor(30, TimeUnit.SECONDS), "Maven exits after SIGTERM");
            PackagedApp.within(Duration.ofSeconds(30), Duration.ofMillis(200),
                    () -> family.stream().noneMatch(ProcessHandle::isAlive));
            assertTrue(family.stream().noneMatch(ProcessHandle::isAlive), "no dev-mode JVM left behind");
        } finally {
            maven.descendants().forEach(ProcessHandle::destroyForcibly);
            maven.destroyForcibly();
            try (var paths = Files.walk(copy)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * A user's clicks in Swagger UI (served on the management port, so the POST is cross-origin): open
     * POST /api/categories, "Try it out", "Execute" with the example body it offers; the status the UI shows.
     */
    private static String swaggerUiTryItOut(int management) throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.open("http://127.0.0.1:" + management + "/q/swagger-ui/");
            return browser.evaluate("""
                    (async () => {
                      const sleep = ms => new Promise(done => setTimeout(done, ms));
                      const until = async (find, what) => {
                        for (let i = 0; i < 300; i++) { const found = find(); if (found) return found; await sleep(100); }
                        throw new Error('no ' + what + ' in ' + document.body.innerText.slice(0, 500));
                      };
                      const post = await until(() => [...document.querySelectorAll('.opblock-post')].find(b =>
                          b.querySelector('.opblock-summary-path')?.getAttribute('data-path') === '/api/categories'),
                          'POST /api/categories');
                      post.querySelector('.opblock-summary-control').click();
                      (await until(() => post.querySelector('.try-out__btn'), 'Try it out')).click();
                      (await until(() => post.querySelector('.execute'), 'Execute')).click();
                      const status = await until(() => post.querySelector('.live-responses-table tbody .response-col_status'),
                          'answer');
                      const detail = post.querySelector('.live-responses-table tbody .response-col_description')?.innerText;
                      return status.innerText.trim() === '201' ? '201' : status.innerText + ': ' + detail;
                    })()
                    """);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target);
                }
            }
        }
    }

    /** PUT /api/users/42 on the dev-mode service: its status, -1 while it is still compiling or starting. */
    private static int putUser(HttpClient client, int http) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/users/42"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException notYet) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
