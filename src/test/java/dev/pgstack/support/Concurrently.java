package dev.pgstack.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A race: {@code n} tasks, each on a thread of its own, released together once all are ready, so that they
 * overlap (requests racing a delete, transactions racing each other). The one home of the suites' races; load that
 * keeps a service busy is {@link MessageLoad}'s.
 */
public final class Concurrently {

    /** Task {@code i} of a race. */
    @FunctionalInterface
    public interface Task<T> {
        T run(int i) throws Exception;
    }

    private Concurrently() {
    }

    /**
     * Runs tasks 0 to {@code n - 1} at once and waits for them all. @return their results in task order; throws
     * the first task's failure (in task order), or an AssertionError when one still runs after {@code timeout}.
     */
    public static <T> List<T> run(int n, Duration timeout, Task<T> task) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        try {
            List<Future<T>> running = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                running.add(threads.submit(() -> {
                    ready.countDown();
                    ready.await(); // every thread started: they go together
                    return task.run(index);
                }));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            List<T> results = new ArrayList<>();
            for (Future<T> each : running) {
                try {
                    results.add(each.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw (Error) e.getCause();
                } catch (TimeoutException e) {
                    throw new AssertionError(n + " concurrent tasks still running after " + timeout);
                }
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
