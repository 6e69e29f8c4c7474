package dev.pgstack.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.MessageLoad;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.PackagedApp.Response;
import dev.pgstack.support.Suites;

/** SIGTERM with requests in flight, and SIGINT: clean stops. Scenario 5 of the fault table. */
@Tag(Suites.OWNS_SERVERS)
class ShutdownSignalsIT extends FaultScenario {

    @Test
    void sigtermUnderLoadFinishesInFlightRequestsAndLeavesNoConnection() throws Exception {
        long user = 404;
        newUser(user);
        List<CompletableFuture<Response>> inFlight;
        boolean readinessDownAfterTerm;
        List<Integer> readinessAfterTerm = new ArrayList<>();
        try (Connection blocker = lockUser(user)) {
            inFlight = MessageLoad.burst(3, () -> record(app.request("PUT", "/api/users/" + user + "/settings",
                    "{\"maxHistoryMessages\": 9}")));
            // the three requests are in flight for sure: their sessions wait on the lock
            awaitAppBackendsWaitingOnALock(3, Duration.ofSeconds(5));
            app.signalTerm();
            // readiness is watched during the shutdown delay (1 s), counted from after the signal was sent; the
            // lock is released as soon as it is seen DOWN, well before the requests' lock timeout (1.5 s)
            readinessDownAfterTerm = PackagedApp.within(Duration.ofSeconds(1), Duration.ofMillis(50), () -> {
                int status = app.management("/q/health/ready").status();
                readinessAfterTerm.add(status);
                return status == 503;
            });
            blocker.rollback(); // the in-flight requests can now finish, during the shutdown delay
        }
        List<Integer> statuses = MessageLoad.answers(inFlight).stream().map(Response::status).toList();
        int exit = app.waitForExit(Duration.ofSeconds(20));

        assertTrue(readinessDownAfterTerm, "readiness DOWN during the shutdown delay: " + readinessAfterTerm);
        assertEquals(List.of(200, 200, 200), statuses, "in-flight requests finish with 2xx");
        assertEquals(0, exit, "exit code after SIGTERM");
        PackagedApp.await("no connection left", Duration.ofSeconds(5), () -> appConnections() == 0);
        String log = app.log();
        assertTrue(log.contains("Shutdown 1/3") && log.contains("Shutdown 3/3"), log);
        ROWS.add("| 5. SIGTERM with 3 requests in flight | shutdown delay 1 s | n/a | 3 | 0 (3 x 200, exit 0, "
                + "0 connections left) | n/a |");
    }

    @Test
    void sigintIsACleanStopToo() throws Exception {
        app.signalInt();
        assertEquals(0, app.waitForExit(Duration.ofSeconds(20)), "exit code after SIGINT");
        assertTrue(app.log().contains("SIGINT received"), app.log());
    }
}
