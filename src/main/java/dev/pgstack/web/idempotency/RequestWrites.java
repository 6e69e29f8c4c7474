package dev.pgstack.web.idempotency;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import dev.pgstack.db.reactive.ReactiveSql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Where a hot write's one statement runs, decided here so that feature code does not fork on it. Without an
 * Idempotency-Key it is its own transaction on the reactive pool ({@link ReactiveSql#write}, the fast path). Under
 * a key {@link IdempotencyInterceptor} has opened a transaction for the request, and the stored answer is written
 * in it: the statement runs in that transaction too, through Hibernate, so that the write and its idempotency
 * record commit together or not at all. The test is for any transaction, not only the interceptor's: a write
 * that sent itself past a caller's transaction would escape its rollback.
 */
@ApplicationScoped
public class RequestWrites {

    /** The reactive client's placeholders; Hibernate's native queries number theirs {@code ?1, ?2, ...}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");

    private final ReactiveSql sql;
    private final EntityManager em;

    RequestWrites(ReactiveSql sql, EntityManager em) {
        this.sql = sql;
        this.em = em;
    }

    /**
     * Runs {@code statement} (placeholders {@code $1, $2, ...}, none inside literals) with {@code arguments}; the
     * number of rows it changed. In a transaction it has run when this returns, so a constraint it breaks fails the
     * request there; alone it runs from here on, on the reactive client.
     */
    public CompletionStage<Integer> write(String statement, Tuple arguments) {
        if (!QuarkusTransaction.isActive()) {
            return sql.write(statement, arguments);
        }
        Query query = em.createNativeQuery(PLACEHOLDER.matcher(statement).replaceAll("?$1"));
        for (int i = 0; i < arguments.size(); i++) {
            query.setParameter(i + 1, arguments.getValue(i));
        }
        return CompletableFuture.completedFuture(query.executeUpdate());
    }
}
