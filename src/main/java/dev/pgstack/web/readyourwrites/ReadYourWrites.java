package dev.pgstack.web.readyourwrites;

import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.replica.ReadAfter;
import dev.pgstack.db.replica.Replicas;
import dev.pgstack.db.replica.WalPosition;
import dev.pgstack.db.sql.DatabaseFailure;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Read your writes with replicas: a successful write answers with the primary's WAL position after its commit
 * (header {@value #HEADER} and a cookie of the same value); a read that brings it back, as the cookie or the
 * header, is served only by a replica that has replayed that far, else by the primary. Browsers and clients with a
 * cookie jar get this without doing anything; others echo the header. Without replicas nothing of this runs.
 */
public class ReadYourWrites {

    private static final Logger LOG = Logger.getLogger(ReadYourWrites.class);
    public static final String HEADER = "Pgstack-Read-After";
    public static final String COOKIE = "pgstack_read_after";

    @Inject
    Replicas replicas;

    @Inject
    ReadAfter readAfter;

    @Inject
    Pool primary;

    @Inject
    PgstackConfig config;

    @ServerRequestFilter
    public void remember(ContainerRequestContext request) {
        if (!replicas.configured() || !isRead(request.getMethod())) {
            return;
        }
        long position = WalPosition.parse(request.getHeaderString(HEADER));
        Cookie cookie = request.getCookies().get(COOKIE);
        if (cookie != null) {
            position = Math.max(position, WalPosition.parse(cookie.getValue()));
        }
        readAfter.position(position);
    }

    /**
     * Non-blocking (a Uni), since the hot write answers on the event loop. Null when there is nothing to mark (no
     * replicas, a read, a failure): Quarkus REST then goes on at once, where even a finished Uni costs the request
     * a suspend and a resume.
     */
    @ServerResponseFilter
    public Uni<Void> mark(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (!replicas.configured() || isRead(request.getMethod()) || status < 200 || status >= 300) {
            return null;
        }
        return committedPosition().invoke(position -> {
            if (position == WalPosition.NONE) {
                return; // the primary did not say: the client's next read may go to any usable replica
            }
            String value = WalPosition.format(position);
            response.getHeaders().add(HEADER, value);
            // written by hand: JAX-RS would quote the value (it has a '/') and add the obsolete Version=1 (RFC 2109)
            response.getHeaders().add(HttpHeaders.SET_COOKIE, COOKIE + "=" + value + "; Path=/; Max-Age="
                    + config.replica().readAfterWriteWindow().toSeconds() + "; HttpOnly; SameSite=Lax");
        }).replaceWithVoid();
    }

    /** The primary's WAL insert position now: at or past the end of the commit that this request just made. */
    private Uni<Long> committedPosition() {
        return primary.query("SELECT pg_current_wal_insert_lsn()::text").execute()
                .map(rows -> WalPosition.parse(rows.iterator().next().getString(0)))
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("No WAL position for read-your-writes: %s", DatabaseFailure.describe(e));
                    return WalPosition.NONE;
                });
    }

    private static boolean isRead(String method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
    }
}
