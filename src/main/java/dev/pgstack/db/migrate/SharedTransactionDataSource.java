package dev.pgstack.db.migrate;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * One open transaction as Flyway's data source: every connection Flyway takes is that transaction's connection, and
 * Flyway's commits, autocommit switches and closes do nothing. So the migrations Flyway runs, its history table and
 * its rows become part of the adoption's single transaction, which the adoption alone commits or rolls back. A
 * rollback by Flyway (on a failure) is real, and remembered: the adoption then fails rather than commit what is
 * left. (The native image learns of the proxy from META-INF/native-image/dev.pgstack/pgstack/proxy-config.json.)
 */
final class SharedTransactionDataSource implements DataSource {

    private final Connection connection;
    private volatile boolean rolledBack;

    SharedTransactionDataSource(Connection connection) {
        this.connection = connection;
    }

    boolean rolledBack() {
        return rolledBack;
    }

    @Override
    public Connection getConnection() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] { Connection.class }, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close", "commit", "setAutoCommit":
                            return null;
                        case "isClosed":
                            return false;
                        case "rollback":
                            if (args == null) {
                                rolledBack = true;
                            }
                            break;
                        default:
                            break;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger(SharedTransactionDataSource.class.getName());
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
