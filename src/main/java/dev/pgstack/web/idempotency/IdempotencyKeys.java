package dev.pgstack.web.idempotency;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.config.PgstackConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The table {@code idempotency_keys} (migration V4): stored answers, read and written inside the request's
 * transaction, and a periodic clean-up of expired keys on the reactive pool (no extra process, no worker thread).
 */
@ApplicationScoped
public class IdempotencyKeys {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);

    public record Stored(byte[] fingerprint, int status, String body, String location) {
    }

    @Inject
    EntityManager em;

    @Inject
    PgstackConfig config;

    /** Transaction-scoped: released by commit or rollback, also when the connection dies. */
    boolean lock(String key) {
        Object locked = em.createNativeQuery("SELECT pg_try_advisory_xact_lock(:id)").setParameter("id", lockId(key))
                .getSingleResult();
        return Boolean.TRUE.equals(locked);
    }

    Optional<Stored> find(String key) {
        List<?> rows = em.createNativeQuery("SELECT fingerprint, status, body, location FROM idempotency_keys "
                + "WHERE key = :key AND created_at > clock_timestamp() - make_interval(secs => :retention)")
                .setParameter("key", key).setParameter("retention", config.idempotency().retention().toSeconds())
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new Stored((byte[]) row[0], ((Number) row[1]).intValue(), (String) row[2],
                (String) row[3]));
    }

    /** Replaces an expired row of the same key, if the clean-up has not removed it yet. */
    void save(String key, byte[] fingerprint, int status, String body, String location) {
        em.createNativeQuery("INSERT INTO idempotency_keys (key, fingerprint, status, body, location) "
                + "VALUES (:key, :fingerprint, :status, :body, :location) ON CONFLICT (key) DO UPDATE SET "
                + "fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, body = EXCLUDED.body, "
                + "location = EXCLUDED.location, created_at = clock_timestamp()")
                .setParameter("key", key).setParameter("fingerprint", fingerprint).setParameter("status", status)
                .setParameter("body", body).setParameter("location", location).executeUpdate();
    }

    /** 64 bits of SHA-256 of the key: the advisory lock space is bigint. */
    static long lockId(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Inject
    Instance<Pool> reactivePool;

    @Inject
    DatabaseAvailability availability;

    void scheduleCleanup(@Observes StartupEvent event, Vertx vertx) {
        Duration every = config.idempotency().cleanupInterval();
        if (every.isZero() || !reactivePool.isResolvable()) {
            return;
        }
        vertx.setPeriodic(every.toMillis(), id -> removeExpired());
    }

    /** At most 10,000 rows a round, so that a backlog never becomes one long transaction. */
    void removeExpired() {
        if (!availability.now().isReady()) {
            return;
        }
        reactivePool.get().preparedQuery("DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM "
                + "idempotency_keys WHERE created_at < clock_timestamp() - make_interval(secs => $1) LIMIT 10000)")
                .execute(Tuple.of((double) config.idempotency().retention().toSeconds()))
                .subscribe().with(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.debugf("Removed %d expired idempotency keys", rows.rowCount());
                    }
                }, failure -> LOG.debugf("Idempotency key clean-up skipped: %s", failure.getClass().getSimpleName()));
    }
}
