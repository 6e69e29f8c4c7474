package dev.pgstack.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.pgstack.db.config.EnvironmentVariable;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) as its users run it: a separate process
 * configured by environment variables only, its output captured to a file for the assertions on logs.
 */
public final class PackagedApp implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    public final int httpPort;
    public final int managementPort;
    public final long launchedAtNanos;

    private PackagedApp(Process process, Path log, int httpPort, int managementPort, long launchedAtNanos) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.launchedAtNanos = launchedAtNanos;
    }

    public static PackagedApp launch(Map<String, String> environment) throws IOException {
        return launch(environment, null);
    }

    /**
     * @param workingDirectory where the process runs (for a {@code .env} file), null for the current one. With a
     *        {@code PORT} variable the public port is left to it instead of {@code QUARKUS_HTTP_PORT}.
     */
    public static PackagedApp launch(Map<String, String> environment, Path workingDirectory) throws IOException {
        return launch(environment, workingDirectory, List.of());
    }

    /**
     * The application in a mount namespace of its own whose /etc/resolv.conf is {@code resolvConf} (a bind mount
     * no other process sees): its names are resolved by the test's DNS server (support.DnsServer). Needs root.
     */
    public static PackagedApp launchResolvingWith(Path resolvConf, Map<String, String> environment)
            throws IOException {
        return launch(environment, null, List.of("unshare", "--mount", "--", "sh", "-c",
                "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"", resolvConf.toString()));
    }

    private static PackagedApp launch(Map<String, String> environment, Path workingDirectory, List<String> prefix)
            throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the application first: " + jar);
        }
        int http = environment.containsKey("PORT") ? Integer.parseInt(environment.get("PORT"))
                : OwnedPostgres.freePort();
        int management = environment.containsKey("QUARKUS_MANAGEMENT_PORT")
                ? Integer.parseInt(environment.get("QUARKUS_MANAGEMENT_PORT")) : OwnedPostgres.freePort();
        Path log = Files.createTempFile("pgstack-app-", ".log");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        Map<String, String> env = builder.environment();
        // start from a clean slate: nothing of the test JVM's own database settings leaks in
        clean(env);
        if (!environment.containsKey("PORT")) {
            env.put("QUARKUS_HTTP_PORT", Integer.toString(http));
        }
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(management));
        env.putAll(environment);
        long start = System.nanoTime();
        return new PackagedApp(builder.start(), log, http, management, start);
    }

    /**
     * Removes every variable the application reads (db.config's register, observability's list, and the QUARKUS_
     * and PGSTACK_ prefixes): nothing of the test JVM's own settings leaks into the process under test.
     */
    static void clean(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("PGSTACK_")
                || EnvironmentVariable.forName(k).isPresent()
                || dev.pgstack.observability.TelemetryEnvironment.VARIABLES.contains(k));
    }

    /** Runs a command of the packaged application ({@code migrate}, {@code info}, ...) to its end. */
    public static Command run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("pgstack-command-", ".out");
        Path err = Files.createTempFile("pgstack-command-", ".err");
        // in a directory of its own: never in a checkout, where revision would write source files
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .directory(Files.createTempDirectory("pgstack-command-dir-").toFile());
        clean(builder.environment());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean ended = process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String stdout = Files.readString(out);
        return new Command(ended ? process.exitValue() : -1, stdout + Files.readString(err), stdout);
    }

    /** @param output stdout and stderr; @param stdout the command's answer alone */
    public record Command(int exitCode, String output, String stdout) {
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A GET with extra headers (for example a read-your-writes marker). */
    public Response get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    public Response management(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).GET());
    }

    public Response put(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST with extra headers (for example Idempotency-Key). */
    public Response post(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return send(request);
    }

    public Response request(String method, String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A management endpoint with HTTP Basic credentials. */
    public Response management(String path, String user, String password) {
        String token = java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .header("Authorization", "Basic " + token).GET());
    }

    /** Sends SIGTERM and returns at once. */
    public void signalTerm() {
        process.destroy();
    }

    /** Sends SIGINT (a terminal's Ctrl-C) and returns at once. */
    public void signalInt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** Sends a request to any address (a balancer in front of instances); -1 for a failed connection. */
    public static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null),
                    r.headers().map());
        } catch (IOException e) {
            return new Response(-1, e.toString(), null, Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, e.toString(), null, Map.of());
        }
    }

    public record Response(int status, String body, String retryAfter, Map<String, List<String>> headers) {
        /** The first value of a header (names are case-insensitive), null without one. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    /** This application once its readiness answers 200 within {@code timeout}; stopped if it does not. */
    public PackagedApp ready(Duration timeout) throws InterruptedException {
        try {
            await("ready", timeout, () -> management("/q/health/ready").status() == 200);
        } catch (AssertionError e) {
            close();
            // a start that timed out in CI is only understood from what the application said meanwhile
            throw new AssertionError(e.getMessage() + "; the application's log ends with:\n" + logTail(40), e);
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** The last {@code lines} lines of the application's log. */
    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        if (!within(timeout, Duration.ofMillis(100), condition)) {
            throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
        }
    }

    /**
     * Whether {@code condition} comes true within {@code timeout}, asked every {@code poll}: the one polling loop
     * of the suites, for a wait whose timeout is itself an observation rather than a failure.
     */
    public static boolean within(Duration timeout, Duration poll, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(poll.toMillis()); // the poll interval of the one polling loop
        }
        return true;
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Resident memory of the process in MiB, from /proc (Linux). */
    public long rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or already gone
        }
        return -1;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as an orchestrator sends it; the exit code, or -1 if it did not exit in time. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    public int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
