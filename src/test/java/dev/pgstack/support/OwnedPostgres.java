package dev.pgstack.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server that one test owns: its own data directory and port, so that the test may stop,
 * restart or break it without touching anybody else's database. Binaries come from zonky's Maven artifacts.
 */
public final class OwnedPostgres implements AutoCloseable {

    private final int port;
    private final Path dataDirectory;
    private EmbeddedPostgres server;

    public OwnedPostgres() throws IOException {
        this(freePort());
    }

    public OwnedPostgres(int port) throws IOException {
        this.port = port;
        this.dataDirectory = Files.createTempDirectory("pgstack-owned-pg-");
    }

    public OwnedPostgres start() throws IOException {
        boolean fresh = server == null;
        server = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(fresh)
                .start();
        return this;
    }

    public void stop() throws IOException {
        if (server != null) {
            server.close();
        }
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

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
