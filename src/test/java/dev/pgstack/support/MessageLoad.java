package dev.pgstack.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clients of the packaged service during a fault: each loops over {@code ops} (keyed and unkeyed message writes,
 * a history, a product, the categories), noting every answer, its problem type and how long it took. Afterwards
 * the clients that follow the answers send each unacknowledged keyed write again with its key, and what the
 * database holds is compared with what was acknowledged.
 */
public final class MessageLoad implements AutoCloseable {

    public enum Op {
        KEYED_WRITE, WRITE, HISTORY, PRODUCT, CATEGORIES;

        boolean writes() {
            return this == KEYED_WRITE || this == WRITE;
        }
    }

    public record Result(Op op, String content, String key, int status, String type, long startedMs, long tookMs) {
        public long endedMs() {
            return startedMs + tookMs;
        }
    }

    static final Pattern TYPE = Pattern.compile("urn:pgstack:problem:([a-z-]+)");

    private final PackagedApp app;
    private final String productId;
    private final List<Op> ops;
    private final long t0 = System.nanoTime();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService clients;
    public final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();

    /** Starts {@code clients} clients, client n writing as user n (who must exist). */
    public MessageLoad(PackagedApp app, int clients, String productId, List<Op> ops) {
        this.app = app;
        this.productId = productId;
        this.ops = ops;
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

    private void loop(int client) {
        for (int i = 0; running.get(); i++) {
            Op op = ops.get(i % ops.size());
            String content = "load-" + client + "-" + i;
            String key = op == Op.KEYED_WRITE ? "k-" + content : null;
            long start = System.nanoTime();
            PackagedApp.Response answer = switch (op) {
                case KEYED_WRITE -> app.post("/api/users/" + client + "/messages", body(content),
                        Map.of("Idempotency-Key", key));
                case WRITE -> app.post("/api/users/" + client + "/messages", body(content));
                case HISTORY -> app.get("/api/users/" + client + "/messages?limit=5");
                case PRODUCT -> app.get("/api/products/" + productId);
                case CATEGORIES -> app.get("/api/categories");
            };
            long took = (System.nanoTime() - start) / 1_000_000;
            Matcher type = TYPE.matcher(answer.body() == null ? "" : answer.body());
            results.add(new Result(op, op.writes() ? content : null, key, answer.status(),
                    type.find() ? type.group(1) : null, (start - t0) / 1_000_000, took));
            if (answer.status() == 503) {
                sleep(200);
            }
        }
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
        String user = r.content().split("-")[1];
        for (int attempt = 0; attempt < 200; attempt++) {
            PackagedApp.Response again = app.post("/api/users/" + user + "/messages", body(r.content()),
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
            if (r.content() == null) {
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
        try {
            Thread.sleep(ms);
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
