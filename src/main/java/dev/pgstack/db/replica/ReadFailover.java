package dev.pgstack.db.replica;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.pgstack.db.availability.AvailabilityRules;
import dev.pgstack.db.availability.AvailabilityRules.ReplicaFailure;
import io.quarkus.runtime.annotations.RegisterForProxy;

/**
 * A replica's connection as Hibernate gets it for a read outside a transaction. When a statement fails because the
 * replica went away under it ({@link AvailabilityRules#onReplicaFailure}: NEXT_SERVER), before it returned anything,
 * the replica is reported down and the same statement runs again, with the same parameters, on a connection of the
 * next usable server (else the primary), where the session goes on: what a reactive read does in
 * db.reactive.ReactiveSql. Outside a transaction every statement is its own, so running it again elsewhere is what a
 * client retrying would do, a few milliseconds sooner. Hibernate wraps no connection of its own around this one.
 */
@RegisterForProxy(targets = { Connection.class, PreparedStatement.class, Statement.class })
final class ReadFailover {

    /** Where the read goes next, once {@code failed} failed it; the server it comes from (null: the primary). */
    interface NextServer {
        Served after(ReplicaPool failed) throws SQLException;
    }

    /** A connection and the replica it comes from; {@code server} null: the primary, which nothing replaces. */
    record Served(Connection connection, ReplicaPool server) {
    }

    /** Statement methods that run it: the ones a failure may be replayed from. */
    private static final Set<String> RUNS = Set.of("executeQuery", "execute");
    /** Connection settings Hibernate may make, made again on the connection that replaces it. */
    private static final Set<String> SESSION_STATE = Set.of("setAutoCommit", "setReadOnly",
            "setTransactionIsolation", "setSchema", "setCatalog", "setHoldability");

    private ReadFailover() {
    }

    static Connection wrap(Served first, NextServer next) {
        return (Connection) Proxy.newProxyInstance(ReadFailover.class.getClassLoader(),
                new Class<?>[] { Connection.class }, new ConnectionHandler(first, next));
    }

    /** One recorded call, made again on a replacement. */
    private record Call(Method method, Object[] args) {
        Object on(Object target) throws SQLException {
            return call(target, method, args);
        }
    }

    private static final class ConnectionHandler implements InvocationHandler {
        private Served current;
        private final NextServer next;
        private final List<Call> state = new ArrayList<>();

        ConnectionHandler(Served first, NextServer next) {
            this.current = first;
            this.next = next;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (SESSION_STATE.contains(name)) {
                state.add(new Call(method, args));
            }
            Object result = call(current.connection(), method, args);
            if (result instanceof Statement statement && (name.equals("prepareStatement")
                    || name.equals("createStatement"))) {
                Class<?> type = statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                return Proxy.newProxyInstance(ReadFailover.class.getClassLoader(), new Class<?>[] { type },
                        new StatementHandler(this, (Connection) proxy, statement, new Call(method, args)));
            }
            return result;
        }

        /**
         * The replacement for a connection whose replica failed {@code failure}, with the session's settings made
         * again; the failure itself when the rule says it is not the replica's health, or it came from the primary.
         */
        Connection replace(SQLException failure) throws SQLException {
            if (current.server() == null || AvailabilityRules.onReplicaFailure(failure) != ReplicaFailure.NEXT_SERVER) {
                throw failure;
            }
            Served replacement = next.after(current.server());
            closeQuietly(current.connection());
            current = replacement;
            for (Call call : state) {
                call.on(current.connection());
            }
            return current.connection();
        }
    }

    private static final class StatementHandler implements InvocationHandler {
        private final ConnectionHandler connection;
        private final Connection connectionProxy;
        private final Call creation;
        private final List<Call> settings = new ArrayList<>();
        private Statement current;

        StatementHandler(ConnectionHandler connection, Connection connectionProxy, Statement first, Call creation) {
            this.connection = connection;
            this.connectionProxy = connectionProxy;
            this.current = first;
            this.creation = creation;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("getConnection")) {
                return connectionProxy;
            }
            if (name.startsWith("set") || name.equals("clearParameters")) {
                settings.add(new Call(method, args)); // parameters, fetch size, timeouts: made again on a replacement
            }
            if (!RUNS.contains(name)) {
                return call(current, method, args);
            }
            // at most one replacement per server (the rule marks each failed one down)
            for (int tries = 0;; tries++) {
                try {
                    return call(current, method, args);
                } catch (SQLException failure) {
                    if (tries > 8) {
                        throw failure;
                    }
                    Connection replacement = connection.replace(failure);
                    closeQuietly(current);
                    current = (Statement) creation.on(replacement);
                    for (Call setting : settings) {
                        setting.on(current);
                    }
                }
            }
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws SQLException {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new SQLException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // broken already: its pool discards it
        }
    }
}
