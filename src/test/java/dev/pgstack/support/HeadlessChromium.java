package dev.pgstack.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real browser for the tests: Debian's Chromium, headless, driven over the DevTools protocol (a WebSocket, with
 * the JDK's own client) to load a page and run a script in it as a user's clicks would. Its profile lives in a
 * temporary directory that {@link #close()} removes; the debugging port is chosen by Chromium itself (port 0) and
 * read back from its profile, so no port is picked here and bound later.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, String pageSocket) {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(pageSocket), new Replies()).join();
    }

    public static HeadlessChromium start() throws Exception {
        Path profile = Files.createTempDirectory("pgstack-chromium-");
        Process process = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            PackagedApp.await("Chromium's DevTools port", Duration.ofSeconds(30), () -> lines(portFile) >= 2);
            String port = Files.readAllLines(portFile).get(0).trim();
            HttpResponse<String> targets = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : JSON.readTree(targets.body())) {
                if ("page".equals(target.path("type").asText())) {
                    return new HeadlessChromium(process, profile, target.path("webSocketDebuggerUrl").asText());
                }
            }
            throw new IllegalStateException("Chromium opened no page: " + targets.body());
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            delete(profile);
            throw e;
        }
    }

    private static int lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException beingWritten) {
            return 0;
        }
    }

    /** Loads {@code url} and waits for its load event. */
    public void open(String url) throws Exception {
        call("Page.enable", Map.of());
        CompletableFuture<JsonNode> loaded = new CompletableFuture<>();
        pending.put(-1, loaded); // events carry no id: the load event completes this one
        call("Page.navigate", Map.of("url", url));
        loaded.get(30, TimeUnit.SECONDS);
    }

    /** The value of a script (an async function's result is awaited), or an error naming what the page threw. */
    public String evaluate(String script) throws Exception {
        JsonNode reply = call("Runtime.evaluate",
                Map.of("expression", script, "awaitPromise", true, "returnByValue", true));
        JsonNode thrown = reply.path("exceptionDetails");
        if (!thrown.isMissingNode()) {
            throw new AssertionError("the page's script failed: " + thrown.path("exception").path("description")
                    .asText(thrown.path("text").asText()));
        }
        return reply.path("result").path("value").asText();
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).join();
        JsonNode answer = reply.get(60, TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + ": " + answer.path("error"));
        }
        return answer.path("result");
    }

    /** Collects frames into messages; a reply completes its call, the page's load event the pending navigation. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode reply = JSON.readTree(message.toString());
                    if (reply.has("id")) {
                        CompletableFuture<JsonNode> call = pending.remove(reply.path("id").asInt());
                        if (call != null) {
                            call.complete(reply);
                        }
                    } else if ("Page.loadEventFired".equals(reply.path("method").asText())) {
                        CompletableFuture<JsonNode> navigation = pending.remove(-1);
                        if (navigation != null) {
                            navigation.complete(reply);
                        }
                    }
                } catch (IOException e) {
                    pending.values().forEach(call -> call.completeExceptionally(e));
                }
                message.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delete(profile);
    }

    private static void delete(Path directory) throws IOException {
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
