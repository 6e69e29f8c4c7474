package dev.pgstack.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import dev.pgstack.support.Logs;
import dev.pgstack.support.MessageLoad.Pace;
import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.PackagedApp.Response;
import dev.pgstack.support.Suites;

/**
 * The fault suite's set-up, shared by its scenario classes ({@code *IT} beside this one): the packaged service
 * against a PostgreSQL server that the class owns (own data directory and port), which its scenarios kill
 * connections of, restart, lock and stall. Each scenario prints one row of the table printed after its class:
 * outage window, recovery time, requests sent, 5xx outside the window, committed writes lost. After every
 * scenario: no password in a log line or an answer, no stack trace in the log.
 */
@Tag(Suites.OWNS_SERVERS)
abstract class FaultScenario {

    static final String PASSWORD = "fault-s3cret-pw";
    static final String APP = "pgstack-fault";

    static OwnedPostgres postgres;
    static final List<String> answers = new ArrayList<>();
    static final List<String> ROWS = new ArrayList<>();
    PackagedApp app;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = new OwnedPostgres().start();
        postgres.createAppDatabase("fault_app", PASSWORD, "faultdb");
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
        System.out.println("| scenario | outage window | recovery | requests | 5xx outside window | writes lost |");
        System.out.println("|---|---|---|---|---|---|");
        // the scenarios run in any order; the table lists them by number
        ROWS.stream().sorted(Comparator.comparingInt(FaultScenario::scenarioNumber)).forEach(System.out::println);
        ROWS.clear();
    }

    private static int scenarioNumber(String row) {
        Matcher number = Pattern.compile("^\\| (\\d+)").matcher(row);
        return number.find() ? Integer.parseInt(number.group(1)) : Integer.MAX_VALUE;
    }

    @BeforeEach
    void launch() throws Exception {
        postgres.running(); // a scenario that stopped the server and failed before restarting it
        app = PackagedApp.launch(Map.ofEntries(
                Map.entry("DATABASE_URL", "postgresql://fault_app:" + PASSWORD + "@127.0.0.1:" + postgres.port()
                        + "/faultdb"),
                Map.entry("DB_APPLICATION_NAME", APP),
                Map.entry("DB_POOL_SIZE", "2"),
                Map.entry("DB_MAX_OVERFLOW", "3"),
                Map.entry("DB_POOL_TIMEOUT", "1"),
                Map.entry("PGSTACK_DB_STATEMENT_TIMEOUT_MS", "2000"),
                Map.entry("PGSTACK_DB_LOCK_TIMEOUT_MS", "1500"),
                Map.entry("PGSTACK_DB_SOCKET_TIMEOUT_SECONDS", "6"),
                Map.entry("PGSTACK_HEALTH_TIMEOUT", "1S"),
                Map.entry("PGSTACK_ADMIN_PASSWORD", "ops"),
                Map.entry("QUARKUS_SHUTDOWN_DELAY", "1S"),
                // short enough for scenario 11 to watch idle connections go; the defaults are 60 s and 4096
                Map.entry("QUARKUS_HTTP_IDLE_TIMEOUT", "4S"),
                Map.entry("QUARKUS_HTTP_LIMITS_MAX_CONNECTIONS", "500")));
        PackagedApp.await("ready", Duration.ofSeconds(60), () -> app.management("/q/health/ready").status() == 200);
    }

    @AfterEach
    void stopApp() {
        String log = app.log();
        app.close();
        // 8. secrets: never in a log line or an answer, in any scenario
        assertFalse(log.contains(PASSWORD), "password in the log");
        synchronized (answers) {
            answers.forEach(a -> assertFalse(a.contains(PASSWORD), "password in an answer"));
        }
        assertFalse(Logs.hasStackTrace(log), "stack trace in the log:\n" + log);
    }

    /** Keeps the answer for the check that no answer carries the password. */
    Response record(Response r) {
        synchronized (answers) {
            answers.add(r.body());
        }
        return r;
    }

    /** The pace of a load whose every answer is kept for that check. */
    Pace recorded() {
        return Pace.STANDARD.seeing(this::record);
    }

    void newUser(long user) {
        assertEquals(201, record(app.put("/api/users/" + user, null)).status());
    }

    /** A transaction holding the user's row: the service's writes to it wait on the lock until it ends. */
    static Connection lockUser(long user) throws SQLException {
        Connection blocker = postgres.superuser("faultdb");
        blocker.setAutoCommit(false);
        try (Statement st = blocker.createStatement()) {
            st.execute("SELECT * FROM users WHERE id = " + user + " FOR UPDATE");
        }
        return blocker;
    }

    static int terminateAppConnections() throws Exception {
        // with a timeout (PostgreSQL 14+; the embedded server is 17), pg_terminate_backend returns once the backend
        // is gone, not when it was merely signalled: the requests that follow meet a dead connection for sure;
        // only backends that are gone are counted
        try (Connection c = postgres.superuser("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) "
                        + "FROM pg_stat_activity WHERE application_name = '" + APP + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Waits until at least {@code expected} sessions of the service wait on a lock (pg_stat_activity), polling
     * every 20 ms; fails after {@code timeout}.
     */
    static void awaitAppBackendsWaitingOnALock(int expected, Duration timeout) throws Exception {
        int[] waiting = { 0, 0 }; // now, at most
        String[] sessions = { null };
        try (Connection c = postgres.superuser("postgres"); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), string_agg(concat_ws(' ', state, "
                        + "wait_event_type, wait_event, left(query, 60)), '; ') FROM pg_stat_activity "
                        + "WHERE application_name = ?")) {
            ps.setString(1, APP);
            boolean enough = PackagedApp.within(timeout, Duration.ofMillis(20), () -> {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    waiting[0] = rs.getInt(1);
                    waiting[1] = Math.max(waiting[1], waiting[0]);
                    sessions[0] = rs.getString(2);
                    return rs.getInt(1) >= expected;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            if (!enough) {
                throw new AssertionError("after " + timeout + ", " + waiting[0] + " sessions of " + APP
                        + " wait on a lock (at most " + waiting[1] + "), expected " + expected + ": " + sessions[0]);
            }
        }
    }

    static int appConnections() {
        try (Connection c = postgres.superuser("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                        + APP + "'")) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            return -1;
        }
    }
}
