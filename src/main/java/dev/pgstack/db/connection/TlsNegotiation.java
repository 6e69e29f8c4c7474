package dev.pgstack.db.connection;

import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.sql.DatabaseFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * Asks a server whether it offers TLS before the reactive client connects, so that the client never meets a refusal.
 * The reactive client (vertx-pg-client 4.5, and its main branch) negotiates TLS on a socket of its own: when the
 * server answers an SSLRequest with 'N' (TLS off, or PgBouncer without client TLS) it fails that socket's attempt
 * without closing the socket, and with {@code sslmode=prefer} (libpq's default, pgstack's too) opens a second one
 * for the plain session. The first stays open with nothing sent after the answer: the server's child waits for a
 * startup packet until {@code authentication_timeout} (60 s), PgBouncer's until {@code client_login_timeout}.
 * During a fast shutdown such a child, forked after the sessions were told to end, is one the postmaster does not
 * signal and waits for: {@code pg_ctl stop -m fast} took 60 s whenever the pool reconnected in that window
 * (FastShutdownIT). libpq and pgjdbc carry on in plain text on the same socket, which the reactive client cannot do.
 *
 * <p>So each connection's options go through {@link #negotiated}: the answer to an SSLRequest of our own, on a
 * socket closed whatever happens, decides the mode: a server that offers TLS gets the configured mode unchanged; one
 * that does not gets {@code disable} for {@code prefer} and {@code allow} (what libpq ends with there), and a
 * connection failure for {@code require} and the verifying modes, without the client's own attempt. An answer is
 * kept for {@link #REASK_AFTER_MS}: a server that starts offering TLS gets TLS within that time, and a server that
 * offers it sees the question (logged by PostgreSQL as "could not accept SSL connection: EOF detected") at most
 * once in that time per host. A question that gets no answer (host down, refused, timed out, closed) fails the
 * connection with that socket error, as the client's own attempt would have failed, without a second wait.
 */
@ApplicationScoped
public class TlsNegotiation {

    /** How long a server's answer is trusted. */
    static final long REASK_AFTER_MS = TimeUnit.MINUTES.toMillis(5);

    private static final int SSL_REQUEST_CODE = 80877103;

    private record Answer(boolean offered, long atNanos) {
    }

    private final Vertx vertx;
    private final int timeoutMs;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private volatile NetClient client;

    @Inject
    public TlsNegotiation(Vertx vertx, PgstackConfig config) {
        this(vertx, (int) TimeUnit.SECONDS.toMillis(config.db().connectTimeoutSeconds()));
    }

    TlsNegotiation(Vertx vertx, int timeoutMs) {
        this.vertx = vertx;
        this.timeoutMs = timeoutMs;
    }

    /** Connects to the servers in turn, each connection with its negotiated options. */
    public Supplier<Future<SqlConnectOptions>> inTurn(List<PgConnectOptions> servers) {
        AtomicInteger turn = new AtomicInteger();
        return () -> negotiated(servers.get(Math.floorMod(turn.getAndIncrement(), servers.size())));
    }

    /** {@code options}, with the TLS mode the server's answer calls for (see the class comment). */
    public Future<SqlConnectOptions> negotiated(PgConnectOptions options) {
        SslMode mode = options.getSslMode();
        if (mode == SslMode.DISABLE || options.isUsingDomainSocket()) {
            return Future.succeededFuture(options); // no SSLRequest is sent
        }
        String key = options.getHost() + ":" + options.getPort();
        Answer known = answers.get(key);
        if (known != null && System.nanoTime() - known.atNanos() < TimeUnit.MILLISECONDS.toNanos(REASK_AFTER_MS)) {
            return apply(options, known.offered());
        }
        return offersTls(options.getSocketAddress()).compose(offered -> {
            answers.put(key, new Answer(offered, System.nanoTime()));
            return apply(options, offered);
        });
    }

    private static Future<SqlConnectOptions> apply(PgConnectOptions options, boolean offered) {
        if (offered) {
            return Future.succeededFuture(options);
        }
        return switch (options.getSslMode()) {
            // the copy constructor of vertx-pg-client 4.5 drops the layer-7-proxy mode (PgBouncer's): set again
            case ALLOW, PREFER -> Future.succeededFuture(new PgConnectOptions(options).setSslMode(SslMode.DISABLE)
                    .setUseLayer7Proxy(options.getUseLayer7Proxy()));
            default -> Future.failedFuture(new SSLException("the server at " + options.getHost() + ":"
                    + options.getPort() + " does not offer TLS (sslmode=" + options.getSslMode().value + ")"));
        };
    }

    /** The server's answer to an SSLRequest: true for 'S'. The socket is closed in every case. */
    Future<Boolean> offersTls(SocketAddress server) {
        Promise<Boolean> answer = Promise.promise();
        client().connect(server).onComplete(connected -> {
            if (connected.failed()) {
                answer.fail(DatabaseFailure.asConnectionFailure(connected.cause()));
                return;
            }
            NetSocket socket = connected.result();
            long timer = vertx.setTimer(timeoutMs, t -> {
                socket.close();
                answer.tryFail(new SocketException("no answer to an SSLRequest within " + timeoutMs + " ms"));
            });
            socket.handler(bytes -> {
                vertx.cancelTimer(timer);
                socket.close();
                answer.tryComplete(bytes.length() > 0 && bytes.getByte(0) == 'S');
            });
            socket.exceptionHandler(failure -> {
                vertx.cancelTimer(timer);
                socket.close();
                answer.tryFail(DatabaseFailure.asConnectionFailure(failure));
            });
            socket.closeHandler(closed -> {
                vertx.cancelTimer(timer);
                answer.tryFail(new SocketException("closed before answering an SSLRequest"));
            });
            socket.write(Buffer.buffer(8).appendInt(8).appendInt(SSL_REQUEST_CODE));
        });
        return answer.future();
    }

    private NetClient client() {
        NetClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(timeoutMs));
                }
                c = client;
            }
        }
        return c;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
