package dev.pgstack.db.tasks;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.ObserverMethod;

import io.quarkus.runtime.ShutdownEvent;

/**
 * The service's background work, as named tasks on one scheduler: the reachability watch, the replication monitor,
 * the startup wait and the pool warm-up. Each task blocks (a TCP handshake up to its timeout, a JDBC check up to
 * seconds, the startup wait for minutes), so none may wait for another: the pool keeps one thread for every task
 * that is scheduled or running, and a thread carries the name of the task it runs ("pgstack-reachability"), as the
 * hand-made threads did. Periodic tasks run with a fixed delay between the end of one run and the start of the
 * next. Threads are daemons; the scheduler stops with the service. A task that will never run (queued when the
 * service stopped) is dropped: when its body is a {@link Future}, that is cancelled, so that nobody waits for it.
 *
 * <p>Not the Quarkus worker pool (its injectable ScheduledExecutorService, or quarkus-scheduler's @Scheduled): a
 * partition would park request threads in these checks, and a slow check would delay the next one of another.
 */
@ApplicationScoped
public class BackgroundTasks {

    /** How long stopping the service waits for running tasks to see their interrupt. */
    static final Duration STOP_WAIT = Duration.ofSeconds(1);

    private final ScheduledThreadPoolExecutor executor;
    /** Tasks scheduled or running: each has a thread. */
    private final Set<Task> live = ConcurrentHashMap.newKeySet();

    public BackgroundTasks() {
        executor = new ScheduledThreadPoolExecutor(1, idleThreads());
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code task} now and again {@code interval} after each run ends, until stopped. */
    public Task every(String name, Duration interval, Runnable task) {
        Task handle = new Task(this, name, task, false);
        claimThread(handle);
        try {
            handle.future = executor.scheduleWithFixedDelay(handle::run, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            handle.drop();
        }
        return handle;
    }

    /** Runs {@code task} once, now, on a thread of its own. */
    public Task once(String name, Runnable task) {
        Task handle = new Task(this, name, task, true);
        claimThread(handle);
        try {
            handle.future = executor.schedule(handle::run, 0, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            handle.drop();
        }
        return handle;
    }

    /** After the services that own tasks have stopped theirs (default priority): interrupt the rest, wait briefly. */
    void onStop(@Observes @Priority(ObserverMethod.DEFAULT_PRIORITY + 1000) ShutdownEvent event) {
        shutdown();
    }

    void shutdown() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        live.forEach(Task::drop); // those that never started will not: they were taken off the queue
    }

    boolean isTerminated() {
        return executor.isTerminated();
    }

    /** One thread more, before the task is queued: a task never waits for a thread that another one holds. */
    private synchronized void claimThread(Task task) {
        live.add(task);
        executor.setCorePoolSize(Math.max(1, live.size()));
    }

    /** A task ended or was stopped: the pool shrinks back (an idle thread ends). */
    synchronized void releaseThread(Task task) {
        live.remove(task);
        executor.setCorePoolSize(Math.max(1, live.size()));
    }

    private static ThreadFactory idleThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, Task.IDLE_NAME);
            thread.setDaemon(true);
            return thread;
        };
    }
}
