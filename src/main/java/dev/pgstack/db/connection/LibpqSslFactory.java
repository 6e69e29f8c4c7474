package dev.pgstack.db.connection;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.postgresql.ssl.WrappedFactory;

import dev.pgstack.db.config.TlsSettings;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * pgjdbc's socket factory for every JDBC connection of pgstack ({@code sslfactory} in the URL that
 * {@link dev.pgstack.db.config.DatabaseUrl#jdbcUrl()} writes): TLS as libpq does it, the same as the reactive
 * client gets. pgjdbc's own factory differs from libpq (a PKCS#8 DER key, no {@code sslrootcert=system}, and with
 * {@code sslmode=require} it ignores a root certificate); pgjdbc still picks the mode's attempts (prefer, allow)
 * and checks the host name for verify-full itself. pgjdbc makes one per connection, so files are read afresh.
 */
@RegisterForReflection // pgjdbc instantiates it by name (sslfactory), in a native executable too
public class LibpqSslFactory extends WrappedFactory {

    public LibpqSslFactory(Properties info) throws IOException, GeneralSecurityException {
        Map<String, String> parameters = new HashMap<>();
        for (String name : TlsSettings.PARAMETERS) {
            String value = info.getProperty(name);
            if (value != null) {
                parameters.put(name, value);
            }
        }
        factory = TlsMaterial.context(TlsSettings.of(parameters)).getSocketFactory();
    }
}
