package dev.pgstack.db.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.postgresql.jdbc.PgConnection;

import dev.pgstack.db.sql.DatabaseFailure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * What a request meets when its pooled connection's socket is gone before the pool checked it (see
 * SuspendedJdbcPoolTest), made by the real pool and transaction manager.
 */
@QuarkusTest
@TestProfile(PooledConnectionGoneTest.OwnApplication.class)
class PooledConnectionGoneTest {

    /**
     * Agroal counts the failed hand-out out twice (its active count stays at -1 afterwards): an application of its
     * own, so that no other test reads that count.
     */
    public static class OwnApplication implements QuarkusTestProfile {
    }

    @Inject
    AgroalDataSource pool;

    /**
     * A pooled connection whose socket is gone, handed out again at once (Agroal gives a thread back the connection it
     * returned last, unvalidated within the validation interval), cannot begin a transaction: the database's
     * failure (503), not the service's.
     */
    @Test
    void aPooledConnectionThatCannotBeginItsTransactionIsTheDatabasesFailure() throws Exception {
        try (Connection connection = pool.getConnection()) {
            connection.unwrap(PgConnection.class).abort(Runnable::run);
        }
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> QuarkusTransaction.requiringNew()
                .call(() -> {
                    try (Connection again = pool.getConnection()) {
                        return again.isValid(1);
                    }
                }));
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            chain.add(t);
        }
        // Agroal's own words, wrapped in its "Exception in association of connection to existing transaction"
        assertTrue(chain.stream().anyMatch(t -> t instanceof SQLException sql && sql.getSQLState() == null
                && sql.getMessage().startsWith("Failed to enlist")), chain.toString());
        assertEquals(DatabaseFailure.Kind.UNAVAILABLE, DatabaseFailure.of(thrown).orElseThrow().kind());
    }
}
