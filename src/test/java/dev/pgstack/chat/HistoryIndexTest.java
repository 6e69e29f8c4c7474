package dev.pgstack.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.pgstack.support.Ids;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * "The newest N active messages of a user" reads N index entries, whatever the size of the user's history and
 * however many messages were soft-deleted: the plan is a scan of the partial history index, without a sort.
 */
@QuarkusTest
class HistoryIndexTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void historyIsAnIndexRangeScanThatStopsAfterTheLimit() throws Exception {
        long user = Ids.newUserId();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO users VALUES (" + user + ", now(), now())");
            st.execute("INSERT INTO messages (id, user_id, role, content, content_length, created_at, deleted_at) "
                    + "SELECT gen_random_uuid(), " + user + ", 'user', 'm' || g, 1 + length(g::text), "
                    + "now() - g * interval '1 second', CASE WHEN g % 3 = 0 THEN now() END "
                    + "FROM generate_series(1, 5000) g");
            st.execute("ANALYZE messages");
            // the history's inner scan, as Hibernate would also send it
            String plan = plan(st, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id, content, content_length, "
                    + "created_at, deleted_at, role, user_id FROM messages WHERE user_id = " + user
                    + " AND deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET 0 ROWS FETCH FIRST 20 ROWS ONLY");
            assertTrue(plan.contains("messages_user_active_history_idx"), plan);
            assertFalse(plan.contains("Sort"), "ordered by the index:\n" + plan);
            // the scan stopped after the 20 rows it returned, although the user has 3,334 active messages
            assertTrue(plan.matches("(?s).*Index Scan.*actual time=[0-9.]+\\.\\.[0-9.]+ rows=20 .*"), plan);
        }
    }

    @Inject
    io.vertx.mutiny.sqlclient.Pool reactivePool;

    /**
     * The history statement, as the hot path runs it (reactive client, prepared once per connection), is planned
     * once: with its LIMIT a parameter, PostgreSQL's default would plan it again on every execution.
     */
    @Test
    void theHistoryStatementIsPlannedOncePerConnection() {
        long user = Ids.newUserId();
        var planned = reactivePool.withConnection(connection -> {
            io.smallrye.mutiny.Uni<?> runs = connection.query("INSERT INTO users VALUES (" + user + ", now(), now())")
                    .execute();
            for (int i = 0; i < 12; i++) {
                runs = runs.chain(() -> connection.preparedQuery(ConversationService.HISTORY)
                        .execute(Tuple.of(user, 20)));
            }
            return runs.chain(() -> connection.preparedQuery(
                    "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1")
                    .execute(Tuple.of(ConversationService.HISTORY)));
        }).await().atMost(Duration.ofSeconds(20)).iterator().next();

        assertEquals(0L, planned.getLong("custom_plans"), "planned again for its parameters");
        assertTrue(planned.getLong("generic_plans") >= 12, "generic plans: " + planned.getLong("generic_plans"));
    }

    private static String plan(Statement st, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
