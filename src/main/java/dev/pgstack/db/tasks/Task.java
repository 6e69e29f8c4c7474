package dev.pgstack.db.tasks;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A task of {@link BackgroundTasks}: runs under its own thread name, and can be stopped by its owner, who may wait
 * for a run under way to end (the replication monitor closes its connections only after its last check).
 */
public final class Task {

    static final String IDLE_NAME = "pgstack-tasks";

    private final BackgroundTasks tasks;
    private final String name;
    private final Runnable body;
    private final boolean once;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean started;
    volatile Future<?> future;

    Task(BackgroundTasks tasks, String name, Runnable body, boolean once) {
        this.tasks = tasks;
        this.name = "pgstack-" + name;
        this.body = body;
        this.once = once;
    }

    /** The thread name while it runs, e.g. "pgstack-reachability". */
    public String name() {
        return name;
    }

    /** Stops the task, interrupting a run under way, without waiting for it to end. */
    public void stop() {
        stop(Duration.ZERO);
    }

    /** Stops the task, interrupting a run under way, and waits up to {@code wait} for that run to end. */
    public void stop(Duration wait) {
        Future<?> scheduled = future;
        if (scheduled == null) {
            return; // never scheduled: the scheduler had stopped
        }
        scheduled.cancel(true);
        try {
            if (running.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    release(); // not running: its thread is free (else the run gives it back as it ends)
                } finally {
                    running.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void run() {
        Thread thread = Thread.currentThread();
        running.lock();
        try {
            started = true;
            thread.setName(name);
            body.run();
        } finally {
            thread.setName(IDLE_NAME);
            Future<?> scheduled = future; // null only in a first run that began before every() returned
            if (once || (scheduled != null && scheduled.isCancelled())) {
                release();
            }
            running.unlock();
        }
    }

    /** The task will never run (the scheduler stopped): whoever waits on a Future body is told so. */
    void drop() {
        if (!started) {
            if (body instanceof Future<?> waitedOn) {
                waitedOn.cancel(false);
            }
            release();
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            tasks.releaseThread(this);
        }
    }
}
