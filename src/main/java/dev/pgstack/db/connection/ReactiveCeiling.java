package dev.pgstack.db.connection;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.pgstack.db.sql.DatabaseFailure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * At most {@link #limit} statements at once on the primary's reactive pool: the Vert.x pool's size is fixed when it
 * is built, and would open a new connection for every statement above what it holds, up to its maximum, however
 * many the server has left ({@link ConnectionSlots} sets the limit). A statement above the limit waits for one to
 * end, at most the acquisition timeout, as it would wait for a connection of a full pool. Without a limit it costs
 * a counter.
 * <p>
 * The limit is kept per event loop, each with an even part of it: the pool gives a statement a free connection of
 * its own event loop, and opens a new one there rather than take a free one from another loop while it may grow,
 * so a limit counted across loops would still let it open as many connections per loop.
 */
public final class ReactiveCeiling {

    private final Map<Thread, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger created = new AtomicInteger();
    private volatile int limit = Integer.MAX_VALUE;

    /** The most statements at once from now on; {@link Integer#MAX_VALUE}: as many as the pool gives. */
    public void limit(int statements) {
        limit = Math.max(1, statements);
        lanes.values().forEach(Lane::admitWaiting);
    }

    public int limit() {
        return limit;
    }

    /** {@code statement}, started now if under the limit, else when one ends; a pool timeout after {@code wait}. */
    public <T> Future<T> run(Supplier<Future<T>> statement, Duration wait) {
        return lanes.computeIfAbsent(Thread.currentThread(), t -> new Lane()).run(statement, wait);
    }

    /**
     * One event loop's share of the limit (a thread outside the event loops is a lane of its own): an even part, and
     * one more for the first lanes while the division leaves some over, so that all of a share of 9 over 4 loops is
     * used (3 + 2 + 2 + 2), not 8.
     */
    private int laneLimit(Lane lane) {
        int all = limit;
        if (all == Integer.MAX_VALUE) {
            return all;
        }
        int n = Math.max(1, lanes.size());
        return Math.max(1, all / n + (lane.index < all % n ? 1 : 0));
    }

    /** The statements of one event loop: how many run, and which wait. */
    private final class Lane {
        /** Its place among the lanes, in the order they came (lanes are never removed). */
        private final int index = created.getAndIncrement();
        private final AtomicInteger running = new AtomicInteger();
        private final Queue<Waiting<?>> waiting = new ConcurrentLinkedQueue<>();

        <T> Future<T> run(Supplier<Future<T>> statement, Duration wait) {
            if (running.incrementAndGet() <= laneLimit(this)) {
                return started(statement);
            }
            running.decrementAndGet();
            Context context = Vertx.currentContext();
            if (context == null || wait.isZero() || wait.isNegative()) {
                return Future.failedFuture(new DatabaseFailure.NoConnectionInTime("no statement slot came free"));
            }
            Waiting<T> waiter = new Waiting<>(statement, context);
            waiting.add(waiter);
            context.owner().setTimer(Math.max(1, wait.toMillis()), id -> {
                if (waiter.claimed.compareAndSet(false, true)) {
                    waiting.remove(waiter);
                    waiter.promise.fail(new DatabaseFailure.NoConnectionInTime(
                            "no connection came free within " + wait + " while the pool may not grow"));
                }
            });
            admitWaiting(); // one may have ended between the count and the queue
            return waiter.promise.future();
        }

        private <T> Future<T> started(Supplier<Future<T>> statement) {
            Future<T> result;
            try {
                result = statement.get();
            } catch (RuntimeException e) {
                ended();
                throw e;
            }
            return result.andThen(done -> endedAfterRecycle());
        }

        /**
         * The statement's answer reaches its caller before the pool has its connection back: under a limit, the slot
         * is freed on the event loop's next turn, so that the statement it lets in finds that connection free instead
         * of opening one more.
         */
        private void endedAfterRecycle() {
            Context context = limit == Integer.MAX_VALUE ? null : Vertx.currentContext();
            if (context == null) {
                ended();
            } else {
                context.runOnContext(v -> ended());
            }
        }

        private void ended() {
            running.decrementAndGet();
            if (!waiting.isEmpty()) {
                admitWaiting();
            }
        }

        /** Starts waiting statements, oldest first, while under the limit. */
        private void admitWaiting() {
            while (!waiting.isEmpty()) {
                if (running.incrementAndGet() > laneLimit(this)) {
                    running.decrementAndGet();
                    return;
                }
                Waiting<?> next = waiting.poll();
                if (next == null || !next.claimed.compareAndSet(false, true)) {
                    running.decrementAndGet(); // gone, or its wait already over
                    continue;
                }
                next.start();
            }
        }

        private final class Waiting<T> {
            final Supplier<Future<T>> statement;
            final Context context;
            final Promise<T> promise = Promise.promise();
            final AtomicBoolean claimed = new AtomicBoolean();

            Waiting(Supplier<Future<T>> statement, Context context) {
                this.statement = statement;
                this.context = context;
            }

            /** On the request's own event loop, as if it had not waited; its slot is already counted. */
            void start() {
                context.runOnContext(v -> {
                    try {
                        statement.get().andThen(done -> endedAfterRecycle()).onComplete(promise);
                    } catch (RuntimeException e) {
                        ended();
                        promise.fail(e);
                    }
                });
            }
        }
    }
}
