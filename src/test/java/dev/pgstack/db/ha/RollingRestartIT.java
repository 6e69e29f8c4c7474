package dev.pgstack.db.ha;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.MessageLoad;
import dev.pgstack.support.MessageLoad.Pace;
import dev.pgstack.support.MessageLoad.Request;
import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;

/**
 * Three instances behind HAProxy (HTTP, Patroni-style readiness checks on the management port), under readers
 * and writers: each instance in turn gets SIGTERM and a new one starts on its ports. Readiness turns DOWN at once,
 * the balancer stops routing within two check intervals, requests in flight drain during the shutdown delay, the
 * new instance comes in when ready: no request fails.
 */
@Tag(Suites.OWNS_SERVERS)
class RollingRestartIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aRollingRestartUnderLoadFailsNoRequest() throws Exception {
        try (OwnedPostgres postgres = new OwnedPostgres().start()) {
            postgres.createAppDatabase("roll_app", "roll-pw", "rolldb");
            int size = 3;
            int[] http = new int[size];
            int[] management = new int[size];
            List<PackagedApp> apps = new ArrayList<>();
            Process haproxy = null;
            Path cfg = Files.createTempFile("pgstack-haproxy-", ".cfg");
            try {
                for (int i = 0; i < size; i++) {
                    http[i] = OwnedPostgres.freePort();
                    management[i] = OwnedPostgres.freePort();
                    apps.add(launch(postgres, http[i], management[i]));
                }
                for (PackagedApp app : apps) {
                    PackagedApp.await("ready", Duration.ofSeconds(90),
                            () -> app.management("/q/health/ready").status() == 200);
                }
                int front = OwnedPostgres.freePort();
                Files.writeString(cfg, haproxyConfig(front, http, management));
                haproxy = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                String base = "http://127.0.0.1:" + front;
                PackagedApp.await("HAProxy routing", Duration.ofSeconds(20), () -> status(base + "/api/categories") == 200);
                assertEquals(201, status(HttpRequest.newBuilder(URI.create(base + "/api/users/42")).PUT(
                        HttpRequest.BodyPublishers.noBody()).build()));

                // six clients, each a write then two reads of user 42's messages, until stopped
                MessageLoad load = MessageLoad.of(6, Pace.STANDARD.backingOff(0), (client, i) -> i % 3 == 0
                        ? new Request("POST /api/users/42/messages", () -> PackagedApp.send(HttpRequest.newBuilder(
                                URI.create(base + "/api/users/42/messages")).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"role\":\"user\",\"content\":\"roll " + client + "-" + i + "\"}"))))
                        : new Request("GET /api/users/42/messages", () -> PackagedApp.send(HttpRequest.newBuilder(
                                URI.create(base + "/api/users/42/messages?limit=5")))));
                try (load) {
                    for (int i = 0; i < size; i++) {
                        PackagedApp serving = apps.get(i);
                        PackagedApp.await("HAProxy routes the load to instance " + i, Duration.ofSeconds(30),
                                () -> servesTheLoad(serving));
                    }
                    for (int i = 0; i < size; i++) {
                        PackagedApp old = apps.get(i);
                        old.signalTerm();
                        assertEquals(0, old.waitForExit(Duration.ofSeconds(60)), "SIGTERM is a clean stop");
                        old.close();
                        PackagedApp fresh = launch(postgres, http[i], management[i]);
                        apps.set(i, fresh);
                        PackagedApp.await("instance " + i + " back", Duration.ofSeconds(90),
                                () -> fresh.management("/q/health/ready").status() == 200);
                        // in rotation again before the next instance stops
                        PackagedApp.await("HAProxy routes the load to the new instance " + i, Duration.ofSeconds(30),
                                () -> servesTheLoad(fresh));
                    }
                }
                List<String> failures = load.results.stream().filter(r -> r.status() / 100 != 2)
                        .map(r -> r.content() + " -> " + r.status()).toList();
                int total = load.results.size();
                System.out.printf("[rolling restart] %d instances restarted in turn behind HAProxy: %d requests, %d "
                        + "failed%n", size, total, failures.size());
                assertEquals(List.of(), List.copyOf(failures).subList(0, Math.min(10, failures.size())));
                assertTrue(total > 100, "load ran: " + total);
            } finally {
                if (haproxy != null) {
                    haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                apps.forEach(PackagedApp::close);
                Files.deleteIfExists(cfg);
            }
        }
    }

    /** The instance has answered a request of the load on its public port (HAProxy routes to it). */
    private static boolean servesTheLoad(PackagedApp app) {
        return app.management("/q/metrics").body().contains("uri=\"/api/users/{id}/messages\"");
    }

    private static PackagedApp launch(OwnedPostgres postgres, int http, int management) throws IOException {
        return PackagedApp.launch(Map.of("DATABASE_URL", "postgresql://roll_app:roll-pw@127.0.0.1:" + postgres.port()
                + "/rolldb", "PORT", Integer.toString(http), "QUARKUS_MANAGEMENT_PORT", Integer.toString(management),
                // the shipped shutdown delay: it covers HAProxy's two failed checks (about 1-1.5 s) with room to
                // spare on a busy machine, so that no request reaches the instance after it stops taking them
                "QUARKUS_SHUTDOWN_DELAY", "5S", "DB_POOL_SIZE", "2", "DB_MAX_OVERFLOW", "6"));
    }

    /**
     * HTTP mode, readiness checked every 500 ms on the management port, a connection refused sent elsewhere. A
     * check may take up to 3 s to answer ({@code timeout check}; without it, the check's timeout is {@code inter},
     * and one readiness answer slower than 500 ms on a busy machine, while a fresh JVM starts, failed the check)
     * and an instance leaves after two failed checks in a row ({@code fall 2}), so that one slow answer cannot take
     * the two instances still running out at once (HAProxy answering 503). A terminating instance answers DOWN at
     * once: it leaves after 2 intervals, about 1-1.5 s, well within its shutdown delay (5 s, see launch).
     */
    private static String haproxyConfig(int front, int[] http, int[] management) {
        StringBuilder cfg = new StringBuilder(String.join("\n", "global", "  maxconn 2000", "defaults", "  mode http",
                "  timeout connect 2s", "  timeout client 30s", "  timeout server 30s", "  timeout check 3s",
                "  retries 3", "  option redispatch", "listen api", "  bind 127.0.0.1:" + front,
                "  balance roundrobin", "  option httpchk GET /q/health/ready", "  http-check expect status 200",
                "  default-server inter 500ms fall 2 rise 2", ""));
        for (int i = 0; i < http.length; i++) {
            cfg.append("  server pgstack").append(i).append(" 127.0.0.1:").append(http[i]).append(" check port ")
                    .append(management[i]).append('\n');
        }
        return cfg.toString();
    }

    private static int status(String url) {
        return status(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build());
    }

    private static int status(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
