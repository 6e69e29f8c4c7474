package dev.pgstack.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.Logs;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.PackagedApp.Response;
import dev.pgstack.support.Suites;

/**
 * Clients that hold connections without finishing a request: slow bodies and silent sockets. Scenarios 10 and 11
 * of the fault table.
 */
@Tag(Suites.OWNS_SERVERS)
class HostileClientsIT extends FaultScenario {

    /**
     * 300 clients trickle request bodies (10 bytes every 2 s) and never finish them; everyone else is served as
     * usual, and the slow clients cost no worker thread. Then they disconnect mid-body: no ERROR in the log.
     */
    @Test
    void slowBodiesDoNotStarveOtherClients() throws Exception {
        long user = 909;
        newUser(user);
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        List<Long> latencies = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                slow.add(slowBody(user));
            }
            CountDownLatch firstRound = new CountDownLatch(1);
            // time itself is the fault: 10 bytes every 2 s
            trickle.scheduleAtFixedRate(() -> {
                slow.forEach(HostileClientsIT::trickle);
                firstRound.countDown();
            }, 0, 2, TimeUnit.SECONDS);
            assertTrue(firstRound.await(10, TimeUnit.SECONDS), "the first trickle round");
            serveOthers(user, latencies, failures);
        } finally {
            trickle.shutdown();
            trickle.awaitTermination(10, TimeUnit.SECONDS);
            for (Socket socket : slow) {
                socket.close(); // mid-body disconnects
            }
        }
        latencies.sort(null);
        double p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1) / 1e6;
        double median = latencies.get(latencies.size() / 2) / 1e6;
        // the server has handled the disconnects (and logged whatever it logs about them) once it has closed its side
        PackagedApp.await("the server closed the slow clients' connections", Duration.ofSeconds(10),
                () -> closeWaitSockets(app.httpPort) == 0);
        assertEquals(List.of(), failures, "other clients' requests failed:\n" + app.log());
        // a starved server shows in every request (the median), a busy machine in a few (the tail)
        assertTrue(median < 200, "other clients' median " + median + " ms");
        assertTrue(p99 < 2000, "other clients' p99 " + p99 + " ms");
        assertEquals(200, record(app.get("/api/users/" + user)).status());
        String log = app.log();
        // the packaged application logs JSON lines: an ERROR is "level":"ERROR" there
        assertTrue(Logs.isJson(log), "JSON log lines:\n" + log);
        assertFalse(log.contains("\"level\":\"ERROR\""), "a client leaving mid-body is not an error:\n" + log);
        ROWS.add(String.format("| 10. 300 slow-body clients connected | none | n/a | 200 | 0 (others' median %.1f ms, "
                + "p99 %.1f ms) | n/a |", median, p99));
    }

    /** 200 reads and writes of another client, one after the other: their latencies, and any that failed. */
    private void serveOthers(long user, List<Long> latencies, List<String> failures) {
        for (int i = 0; i < 200; i++) {
            long s = System.nanoTime();
            Response r = i % 2 == 0 ? app.get("/api/users/" + user)
                    : app.post("/api/users/" + user + "/messages", "{\"role\":\"user\",\"content\":\"f" + i + "\"}");
            latencies.add(System.nanoTime() - s);
            if (r.status() != 200 && r.status() != 201) {
                failures.add(r.status() + " after " + (System.nanoTime() - s) / 1_000_000 + " ms: " + r.body());
            }
        }
    }

    /** A connection that has sent the headers of a 50,000-byte body and the first bytes of it. */
    private Socket slowBody(long user) throws IOException {
        Socket socket = new Socket("127.0.0.1", app.httpPort);
        socket.getOutputStream().write(("POST /api/users/" + user + "/messages HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 50000\r\n\r\n{\"role\":")
                .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static void trickle(Socket socket) {
        try {
            socket.getOutputStream().write("          ".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // closed by the server: fine
        }
    }

    /** The server's sockets on {@code port} whose client has gone and that it has not closed yet (CLOSE_WAIT). */
    private static long closeWaitSockets(int port) {
        String local = String.format(":%04X ", port);
        long count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                // columns: sl, local address:port, remote address:port, state (08 is CLOSE_WAIT), ...
                count += Files.readAllLines(Path.of(table)).stream().skip(1).map(l -> l.trim().split("\\s+"))
                        .filter(c -> (c[1] + " ").endsWith(local) && c[3].equals("08")).count();
            } catch (IOException e) {
                // no IPv6
            }
        }
        return count;
    }

    /**
     * 1,000 connections that never send a byte: the connection cap refuses those above it (instead of the process
     * running out of file descriptors), the idle timeout closes the rest, and then everyone is served again.
     */
    @Test
    void silentConnectionsAreCappedAndClosedByTheIdleTimeout() throws Exception {
        long user = 1010;
        newUser(user);
        List<Socket> silent = new ArrayList<>();
        int closedByServer = 0;
        int stillOpen = 0;
        try {
            for (int i = 0; i < 1_000; i++) {
                silent.add(new Socket("127.0.0.1", app.httpPort));
            }
            long start = System.nanoTime();
            for (Socket socket : silent) {
                try {
                    // one deadline for all (the bound below), so that a server that never closes them fails in
                    // 10 s rather than 8 s per connection
                    long left = 10_000 - (System.nanoTime() - start) / 1_000_000;
                    socket.setSoTimeout((int) Math.max(1, left));
                    if (socket.getInputStream().read() == -1) {
                        closedByServer++;
                    }
                } catch (SocketTimeoutException e) {
                    stillOpen++; // still open at the deadline: the server did not close it
                } catch (IOException e) {
                    closedByServer++; // reset
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(0, stillOpen, "silent connections the server left open past the read timeout");
            assertEquals(silent.size(), closedByServer, "every silent connection closed by the server");
            assertTrue(seconds < 10, "closed within the idle timeout (+ margin): " + seconds);
        } finally {
            for (Socket socket : silent) {
                socket.close();
            }
        }
        assertTrue(app.isAlive());
        assertEquals(200, record(app.get("/api/users/" + user)).status(), "served again");
        assertFalse(app.log().contains("Too many open files"), app.log());
        ROWS.add(String.format("| 11. 1,000 silent connections (cap 500, idle timeout 4 s) | until closed | "
                + "immediate | 1 | 0 (%d closed by the server, then served) | n/a |", closedByServer));
    }
}
