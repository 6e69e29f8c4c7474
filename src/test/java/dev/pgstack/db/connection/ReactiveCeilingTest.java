package dev.pgstack.db.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pgstack.db.sql.DatabaseFailure;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** The gate in front of the primary's reactive pool, on a real Vert.x event loop with statements the test ends. */
class ReactiveCeilingTest {

    private final Vertx vertx = Vertx.vertx();
    private final Context loop = vertx.getOrCreateContext();
    private final ReactiveCeiling ceiling = new ReactiveCeiling();
    private final AtomicInteger started = new AtomicInteger();
    private final List<Promise<String>> running = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void withoutALimitEveryStatementStartsAtOnce() throws Exception {
        for (int i = 0; i < 50; i++) {
            submit(Duration.ofSeconds(5));
        }
        awaitStarted(50);
    }

    @Test
    void aboveTheLimitAStatementWaitsForOneToEndThenRunsOldestFirst() throws Exception {
        ceiling.limit(2);
        CompletableFuture<String> first = submit(Duration.ofSeconds(5));
        submit(Duration.ofSeconds(5));
        CompletableFuture<String> third = submit(Duration.ofSeconds(5));
        CompletableFuture<String> fourth = submit(Duration.ofSeconds(5));
        awaitStarted(2);
        Thread.sleep(200); // time itself: nothing more may start while two run
        assertEquals(2, started.get());
        end(0, "one");
        assertEquals("one", first.get(5, TimeUnit.SECONDS));
        awaitStarted(3);
        end(2, "three");
        assertEquals("three", third.get(5, TimeUnit.SECONDS));
        awaitStarted(4);
        end(3, "four");
        assertEquals("four", fourth.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aStatementThatWaitsLongerThanItsBoundIsAPoolTimeout() throws Exception {
        ceiling.limit(1);
        submit(Duration.ofSeconds(5));
        CompletableFuture<String> late = submit(Duration.ofMillis(300));
        long t0 = System.nanoTime();
        Throwable failure = late.handle((ok, e) -> e).get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(250).toNanos());
        assertEquals(DatabaseFailure.Kind.POOL_TIMEOUT, DatabaseFailure.of(failure).orElseThrow().kind());
        assertEquals(1, started.get(), "the timed-out statement never ran");
        end(0, "done");
        Thread.sleep(200); // time itself: the timed-out one must not start when a slot frees
        assertEquals(1, started.get());
    }

    @Test
    void raisingTheLimitStartsTheWaitingAtOnce() throws Exception {
        ceiling.limit(1);
        submit(Duration.ofSeconds(5));
        submit(Duration.ofSeconds(5));
        submit(Duration.ofSeconds(5));
        awaitStarted(1);
        loop.runOnContext(v -> ceiling.limit(Integer.MAX_VALUE));
        awaitStarted(3);
    }

    @Test
    void aLimitThatDoesNotDivideEvenlyOverTheEventLoopsIsUsedWhole() throws Exception {
        Context other = CompletableFuture.supplyAsync(vertx::getOrCreateContext).get(5, TimeUnit.SECONDS); // another
        // thread, so another context (Vert.x keeps one per outside thread), on the next event loop
        assertTrue(other.isEventLoopContext() && loop.isEventLoopContext());
        Thread[] threads = new Thread[2];
        loop.runOnContext(v -> threads[0] = Thread.currentThread());
        other.runOnContext(v -> threads[1] = Thread.currentThread());
        awaitThreads(threads);
        assertTrue(threads[0] != threads[1], "two event loops");
        submit(loop, Duration.ofSeconds(5)); // each loop has its lane
        submit(other, Duration.ofSeconds(5));
        awaitStarted(2);
        end(0, "a");
        end(1, "b");
        Thread.sleep(200); // time itself: both lanes are free again
        ceiling.limit(3);
        for (int i = 0; i < 3; i++) {
            submit(loop, Duration.ofSeconds(5));
            submit(other, Duration.ofSeconds(5));
        }
        awaitStarted(2 + 3);
        Thread.sleep(200); // time itself: no more than the limit may start
        assertEquals(5, started.get(), "3 at once over two loops: 2 on one, 1 on the other");
    }

    private static void awaitThreads(Thread[] threads) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((threads[0] == null || threads[1] == null) && System.nanoTime() < until) {
            Thread.sleep(10); // poll: set on the event loops
        }
    }

    private CompletableFuture<String> submit(Duration wait) {
        return submit(loop, wait);
    }

    /** A statement submitted from an event loop, as the hot paths do; it runs until the test ends it. */
    private CompletableFuture<String> submit(Context on, Duration wait) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        on.runOnContext(v -> ceiling.run(() -> {
            Promise<String> p = Promise.promise();
            running.add(p);
            started.incrementAndGet();
            return p.future();
        }, wait).onComplete(done -> {
            if (done.succeeded()) {
                answer.complete(done.result());
            } else {
                answer.completeExceptionally(done.cause());
            }
        }));
        return answer;
    }

    private void end(int index, String value) {
        Promise<String> p = running.get(index);
        loop.runOnContext(v -> p.complete(value));
    }

    private void awaitStarted(int n) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (started.get() < n && System.nanoTime() < until) {
            Thread.sleep(10); // poll: the statements start on the event loop
        }
        assertEquals(n, started.get());
    }
}
