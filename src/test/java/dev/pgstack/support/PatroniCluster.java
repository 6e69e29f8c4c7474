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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Patroni cluster of the test's own, from Debian's packages: one etcd, three PostgreSQL nodes each run by a
 * Patroni (synchronous mode, a 10 s leader TTL), and HAProxy in front with Patroni's usual {@code /primary} and
 * {@code /replica} checks. Own directory and ports; {@link #close()} stops and removes everything.
 */
public final class PatroniCluster implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public record Node(String name, int pgPort, int restPort, Path config) {
    }

    private final Path base;
    private final String scope;
    private final int etcdPort;
    public final List<Node> nodes = new ArrayList<>();
    private final List<Process> patronis = new ArrayList<>();
    private Process etcd;
    private Process haproxy;
    public int haproxyPrimaryPort;
    public int haproxyReplicaPort;

    private PatroniCluster(Path base, int etcdPort) {
        this.base = base;
        this.scope = "pgstack-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
        this.etcdPort = etcdPort;
    }

    public static PatroniCluster start(int size) throws Exception {
        PatroniCluster cluster = new PatroniCluster(SystemPostgres.ownedDirectory(), OwnedPostgres.freePort());
        try {
            cluster.startEtcd();
            for (int i = 1; i <= size; i++) {
                cluster.nodes.add(cluster.writeConfig("node" + i, OwnedPostgres.freePort(), OwnedPostgres.freePort()));
            }
            for (int i = 0; i < size; i++) {
                cluster.patronis.add(cluster.startPatroni(cluster.nodes.get(i)));
                if (i == 0) {
                    PackagedApp.await("a leader", Duration.ofSeconds(90), () -> cluster.leader() != null);
                }
            }
            PackagedApp.await("every node streaming", Duration.ofSeconds(120),
                    () -> cluster.running() == size && cluster.syncStandby() != null);
            cluster.startHaproxy();
        } catch (Exception | AssertionError e) {
            System.out.println(cluster.logs());
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void startEtcd() throws IOException, InterruptedException {
        int peer = OwnedPostgres.freePort();
        Path data = base.resolve("etcd");
        etcd = new ProcessBuilder("etcd", "--name", "pgstack-etcd", "--data-dir", data.toString(),
                "--listen-client-urls", "http://127.0.0.1:" + etcdPort, "--advertise-client-urls",
                "http://127.0.0.1:" + etcdPort, "--listen-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer, "--initial-cluster",
                "pgstack-etcd=http://127.0.0.1:" + peer, "--enable-v2=true")
                .redirectErrorStream(true).redirectOutput(base.resolve("etcd.log").toFile()).start();
        PackagedApp.await("etcd", Duration.ofSeconds(30), () -> get("http://127.0.0.1:" + etcdPort + "/health") == 200);
    }

    private Node writeConfig(String name, int pgPort, int restPort) throws IOException, InterruptedException {
        Path dir = base.resolve(name);
        Files.createDirectories(dir);
        String yaml = String.join("\n",
                "scope: " + scope,
                "namespace: /pgstack-test/",
                "name: " + name,
                "restapi:",
                "  listen: 127.0.0.1:" + restPort,
                "  connect_address: 127.0.0.1:" + restPort,
                "etcd:",
                "  host: 127.0.0.1:" + etcdPort,
                "bootstrap:",
                "  dcs:",
                "    ttl: 10",
                "    loop_wait: 1",
                "    retry_timeout: 4",
                "    maximum_lag_on_failover: 1048576",
                "    synchronous_mode: true",
                "    postgresql:",
                "      use_pg_rewind: true",
                "      parameters:",
                "        wal_level: replica",
                "        hot_standby: 'on'",
                "        max_wal_senders: 10",
                "        max_replication_slots: 10",
                "        wal_log_hints: 'on'",
                "        max_connections: 200",
                "  initdb:",
                "  - encoding: UTF8",
                "  - auth: trust",
                "  pg_hba:",
                "  - local all all trust",
                "  - host replication replicator 127.0.0.1/32 trust",
                "  - host all all 127.0.0.1/32 trust",
                "postgresql:",
                "  listen: 127.0.0.1:" + pgPort,
                "  connect_address: 127.0.0.1:" + pgPort,
                "  data_dir: " + dir.resolve("data"),
                "  bin_dir: " + SystemPostgres.binaries(),
                "  pgpass: " + dir.resolve("pgpass"),
                "  authentication:",
                "    replication:",
                "      username: replicator",
                "      password: rep-pw",
                "    superuser:",
                "      username: postgres",
                "      password: su-pw",
                "  parameters:",
                "    unix_socket_directories: '" + dir + "'",
                "    fsync: 'off'",
                "");
        Path config = dir.resolve("patroni.yml");
        Files.writeString(config, yaml);
        Commands.run(List.of("chown", "-R", "postgres:", base.toString()));
        return new Node(name, pgPort, restPort, config);
    }

    private Process startPatroni(Node node) throws IOException {
        List<String> command = new ArrayList<>();
        if (SystemPostgres.asRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of("patroni", node.config().toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(node.config().getParent().resolve("patroni.log").toFile()).start();
    }

    private void startHaproxy() throws IOException, InterruptedException {
        haproxyPrimaryPort = OwnedPostgres.freePort();
        haproxyReplicaPort = OwnedPostgres.freePort();
        StringBuilder cfg = new StringBuilder(String.join("\n",
                "global", "  maxconn 2000", "defaults", "  mode tcp", "  timeout connect 2s", "  timeout client 120s",
                "  timeout server 120s", "  timeout check 1s", ""));
        for (String role : List.of("primary", "replica")) {
            cfg.append("listen ").append(role).append("\n  bind 127.0.0.1:")
                    .append(role.equals("primary") ? haproxyPrimaryPort : haproxyReplicaPort).append('\n')
                    .append("  balance roundrobin\n  option httpchk GET /").append(role).append('\n')
                    .append("  http-check expect status 200\n")
                    .append("  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions\n");
            for (Node node : nodes) {
                cfg.append("  server ").append(node.name()).append(" 127.0.0.1:").append(node.pgPort())
                        .append(" check port ").append(node.restPort()).append('\n');
            }
        }
        Path file = base.resolve("haproxy.cfg");
        Files.writeString(file, cfg.toString());
        haproxy = new ProcessBuilder("haproxy", "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(base.resolve("haproxy.log").toFile()).start();
        PackagedApp.await("HAProxy", Duration.ofSeconds(20), () -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", haproxyPrimaryPort)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** The node Patroni calls leader (the primary), or null. */
    public Node leader() {
        return withRole("leader");
    }

    public Node syncStandby() {
        return withRole("sync_standby");
    }

    private Node withRole(String role) {
        for (Node node : nodes) {
            String cluster = body("http://127.0.0.1:" + node.restPort() + "/cluster");
            if (cluster == null) {
                continue;
            }
            for (Node candidate : nodes) {
                if (cluster.matches("(?s).*\\{[^{}]*\"name\": ?\"" + candidate.name() + "\"[^{}]*\"role\": ?\"" + role
                        + "\"[^{}]*\\}.*")
                        || cluster.matches("(?s).*\\{[^{}]*\"role\": ?\"" + role + "\"[^{}]*\"name\": ?\""
                                + candidate.name() + "\"[^{}]*\\}.*")) {
                    return candidate;
                }
            }
            return null;
        }
        return null;
    }

    private int running() {
        int n = 0;
        for (Node node : nodes) {
            String status = body("http://127.0.0.1:" + node.restPort() + "/patroni");
            if (status != null && status.contains("\"state\": \"running\"")) {
                n++;
            }
        }
        return n;
    }

    /** Runs SQL on the leader as the superuser. */
    public void execute(String database, String... statements) throws Exception {
        Node leader = leader();
        try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + leader.pgPort() + "/"
                + database, "postgres", "su-pw"); var st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    public java.sql.Connection connect(Node node, String database) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + node.pgPort() + "/" + database,
                "postgres", "su-pw");
    }

    /** patronictl switchover to another node, as an operator does for maintenance. */
    public void switchover(Node from, Node to) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (SystemPostgres.asRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of("patronictl", "-c", from.config().toString(), "switchover", "--master", from.name(),
                "--candidate", to.name(), "--force"));
        Commands.run(command);
    }

    /**
     * kill -9 of a whole node, its Patroni and its PostgreSQL (a host dying): the leader key expires after the TTL
     * and a standby is promoted. (A postmaster killed alone would be restarted by its Patroni, still the leader.)
     */
    public void crash(Node node) throws IOException, InterruptedException {
        Process p = patronis.get(nodes.indexOf(node));
        String pid = Files.readAllLines(base.resolve(node.name()).resolve("data").resolve("postmaster.pid")).get(0);
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        Commands.run(List.of("kill", "-9", pid.strip()));
    }

    /** Stops a node: its Patroni and its PostgreSQL (SIGTERM to Patroni, which stops its server first). */
    public void stop(Node node) throws InterruptedException {
        Process p = patronis.get(nodes.indexOf(node));
        p.toHandle().descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        p.waitFor(60, TimeUnit.SECONDS);
    }

    public String jdbcHosts() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.pgPort()).collect(Collectors.joining(","));
    }

    public String logs() {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(base)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                out.append("== ").append(log).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> out.append(l).append('\n'));
            }
        } catch (IOException e) {
            out.append(e);
        }
        return out.toString();
    }

    private static int get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String body(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        if (haproxy != null) {
            haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (Process p : patronis) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // postmasters that outlived their Patroni (reparented)
        for (Node node : nodes) {
            Path pid = base.resolve(node.name()).resolve("data").resolve("postmaster.pid");
            if (Files.exists(pid)) {
                try {
                    Commands.run(List.of("kill", "-9", Files.readAllLines(pid).get(0).strip()));
                } catch (IOException gone) {
                    // already stopped
                }
            }
        }
        if (etcd != null) {
            etcd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> paths = Files.walk(base)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
