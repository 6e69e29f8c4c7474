package dev.pgstack.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server that one test owns: its own data directory and port, so that the test may stop,
 * restart or break it without touching anybody else's database. Binaries come from zonky's Maven artifacts.
 */
public final class OwnedPostgres implements AutoCloseable {

    private final int port;
    private final Path dataDirectory;
    private EmbeddedPostgres server;
    private final Map<String, String> settings = new LinkedHashMap<>();

    public OwnedPostgres() throws IOException {
        this(freePort());
    }

    public OwnedPostgres(int port) throws IOException {
        this.port = port;
        this.dataDirectory = Files.createTempDirectory("pgstack-owned-pg-");
    }

    /** A server setting ({@code postgresql.conf}'s) for every start, e.g. max_connections. */
    public OwnedPostgres with(String setting, String value) {
        settings.put(setting, value);
        return this;
    }

    /** Starts the server; after a {@link #stop()}, on the same data directory and port (a restart). */
    public OwnedPostgres start() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        settings.forEach(builder::setServerConfig);
        server = builder
                .setPort(port)
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false) // kept across restarts; removed by close()
                .setPGStartupWait(java.time.Duration.ofSeconds(30)) // 10 s by default: short on a loaded CI machine
                .start();
        return this;
    }

    /** Starts the server again if it is stopped. */
    public void running() throws IOException {
        if (server == null) {
            start();
        }
    }

    /** Stops the server (fast shutdown: open sessions are terminated), keeping its data. */
    public void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        awaitPostmasterGone();
    }

    /**
     * zonky's close() gives up when pg_ctl's wait runs out and only logs it, leaving the postmaster running and the
     * data directory locked for the restart (a CI run saw "pg_ctl: server does not shut down" under a write load).
     * The postmaster of postmaster.pid gets more time, then an immediate shutdown (SIGQUIT), then SIGKILL.
     */
    private void awaitPostmasterGone() throws IOException {
        java.util.Optional<ProcessHandle> found = postmaster(dataDirectory.resolve("postmaster.pid"));
        if (found.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = found.get();
        try {
            if (exits(postmaster, 10)) {
                return;
            }
            signal("QUIT", postmaster.pid());
            if (exits(postmaster, 10)) {
                return;
            }
            postmaster.destroyForcibly();
            if (exits(postmaster, 40)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the postmaster stopped", e);
        }
        throw new IOException("postmaster " + postmaster.pid() + " did not stop");
    }

    /** Whether the process ends within {@code seconds}. */
    private static boolean exits(ProcessHandle process, int seconds) throws InterruptedException {
        try {
            process.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException stillRunning) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }

    private static java.util.Optional<ProcessHandle> postmaster(Path pidFile) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
        } catch (IOException | RuntimeException gone) {
            return java.util.Optional.empty(); // no pid file (the server removed it on exit), or not written yet
        }
    }

    private static void signal(String signal, long pid) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A login role with a password that the server really checks (scram), and a database it owns. */
    public void createAppDatabase(String role, String password, String database) throws Exception {
        execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'",
                "CREATE DATABASE " + database + " OWNER " + role);
        Path hba = dataDirectory.resolve("pg_hba.conf");
        String rules = "host all " + role + " 127.0.0.1/32 scram-sha-256\nhost all " + role
                + " ::1/128 scram-sha-256\n";
        Files.writeString(hba, rules + Files.readString(hba));
        execute("postgres", "SELECT pg_reload_conf()");
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** A superuser connection to {@code database}. */
    public Connection superuser(String database) throws SQLException {
        return server.getDatabase("postgres", database).getConnection();
    }

    public void execute(String database, String... statements) throws SQLException {
        try (Connection c = superuser(database); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * A port nothing listens on now, for a server a test starts next. Taken below the kernel's ephemeral range
     * (32768-60999 on Linux): a port that {@code new ServerSocket(0)} finds free is an ephemeral one, which any
     * outgoing connection may take before the server binds it. Test JVMs side by side start at random points of
     * the range and walk it.
     */
    public static int freePort() throws IOException {
        for (int tries = 0; tries < PORTS; tries++) {
            int port = FIRST_PORT + Math.floorMod(nextPort.getAndIncrement(), PORTS);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // someone listens there: the next one
            }
        }
        throw new IOException("no free port in " + FIRST_PORT + "-" + (FIRST_PORT + PORTS - 1));
    }

    private static final int FIRST_PORT = 20000;
    private static final int PORTS = 12000;
    private static final AtomicInteger nextPort = new AtomicInteger(ThreadLocalRandom.current().nextInt(PORTS));

    @Override
    public void close() throws IOException {
        stop();
        try (var paths = Files.walk(dataDirectory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
