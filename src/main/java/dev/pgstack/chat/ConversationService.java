package dev.pgstack.chat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;

import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

import dev.pgstack.chat.ChatDtos.MessageView;
import dev.pgstack.chat.ChatDtos.NewMessage;
import dev.pgstack.chat.ChatDtos.SettingsUpdate;
import dev.pgstack.chat.ChatDtos.SettingsView;
import dev.pgstack.chat.ChatDtos.UserView;
import dev.pgstack.db.reactive.ReactiveSql;
import dev.pgstack.db.sql.DatabaseClock;
import dev.pgstack.problem.ApiException;
import dev.pgstack.web.idempotency.RequestWrites;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The conversation store. Writes run in one transaction each (REQUIRED; any exception rolls back); reads join a
 * transaction if there is one and open none of their own (SUPPORTS). The hot paths (the history, a new message)
 * skip Hibernate: one statement each on the reactive client.
 */
@ApplicationScoped
public class ConversationService {

    private final ReactiveSql sql;
    private final RequestWrites writes;

    ConversationService(ReactiveSql sql, RequestWrites writes) {
        this.sql = sql;
        this.writes = writes;
    }

    public record Upserted(UserView user, boolean created) {
    }

    /**
     * Creates the user, or touches {@code updatedAt}: one INSERT ... ON CONFLICT DO UPDATE, which PostgreSQL makes
     * atomic, so that a concurrent DELETE of the same user can only make this a create (201) or an update (200).
     * Times come from the database after the row lock, so {@code updatedAt} is never before {@code createdAt}.
     */
    @Transactional(rollbackOn = Exception.class)
    public Upserted upsertUser(long id) {
        Object[] row = (Object[]) ChatUser.getEntityManager().createNativeQuery("""
                INSERT INTO users AS u (id, created_at, updated_at)
                SELECT :id, t, t FROM clock_timestamp() AS t
                ON CONFLICT (id) DO UPDATE SET updated_at = GREATEST(clock_timestamp(), u.created_at)
                RETURNING u.created_at, u.updated_at, u.xmax = 0 AS inserted""")
                .setParameter("id", id)
                .unwrap(NativeQuery.class)
                .addScalar("created_at", StandardBasicTypes.INSTANT)
                .addScalar("updated_at", StandardBasicTypes.INSTANT)
                .addScalar("inserted", StandardBasicTypes.BOOLEAN)
                .getSingleResult();
        return new Upserted(new UserView(id, (Instant) row[0], (Instant) row[1]), (Boolean) row[2]);
    }

    @Transactional(TxType.SUPPORTS)
    public UserView user(long id) {
        return UserView.of(existing(id, LockModeType.NONE));
    }

    /** Removes the user; the database cascades to messages and settings in the same statement. */
    @Transactional(rollbackOn = Exception.class)
    public void deleteUser(long id) {
        long deleted = ChatUser.delete("id", id);
        if (deleted == 0) {
            throw notFound(id);
        }
    }

    @Transactional(TxType.SUPPORTS)
    public SettingsView settings(long userId) {
        existing(userId, LockModeType.NONE);
        UserSettings s = UserSettings.findById(userId);
        return s == null ? SettingsView.defaults(userId) : SettingsView.of(s);
    }

    @Transactional(rollbackOn = Exception.class)
    public SettingsView updateSettings(long userId, SettingsUpdate update) {
        // Locking the user row serialises concurrent upserts of the same settings.
        existing(userId, LockModeType.PESSIMISTIC_WRITE);
        Instant now = DatabaseClock.now();
        UserSettings s = UserSettings.findById(userId);
        boolean created = s == null;
        if (created) {
            s = new UserSettings();
            s.userId = userId;
            s.createdAt = now;
        }
        s.maxHistoryMessages = update.maxHistoryMessages() != null ? update.maxHistoryMessages()
                : UserSettings.DEFAULT_MAX_HISTORY_MESSAGES;
        s.systemPrompt = update.systemPrompt();
        s.updatedAt = now;
        if (created) {
            s.persist();
        }
        return SettingsView.of(s);
    }

    /**
     * A new message: one INSERT, the hot write, run where {@link RequestWrites} decides (alone on the reactive
     * client, or in the transaction of a POST with an Idempotency-Key, whose stored answer must commit with it).
     * No existence check: the foreign key refuses an unknown (or concurrently deleted) user, answered 404.
     */
    public CompletionStage<MessageView> addMessage(long userId, NewMessage request) {
        // the view straight from the request: an entity instance would cost its change tracking
        MessageView m = new MessageView(UUID.randomUUID(), userId, request.role(), request.content(),
                request.content().codePointCount(0, request.content().length()), DatabaseClock.now());
        Tuple values = Tuple.tuple().addUUID(m.id()).addLong(userId).addString(m.role()).addString(m.content())
                .addInteger(m.contentLength()).addOffsetDateTime(m.createdAt().atOffset(ZoneOffset.UTC));
        return writes.write(INSERT_MESSAGE, values).thenApply(inserted -> m);
    }

    private static final String INSERT_MESSAGE = "INSERT INTO messages (id, user_id, role, content, content_length, "
            + "created_at) VALUES ($1, $2, $3, $4, $5, $6)";

    @Transactional(TxType.SUPPORTS)
    public MessageView message(long userId, UUID messageId) {
        existing(userId, LockModeType.NONE);
        Message m = Message.findById(messageId);
        if (m == null || !m.userId.equals(userId) || m.deletedAt != null) {
            throw ApiException.notFound("message " + messageId + " of user " + userId + " does not exist");
        }
        return MessageView.of(m);
    }

    /**
     * Active messages, newest first; {@code limit} null means the user's maxHistoryMessages. A hot read: one
     * statement on the reactive client (db.reactive.ReactiveSql) that also tells an unknown user (no row at all,
     * 404) from one without messages (one row of nulls), and stops after the limit on the partial index (V5).
     */
    public CompletionStage<List<MessageView>> history(long userId, Integer limit) {
        return sql.list(HISTORY, Tuple.tuple().addLong(userId).addInteger(limit), row -> row.getUUID(0) == null
                ? null // the user exists and has no active message
                // straight to the view, columns by position: an entity instance would cost its change tracking
                : new MessageView(row.getUUID(0), userId, row.getString(1), row.getString(2), row.getInteger(3),
                        row.getOffsetDateTime(4).toInstant()))
                .thenApply(messages -> {
                    if (messages.isEmpty()) {
                        throw notFound(userId);
                    }
                    return messages.get(0) == null ? List.of() : messages;
                });
    }

    /** Package-private for HistoryIndexTest, which checks how the server plans it. */
    static final String HISTORY = """
            SELECT m.id, m.role, m.content, m.content_length, m.created_at
            FROM users u LEFT JOIN LATERAL (
                SELECT id, role, content, content_length, created_at FROM messages
                WHERE user_id = u.id AND deleted_at IS NULL
                ORDER BY created_at DESC, id DESC
                LIMIT COALESCE($2::integer, (SELECT max_history_messages FROM user_settings WHERE user_id = u.id), %d)
            ) m ON true
            WHERE u.id = $1
            ORDER BY m.created_at DESC, m.id DESC""".formatted(UserSettings.DEFAULT_MAX_HISTORY_MESSAGES);

    /** Soft delete of every active message of the user: one UPDATE statement. */
    @Transactional(rollbackOn = Exception.class)
    public long clearHistory(long userId) {
        existing(userId, LockModeType.NONE);
        return Message.update("deletedAt = ?1 where userId = ?2 and deletedAt is null", DatabaseClock.now(),
                userId);
    }

    private ChatUser existing(long id, LockModeType lock) {
        ChatUser user = ChatUser.findById(id, lock);
        if (user == null) {
            throw notFound(id);
        }
        return user;
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("user " + id + " does not exist");
    }
}
