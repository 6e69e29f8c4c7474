package dev.pgstack.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clients of the packaged service during a fault: each loops over {@code ops} (keyed and unkeyed message writes,
 * a history, a product, the categories), noting every answer, its problem type and how long it took. Afterwards
 * the clients that follow the answers send each unacknowledged keyed write again with its key, and what the
 * database holds is compared with what was acknowledged.
 * <p>
 * The one load fixture of the suites: every test that keeps the service busy while it breaks something does it
 * with these clients ({@link Pace} says how fast, as whom, how many), or, for a handful of requests that must be in
 * flight together, with {@link #burst}. Clients that send other requests than the ops (through a balancer, with
 * their own checks) come from {@link #of}.
 */
public final class MessageLoad implements AutoCloseable {

    public enum Op {
        KEYED_WRITE, WRITE, HISTORY, PRODUCT, CATEGORIES,
        /** One of the caller's {@link Request}s ({@link #of}); its label is the result's content. */
        REQUEST;

        boolean writes() {
            return this == KEYED_WRITE || this == WRITE;
        }
    }

    /**
     * One answer: what was sent ({@code content} and {@code key} for writes, the label for a {@link Op#REQUEST}), as
     * which user, its status, problem type, Retry-After and the id of the message it created (a 201's), and when, in
     * ms since the load started.
     */
    public record Result(Op op, long user, String content, String key, int status, String type, String retryAfter,
            String id, long startedMs, long tookMs) {
        public long endedMs() {
            return startedMs + tookMs;
        }

        public boolean acknowledged() {
            return status == 201;
        }
    }

    /**
     * How the clients go. {@code user}: every client writes as that user (0: client n as user n); {@code pauseMs}
     * after every answer; {@code backoffMs} after a 503 (and, retrying in place, after every unacknowledged
     * attempt); {@code each}: ops per client, then the client ends; {@code retryInPlace}: a keyed write that is not
     * answered 201 is sent again at once with its key, up to {@value #ATTEMPTS} times, before the next op;
     * {@code seen}: every answer, as it comes.
     */
    public record Pace(long user, long pauseMs, long backoffMs, int each, boolean retryInPlace,
            Consumer<PackagedApp.Response> seen) {

        public static final Pace STANDARD = new Pace(0, 0, 200, Integer.MAX_VALUE, false, r -> {
        });

        public Pace asUser(long user) {
            return new Pace(user, pauseMs, backoffMs, each, retryInPlace, seen);
        }

        public Pace pausing(long pauseMs) {
            return new Pace(user, pauseMs, backoffMs, each, retryInPlace, seen);
        }

        public Pace backingOff(long backoffMs) {
            return new Pace(user, pauseMs, backoffMs, each, retryInPlace, seen);
        }

        public Pace each(int each) {
            return new Pace(user, pauseMs, backoffMs, each, retryInPlace, seen);
        }

        public Pace retryingInPlace() {
            return new Pace(user, pauseMs, backoffMs, each, true, seen);
        }

        public Pace seeing(Consumer<PackagedApp.Response> seen) {
            return new Pace(user, pauseMs, backoffMs, each, retryInPlace, seen);
        }
    }

    /** A request of the caller's: {@code label} names it in the results, {@code send} sends it. */
    public record Request(String label, Supplier<PackagedApp.Response> send) {
    }

    /** Client {@code client}'s {@code i}-th request of a load of the caller's requests. */
    @FunctionalInterface
    public interface Requests {
        Request next(int client, int i);
    }

    static final int ATTEMPTS = 200;
    static final Pattern TYPE = Pattern.compile("urn:pgstack:problem:([a-z-]+)");
    static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    private final PackagedApp app;
    private final String productId;
    private final List<Op> ops;
    private final Requests requests;
    private final Pace pace;
    private final long t0 = System.nanoTime();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService clients;
    /** Per client (from 1), when its latest request started, in ms since the load started; MAX_VALUE once ended. */
    private final AtomicLongArray latest;
    public final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();

    /** Starts {@code clients} clients, client n writing as user n (who must exist). */
    public MessageLoad(PackagedApp app, int clients, String productId, List<Op> ops) {
        this(app, clients, productId, ops, Pace.STANDARD);
    }

    /** Starts {@code clients} clients going at {@code pace}. */
    public MessageLoad(PackagedApp app, int clients, String productId, List<Op> ops, Pace pace) {
        this(app, clients, productId, ops, null, pace);
    }

    /**
     * Starts {@code clients} clients (numbered from 1) going at {@code pace}, each sending {@code requests} instead
     * of the ops: every answer is a result of op {@link Op#REQUEST}.
     */
    public static MessageLoad of(int clients, Pace pace, Requests requests) {
        return new MessageLoad(null, clients, null, List.of(Op.REQUEST), requests, pace);
    }

    private MessageLoad(PackagedApp app, int clients, String productId, List<Op> ops, Requests requests, Pace pace) {
        this.app = app;
        this.productId = productId;
        this.ops = ops;
        this.requests = requests;
        this.pace = pace;
        this.latest = new AtomicLongArray(clients + 1);
        latest.set(0, Long.MAX_VALUE); // no client 0
        this.clients = Executors.newFixedThreadPool(clients);
        for (int c = 1; c <= clients; c++) {
            int client = c;
            this.clients.submit(() -> loop(client));
        }
    }

    /** Milliseconds since the load started. */
    public long now() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    public void stop() throws InterruptedException {
        running.set(false);
        clients.shutdown();
        if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new AssertionError("clients still running");
        }
    }

    /** Waits for every client to end by itself ({@link Pace#each}); fails after {@code timeout}. */
    public void finish(Duration timeout) throws InterruptedException {
        clients.shutdown();
        if (!clients.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("clients still running after " + timeout);
        }
        running.set(false);
    }

    /**
     * Whether every client has sent a request at or after {@code ms} since the load started, or ended: each request
     * sent before has its answer among the results.
     */
    public boolean everyClientSentSince(long ms) {
        for (int c = 0; c < latest.length(); c++) {
            if (latest.get(c) < ms) {
                return false;
            }
        }
        return true;
    }

    /** The answers so far that match. */
    public long count(java.util.function.Predicate<Result> which) {
        return results.stream().filter(which).count();
    }

    private void loop(int client) {
        long user = pace.user() == 0 ? client : pace.user();
        for (int i = 0; running.get() && i < pace.each(); i++) {
            Op op = ops.get(i % ops.size());
            Request request = requests == null ? null : requests.next(client, i);
            String content = request != null ? request.label() : "load-" + client + "-" + i;
            String key = op == Op.KEYED_WRITE ? "k-" + content : null;
            boolean inPlace = pace.retryInPlace() && key != null;
            for (int attempt = 0; attempt < (inPlace ? ATTEMPTS : 1); attempt++) {
                latest.set(client, now());
                Result answer = send(op, user, content, key, request);
                if (inPlace && answer.acknowledged()) {
                    break;
                }
                sleep(answer.status() == 503 || inPlace ? pace.backoffMs() : 0);
            }
            sleep(pace.pauseMs());
        }
        latest.set(client, Long.MAX_VALUE);
    }

    private Result send(Op op, long user, String content, String key, Request request) {
        long start = System.nanoTime();
        PackagedApp.Response answer = switch (op) {
            case KEYED_WRITE -> app.post("/api/users/" + user + "/messages", body(content),
                    Map.of("Idempotency-Key", key));
            case WRITE -> app.post("/api/users/" + user + "/messages", body(content));
            case HISTORY -> app.get("/api/users/" + user + "/messages?limit=5");
            case PRODUCT -> app.get("/api/products/" + productId);
            case CATEGORIES -> app.get("/api/categories");
            case REQUEST -> request.send().get();
        };
        long took = (System.nanoTime() - start) / 1_000_000;
        pace.seen().accept(answer);
        String body = answer.body() == null ? "" : answer.body();
        Matcher type = TYPE.matcher(body);
        Matcher id = ID.matcher(body);
        Result result = new Result(op, user, op.writes() || op == Op.REQUEST ? content : null, key, answer.status(),
                type.find() ? type.group(1) : null, answer.retryAfter(),
                answer.status() == 201 && id.find() ? id.group(1) : null, (start - t0) / 1_000_000, took);
        results.add(result);
        return result;
    }

    /**
     * {@code n} requests sent at once, each from a client of its own (for a few requests that must be in flight
     * together); {@link #answers} waits for them.
     */
    public static List<CompletableFuture<PackagedApp.Response>> burst(int n, Supplier<PackagedApp.Response> request) {
        ExecutorService burst = Executors.newFixedThreadPool(n);
        try {
            return IntStream.range(0, n).mapToObj(i -> CompletableFuture.supplyAsync(request, burst)).toList();
        } finally {
            burst.shutdown(); // the requests already handed over still run
        }
    }

    /** The answers of a {@link #burst}, in the order sent. */
    public static List<PackagedApp.Response> answers(List<CompletableFuture<PackagedApp.Response>> burst) {
        return burst.stream().map(CompletableFuture::join).toList();
    }

    private static String body(String content) {
        return "{\"role\":\"user\",\"content\":\"" + content + "\"}";
    }

    /** Sends every keyed write that was not acknowledged again with its key; @return content -> final status. */
    public Map<String, Integer> retryUnacknowledged() {
        Map<String, Integer> retried = new HashMap<>();
        for (Result r : results) {
            if (r.key() != null && r.status() != 201) {
                retried.put(r.content(), retry(r));
            }
        }
        return retried;
    }

    private int retry(Result r) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            PackagedApp.Response again = app.post("/api/users/" + r.user() + "/messages", body(r.content()),
                    Map.of("Idempotency-Key", r.key()));
            if (again.status() / 100 == 2) {
                return again.status();
            }
            sleep(300);
        }
        return -1;
    }

    /** content -> copies stored, from the database the service writes to. */
    public static Map<String, Integer> stored(Connection connection) throws Exception {
        Map<String, Integer> stored = new HashMap<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT content, count(*) FROM messages GROUP BY content")) {
            while (rs.next()) {
                stored.put(rs.getString(1), rs.getInt(2));
            }
        }
        return stored;
    }

    /** Acknowledged writes missing, writes stored twice, and 503s that said nothing was written but had. */
    public Tally tally(Map<String, Integer> stored, Map<String, Integer> retried) {
        Tally tally = new Tally();
        for (Result r : results) {
            if (!r.op().writes()) {
                continue;
            }
            int n = stored.getOrDefault(r.content(), 0);
            boolean acknowledged = r.status() == 201 || r.key() != null && retried.getOrDefault(r.content(), 0) / 100 == 2;
            if (acknowledged) {
                tally.acknowledged++;
            }
            if (acknowledged && n == 0) {
                tally.problems.add("lost: " + r);
                tally.lost++;
            }
            if (n > 1) {
                tally.problems.add("duplicated: " + r);
                tally.duplicated++;
            }
            if (r.status() == 503 && r.key() == null && n == 1 && !"commit-outcome-unknown".equals(r.type())) {
                tally.problems.add("stored although the answer said nothing was written: " + r);
            }
        }
        return tally;
    }

    public static final class Tally {
        public int acknowledged;
        public int lost;
        public int duplicated;
        public final List<String> problems = new java.util.ArrayList<>();
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms); // time itself: the pace's pause or back-off
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (running.get()) {
            stop();
        }
    }
}
