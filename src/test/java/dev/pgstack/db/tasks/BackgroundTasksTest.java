package dev.pgstack.db.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackgroundTasksTest {

    private static final long WAIT_SECONDS = 10;

    private final BackgroundTasks tasks = new BackgroundTasks();

    @AfterEach
    void stop() {
        tasks.shutdown();
    }

    @Test
    void aBlockedTaskDelaysNoOther() throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        tasks.every("slow-check", Duration.ofMillis(1), () -> {
            blocked.countDown();
            awaitQuietly(release);
        });
        tasks.once("long-wait", () -> awaitQuietly(release));
        assertTrue(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS));

        CountDownLatch threeRuns = new CountDownLatch(3);
        tasks.every("quick-check", Duration.ofMillis(1), threeRuns::countDown);
        CountDownLatch ranOnce = new CountDownLatch(1);
        tasks.once("one-shot", ranOnce::countDown);

        assertTrue(threeRuns.await(WAIT_SECONDS, TimeUnit.SECONDS), "the quick check ran while the others blocked");
        assertTrue(ranOnce.await(WAIT_SECONDS, TimeUnit.SECONDS), "the one-shot task ran while the others blocked");
        release.countDown();
    }

    @Test
    void aTaskRunsOnADaemonThreadNamedAfterIt() throws InterruptedException {
        Set<String> names = ConcurrentHashMap.newKeySet();
        AtomicBoolean daemon = new AtomicBoolean(true);
        CountDownLatch ran = new CountDownLatch(2);
        Runnable record = () -> {
            names.add(Thread.currentThread().getName());
            daemon.compareAndSet(true, Thread.currentThread().isDaemon());
            ran.countDown();
        };
        Task watch = tasks.every("reachability", Duration.ofHours(1), record);
        tasks.once("db-startup", record);

        assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(Set.of("pgstack-reachability", "pgstack-db-startup"), names);
        assertEquals("pgstack-reachability", watch.name());
        assertTrue(daemon.get());
    }

    @Test
    void stoppingATaskInterruptsItsRunAndWaitsForItToEnd() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean cleanedUp = new AtomicBoolean();
        AtomicInteger runs = new AtomicInteger();
        Task check = tasks.every("replication-monitor", Duration.ofMillis(1), () -> {
            runs.incrementAndGet();
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                cleanedUp.set(true); // what the owner's clean-up after stop() may rely on
            }
        });
        assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));

        check.stop(Duration.ofSeconds(WAIT_SECONDS));

        assertTrue(cleanedUp.get(), "stop(wait) returned only after the run ended");
        assertEquals(1, runs.get(), "no run after the stop");
    }

    @Test
    void shutdownInterruptsEveryTaskAndRunsNoMore() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch interrupted = new CountDownLatch(2);
        Runnable blockUntilInterrupted = () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        };
        tasks.every("periodic", Duration.ofMillis(1), blockUntilInterrupted);
        tasks.once("one-shot", blockUntilInterrupted);
        assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));

        tasks.shutdown();

        assertTrue(interrupted.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(tasks.isTerminated(), "no thread left to run a task");
    }

    @Test
    void aTaskThatWillNeverRunCancelsTheFutureItRuns() {
        tasks.shutdown();
        FutureTask<String> warmUp = new FutureTask<>(() -> "ran");

        tasks.once("pool-warm-up", warmUp);

        assertThrows(CancellationException.class, warmUp::get, "nobody waits for it forever");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
