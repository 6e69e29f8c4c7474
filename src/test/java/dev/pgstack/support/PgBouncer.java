package dev.pgstack.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PgBouncer (Debian's package, installed by .ci/run) that one test owns, in transaction pooling mode in front of
 * one PostgreSQL server: its own port, configuration and log. Clients are not authenticated (auth_type any); it
 * logs in to the server as the user given. As root it runs as the postgres user (it refuses root).
 */
public final class PgBouncer implements AutoCloseable {

    public final int port;
    private final Path dir;
    private final int serverPort;
    private final String serverUser;
    private Process process;

    public PgBouncer(int serverPort, String serverUser) throws IOException, InterruptedException {
        this(serverPort, serverUser, java.util.Map.of());
    }

    /** @param settings more lines of its [pgbouncer] section (for example client_login_timeout) */
    public PgBouncer(int serverPort, String serverUser, java.util.Map<String, String> settings)
            throws IOException, InterruptedException {
        this.port = OwnedPostgres.freePort();
        this.dir = SystemPostgres.ownedDirectory();
        this.serverPort = serverPort;
        this.serverUser = serverUser;
        String ini = "[databases]\n* = host=127.0.0.1 port=" + serverPort + " user=" + serverUser + "\n\n"
                + "[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = " + port + "\nunix_socket_dir =\n"
                + "auth_type = any\nadmin_users = pgbouncer\nstats_users = pgbouncer\n"
                + "pool_mode = transaction\ndefault_pool_size = 20\nmax_client_conn = 500\n"
                // pgjdbc and the reactive client send extra_float_digits at startup; PgBouncer must let it pass
                + "ignore_startup_parameters = extra_float_digits\n"
                + "logfile = " + dir.resolve("pgbouncer.log") + "\npidfile = " + dir.resolve("pgbouncer.pid") + "\n"
                + settings.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue() + "\n")
                        .collect(java.util.stream.Collectors.joining());
        Files.writeString(dir.resolve("pgbouncer.ini"), ini);
        if (SystemPostgres.asRoot()) {
            Commands.run(List.of("chown", "-R", "postgres:", dir.toString()));
        }
    }

    public static String binary() {
        for (String candidate : List.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("pgbouncer not found: install Debian's pgbouncer package (.ci/run does)");
    }

    public PgBouncer start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (SystemPostgres.asRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(binary(), dir.resolve("pgbouncer.ini").toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        boolean listening = PackagedApp.within(Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> !process.isAlive() || listens());
        if (!process.isAlive()) {
            throw new IOException("pgbouncer exited: " + log());
        }
        if (!listening) {
            throw new IOException("pgbouncer did not listen on " + port + ": " + log());
        }
        return this;
    }

    private boolean listens() {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("pgbouncer.log"), StandardCharsets.UTF_8)
                    + Files.readString(dir.resolve("stdout.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public int serverPort() {
        return serverPort;
    }

    public String serverUser() {
        return serverUser;
    }

    @Override
    public void close() throws Exception {
        stop();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
