package dev.pgstack.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A PostgreSQL server from the machine's own binaries ({@code /usr/lib/postgresql/N/bin}, Debian's postgresql
 * package, installed by .ci/run), owned by one test: its own data directory and port. Unlike the embedded server
 * it can stream to a standby ({@code pg_basebackup}) and be promoted, which the replica and failover tests need.
 * The binaries refuse to run as root, so as root every command runs as the {@code postgres} user.
 */
public final class SystemPostgres implements AutoCloseable {

    private final Path base;
    private final Path data;
    public final int port;
    /** The address it listens on and the tests connect to. */
    public final String host;
    /** Runs its server commands in a network namespace of the test's ({@code ip netns exec NAME}), or none. */
    private final List<String> namespace;
    private boolean running;

    private SystemPostgres(Path base, int port) {
        this(base, port, "127.0.0.1", List.of());
    }

    private SystemPostgres(Path base, int port, String host, List<String> namespace) {
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
        this.host = host;
        this.namespace = namespace;
    }

    /** A new primary inside network namespace {@code namespace}, listening on {@code address} there; started. */
    public static SystemPostgres primaryIn(String namespace, String address, Map<String, String> settings)
            throws IOException, InterruptedException {
        SystemPostgres server = new SystemPostgres(ownedDirectory(), 5432, address,
                List.of("ip", "netns", "exec", namespace));
        run(List.of(bin("initdb"), "-D", server.data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-sync"));
        Map<String, String> all = new java.util.LinkedHashMap<>(settings);
        all.put("listen_addresses", "'" + address + "'");
        server.configure(all);
        Files.writeString(server.data.resolve("pg_hba.conf"), "host all all 0.0.0.0/0 trust\n");
        server.start();
        return server;
    }

    /** A new primary (wal_level replica, hot standby) with {@code settings} added to postgresql.conf; started. */
    public static SystemPostgres primary(Map<String, String> settings) throws IOException, InterruptedException {
        SystemPostgres server = new SystemPostgres(ownedDirectory(), OwnedPostgres.freePort());
        run(List.of(bin("initdb"), "-D", server.data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-sync"));
        server.configure(settings);
        server.start();
        return server;
    }

    /**
     * A new primary listening on {@code address}:{@code port} (an address of the loopback range: two servers on one
     * port behind one DNS name), taking any local client; started.
     */
    public static SystemPostgres primaryOn(String address, int port, Map<String, String> settings)
            throws IOException, InterruptedException {
        SystemPostgres server = new SystemPostgres(ownedDirectory(), port, address, List.of());
        run(List.of(bin("initdb"), "-D", server.data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-sync"));
        Map<String, String> all = new java.util.LinkedHashMap<>(settings);
        all.put("listen_addresses", "'" + address + "'");
        server.configure(all);
        Files.writeString(server.data.resolve("pg_hba.conf"),
                "host all all 127.0.0.0/8 trust\nhost replication all 127.0.0.0/8 trust\n");
        server.start();
        return server;
    }

    /** A streaming standby of this server on {@code address}:{@code port} (see {@link #primaryOn}); started. */
    public SystemPostgres standbyOn(String address, int port, Map<String, String> settings)
            throws IOException, InterruptedException {
        SystemPostgres standby = new SystemPostgres(ownedDirectory(), port, address, List.of());
        run(List.of(bin("pg_basebackup"), "-h", host, "-p", Integer.toString(this.port), "-U", "postgres", "-D",
                standby.data.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync"));
        Map<String, String> all = new java.util.LinkedHashMap<>(settings);
        all.put("listen_addresses", "'" + address + "'");
        standby.configure(all);
        standby.start();
        return standby;
    }

    /** Adds {@code settings} to postgresql.conf: read at the next start or reload. */
    public void set(Map<String, String> settings) throws IOException {
        StringBuilder conf = new StringBuilder("\n");
        settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        Path file = data.resolve("postgresql.conf");
        Files.writeString(file, Files.readString(file) + conf);
    }

    /** A streaming standby of this server (pg_basebackup -R), with {@code settings}; started. */
    public SystemPostgres standby(Map<String, String> settings) throws IOException, InterruptedException {
        SystemPostgres standby = new SystemPostgres(ownedDirectory(), OwnedPostgres.freePort());
        run(List.of(bin("pg_basebackup"), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", "-D",
                standby.data.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync"));
        standby.configure(settings);
        standby.start();
        return standby;
    }

    /**
     * A streaming standby of this server inside network namespace {@code namespace}, listening on {@code address}
     * there and streaming from this server at {@code primaryAddress} (the host's side of the namespace's link, on
     * which this server must listen and accept replication); started.
     */
    public SystemPostgres standbyIn(String namespace, String address, String primaryAddress,
            Map<String, String> settings) throws IOException, InterruptedException {
        SystemPostgres standby = new SystemPostgres(ownedDirectory(), 5432, address,
                List.of("ip", "netns", "exec", namespace));
        run(List.of(bin("pg_basebackup"), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", "-D",
                standby.data.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync"));
        Map<String, String> all = new java.util.LinkedHashMap<>(settings);
        all.put("listen_addresses", "'" + address + "'");
        standby.configure(all);
        // -R named 127.0.0.1, which inside the namespace is the namespace's own loopback; the auto file wins over
        // postgresql.conf, and its last line over an earlier one. A standby in a namespace is there to be
        // partitioned: as an HA setup would, its stream gives up on a silent primary within seconds (TCP keepalives,
        // tcp_user_timeout) and is retried every 500 ms, so that it catches up at once after the heal instead of
        // waiting out the kernel's retransmission back-off
        Files.writeString(standby.data.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=" + primaryAddress
                + " port=" + port + " user=postgres connect_timeout=2 keepalives_idle=1 keepalives_interval=1"
                + " keepalives_count=2 tcp_user_timeout=2000'\nwal_retrieve_retry_interval = '500ms'\n",
                StandardOpenOption.APPEND);
        standby.start();
        return standby;
    }

    private void configure(Map<String, String> settings) throws IOException {
        StringBuilder conf = new StringBuilder("\n# pgstack test\nport = " + port
                + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nwal_level = replica\n"
                + "max_wal_senders = 10\nhot_standby = on\nfsync = off\nmax_connections = 200\n");
        settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        Path file = data.resolve("postgresql.conf");
        Files.writeString(file, Files.readString(file) + conf);
    }

    public void start() throws IOException, InterruptedException {
        runHere(List.of(bin("pg_ctl"), "-D", data.toString(), "-l", base.resolve("server.log").toString(), "-w", "-t",
                "60", "start"));
        running = true;
    }

    /** Whether the server is started (not stopped since). */
    public boolean running() {
        return running;
    }

    /** Stops the server: "fast" ends sessions cleanly, "immediate" is a crash. */
    public void stop(String mode) throws IOException, InterruptedException {
        stop(mode, java.time.Duration.ofSeconds(60));
    }

    /** {@link #stop(String)}, failing when the server has not stopped within {@code wait} (pg_ctl -t). */
    public void stop(String mode, java.time.Duration wait) throws IOException, InterruptedException {
        runHere(List.of(bin("pg_ctl"), "-D", data.toString(), "-m", mode, "-w", "-t",
                Long.toString(Math.max(1, wait.toSeconds())), "stop"));
        running = false;
    }

    /** The postmaster's process id (postmaster.pid), or -1 while the server is not running. */
    public long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException notRunning) {
            return -1;
        }
    }

    /** Promotes this standby to a primary, waiting until it accepts writes. */
    public void promote() throws IOException, InterruptedException {
        run(List.of(bin("pg_ctl"), "-D", data.toString(), "-w", "-t", "60", "promote"));
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** A server command, inside this server's network namespace if it has one. */
    private void runHere(List<String> command) throws IOException, InterruptedException {
        if (namespace.isEmpty()) {
            run(command);
            return;
        }
        List<String> full = new ArrayList<>(namespace);
        if (asRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Commands.run(full);
    }

    public Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
    }

    public void execute(String database, String... statements) throws SQLException {
        try (Connection c = superuser(database); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /**
     * Waits until {@code standby} has replayed all that this server has written so far: a client other than the
     * writer (no read-your-writes marker) reads from a replica a few milliseconds behind without the write.
     */
    public void awaitReplayedOn(SystemPostgres standby, java.time.Duration timeout) throws Exception {
        String written = select(this, "pg_current_wal_lsn()");
        PackagedApp.await("the writes replayed on the standby on port " + standby.port, timeout,
                () -> "t".equals(select(standby, "pg_last_wal_replay_lsn() >= '" + written + "'::pg_lsn")));
    }

    private static String select(SystemPostgres server, String expression) {
        try (Connection c = server.superuser("postgres"); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT " + expression)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "not yet: " + e.getSQLState();
        }
    }

    /** Replaces pg_hba.conf (who may connect, and how) and reloads the server's configuration. */
    public void hba(String rules) throws IOException, InterruptedException {
        Files.writeString(data.resolve("pg_hba.conf"), rules);
        reload();
    }

    /** Re-reads postgresql.conf, pg_hba.conf and the TLS files (pg_ctl reload). */
    public void reload() throws IOException, InterruptedException {
        runHere(List.of(bin("pg_ctl"), "-D", data.toString(), "reload"));
    }

    /** The server's log, for a failing test's message. */
    public String log() {
        try {
            return Files.readString(base.resolve("server.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (running) {
            try {
                stop("immediate");
            } catch (IOException e) {
                // already gone
            }
        }
        try (Stream<Path> paths = Files.walk(base)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The directory of the newest installed PostgreSQL server binaries (-Dpgstack.test.pg-bin overrides). */
    static Path binaries() {
        String configured = System.getProperty("pgstack.test.pg-bin");
        if (configured != null) {
            return Path.of(configured);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_basebackup")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: "
                    + "install Debian's postgresql package (.ci/run does) or set -Dpgstack.test.pg-bin");
        }
    }

    static String bin(String name) {
        return binaries().resolve(name).toString();
    }

    static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A temporary directory that the postgres user owns when we are root. */
    static Path ownedDirectory() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("pgstack-pg-");
        if (asRoot()) {
            Commands.run(List.of("chown", "postgres:", dir.toString()));
        }
        return dir;
    }

    /** Runs a server binary (as the postgres user when we are root); fails with its output. */
    static void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Commands.run(full);
    }

}
