package dev.pgstack.db.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

    @ParameterizedTest
    @ValueSource(strings = { "postgres", "postgresql", "postgresql+asyncpg", "jdbc:postgresql", "POSTGRESQL" })
    void everySupportedSchemeGivesTheSamePieces(String scheme) {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", scheme + "://app:secret@db.internal:6432/shop");

        assertEquals("db.internal", url.host());
        assertEquals(6432, url.port());
        assertEquals("shop", url.database());
        assertEquals("app", url.user());
        assertEquals("secret", url.password());
        assertEquals("jdbc:postgresql://db.internal:6432/shop", url.jdbcUrl());
        assertEquals("postgresql://db.internal:6432/shop", url.reactiveUrl());
    }

    @Test
    void percentEncodedCredentialsAreDecoded() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://us%40er:p%40ss%3Aw%2Frd%25+x@host/db");

        assertEquals("us@er", url.user());
        assertEquals("p@ss:w/rd%+x", url.password());
        assertEquals("host", url.host());
        assertEquals(5432, url.port());
    }

    @Test
    void anUnencodedAtSignInThePasswordStillSplitsAtTheLastOne() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://app:p@ss@host:5433/db");

        assertEquals("p@ss", url.password());
        assertEquals("host", url.host());
        assertEquals(5433, url.port());
    }

    @Test
    void queryParametersAreCarriedOverAndSslIsTranslated() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL",
                "postgresql+asyncpg://app:pw@host/db?ssl=require&connect_timeout=3&search_path=app");

        assertEquals(Map.of("sslmode", "require", "connectTimeout", "3", "search_path", "app"), url.parameters());
        assertTrue(url.jdbcUrl().startsWith("jdbc:postgresql://host:5432/db?"));
        assertTrue(url.jdbcUrl().contains("sslmode=require"));
        assertTrue(url.jdbcUrl().contains("connectTimeout=3"));
        // the reactive client gets only what it understands; unknown keys would reach the server as settings
        assertTrue(url.reactiveUrl().startsWith("postgresql://host:5432/db?"), url.reactiveUrl());
        // TLS reaches the reactive client through the connection policy, never through its own URL parsing
        assertFalse(url.reactiveUrl().contains("sslmode"), url.reactiveUrl());
        assertEquals(TlsSettings.Mode.REQUIRE, url.tls().mode());
        assertTrue(url.reactiveUrl().contains("search_path=app"), url.reactiveUrl());
        assertFalse(url.reactiveUrl().contains("connectTimeout"), url.reactiveUrl());
    }

    @Test
    void sslmodeIsKeptAsGiven() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgres://app:pw@host/db?sslmode=verify-full");

        assertEquals("verify-full", url.parameters().get("sslmode"));
        assertEquals("jdbc:postgresql://host:5432/db?sslmode=verify-full", url.jdbcUrl());
        assertEquals(TlsSettings.Mode.VERIFY_FULL, url.tls().mode());
    }

    @Test
    void tlsParametersHaveLibpqsMeaning() {
        assertEquals(TlsSettings.Mode.PREFER, DatabaseUrl.parse("DATABASE_URL", "postgres://h/db").tls().mode(),
                "libpq's default");
        TlsSettings pinned = DatabaseUrl.parse("DATABASE_URL",
                "postgres://h/db?sslmode=require&sslrootcert=/etc/ca.pem").tls();
        assertTrue(pinned.verifiesChain(), "require with a root certificate verifies the chain, as in libpq");
        assertFalse(pinned.verifiesHost());
        assertFalse(DatabaseUrl.parse("DATABASE_URL", "postgres://h/db?sslmode=require").tls().verifiesChain());
        TlsSettings system = DatabaseUrl.parse("DATABASE_URL", "postgres://h/db?sslrootcert=system").tls();
        assertEquals(TlsSettings.Mode.VERIFY_FULL, system.mode(), "libpq 16's default with sslrootcert=system");
        assertTrue(system.systemTrust());
        assertEquals(TlsSettings.Mode.VERIFY_CA, DatabaseUrl.parse("DATABASE_URL",
                "postgresql+asyncpg://h/db?ssl=verify-ca").tls().mode(), "asyncpg's ssl=");
        TlsSettings client = DatabaseUrl.parse("DATABASE_URL",
                "postgres://h/db?sslmode=verify-full&sslrootcert=ca.pem&sslcert=c.pem&sslkey=c.key").tls();
        assertEquals(java.util.Optional.of("c.pem"), client.cert());
        assertEquals(java.util.Optional.of("c.key"), client.key());
    }

    @Test
    void tlsParametersThatLibpqRefusesAreRefused() {
        for (String query : java.util.List.of("sslmode=sometimes", "sslrootcert=system&sslmode=require",
                "sslcert=c.pem", "sslkey=c.key")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> DatabaseUrl.parse("DATABASE_URL", "postgres://app:hunter2@h/db?" + query), query);
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }

    @Test
    void aReplicaUrlTakesThePrimarysCredentialsAndTlsWhenItNamesNone() {
        DatabaseUrl primary = DatabaseUrl.parse("DATABASE_URL",
                "postgres://app:pw@p/db?sslmode=verify-full&sslrootcert=/ca.pem");
        DatabaseUrl bare = DatabaseUrl.parse("DATABASE_REPLICA_URL", "postgres://r/db").withDefaultsFrom(primary);
        assertEquals("app", bare.user());
        assertEquals(TlsSettings.Mode.VERIFY_FULL, bare.tls().mode());
        assertEquals(java.util.Optional.of("/ca.pem"), bare.tls().rootCert());
        DatabaseUrl own = DatabaseUrl.parse("DATABASE_REPLICA_URL", "postgres://ro:x@r/db?sslmode=disable")
                .withDefaultsFrom(primary);
        assertEquals("ro", own.user());
        assertEquals(TlsSettings.Mode.DISABLE, own.tls().mode(), "its own TLS parameters win");
        assertTrue(own.tls().rootCert().isEmpty());
    }

    @Test
    void ipv6HostsKeepTheirBrackets() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://app:pw@[::1]:5444/db");

        assertEquals("[::1]", url.host());
        assertEquals(5444, url.port());
        assertEquals("jdbc:postgresql://[::1]:5444/db", url.jdbcUrl());
    }

    @Test
    void missingDatabaseDefaultsToTheUserNameLikeLibpq() {
        assertEquals("app", DatabaseUrl.parse("DATABASE_URL", "postgresql://app:pw@host").database());
        assertEquals("postgres", DatabaseUrl.parse("DATABASE_URL", "postgresql://host:5432/").database());
    }

    @Test
    void noCredentialsIsAllowed() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://localhost/db");

        assertNull(url.user());
        assertNull(url.password());
    }

    @Test
    void severalHostsInLibpqSyntax() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL",
                "postgresql://app:pw@10.0.0.1:5432,[::1]:5433,standby/db?target_session_attrs=prefer-standby");

        assertEquals(List.of(new DatabaseUrl.Endpoint("10.0.0.1", 5432), new DatabaseUrl.Endpoint("[::1]", 5433),
                new DatabaseUrl.Endpoint("standby", 5432)), url.endpoints());
        assertEquals("jdbc:postgresql://10.0.0.1:5432,[::1]:5433,standby:5432/db?targetServerType=preferSecondary"
                + "&hostRecheckSeconds=2", url.jdbcUrl());
        assertEquals("postgresql://app:***@10.0.0.1:5432,[::1]:5433,standby:5432/db", url.toString());
    }

    @Test
    void aListOfUrlsSplitsOnlyWhereANewUrlBegins() {
        List<DatabaseUrl> urls = DatabaseUrl.parseList("DATABASE_REPLICA_URL",
                "postgresql://a:1@r1:5432,r2:5432/db,postgres://r3/db?sslmode=require");

        assertEquals(2, urls.size());
        assertEquals(2, urls.get(0).endpoints().size());
        assertEquals("r3", urls.get(1).host());
        assertEquals("require", urls.get(1).parameters().get("sslmode"));
        assertNull(urls.get(1).user());
    }

    @Test
    void pgbouncerIsAFlagNotAParameterForTheServer() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://app:pw@bouncer:6432/db?pgbouncer=true");

        assertTrue(url.pgbouncer());
        assertEquals("jdbc:postgresql://bouncer:6432/db?prepareThreshold=0", url.jdbcUrl());
        assertFalse(DatabaseUrl.parse("DATABASE_URL", "postgresql://app:pw@h/db?pgbouncer=false").pgbouncer());
    }

    @Test
    void toStringMasksThePassword() {
        String text = DatabaseUrl.parse("DATABASE_URL", "postgresql://app:hunter2@host/db").toString();

        assertFalse(text.contains("hunter2"));
        assertTrue(text.contains("app:***@host"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "hunter2",
            "mysql://app:hunter2@host/db",
            "postgresql://app:hunter2@/db",
            "postgresql://app:hunter2@host:notaport/db",
            "postgresql://app:hunter2@host:70000/db",
            "postgresql://app:hunter2%zz@host/db",
            "postgresql://app:hunter2%4@host/db",
            "postgresql://app:hunter2@ho st/db",
            "postgresql://app:hunter2@[::1/db",
            "postgresql://app:hunter2@h1,,h2/db",
            "postgresql://app:hunter2@h1,h2/db?target_session_attrs=whichever",
            "postgresql://app:hunter2@host/db?pgbouncer=maybe",
            "postgresql://app:hunter2@host/db?sslmode=sometimes",
    })
    void badUrlsGiveAClearErrorThatNeverEchoesThePassword(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseUrl.parse("DATABASE_URL", bad));

        assertTrue(e.getMessage().startsWith("DATABASE_URL is not a valid PostgreSQL URL: "), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
}
