package dev.pgstack.db.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertTrue(url.reactiveUrl().contains("sslmode=require"), url.reactiveUrl());
        assertTrue(url.reactiveUrl().contains("search_path=app"), url.reactiveUrl());
        assertFalse(url.reactiveUrl().contains("connectTimeout"), url.reactiveUrl());
    }

    @Test
    void sslmodeIsKeptAsGiven() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgres://app:pw@host/db?sslmode=verify-full");

        assertEquals("verify-full", url.parameters().get("sslmode"));
        assertEquals("postgresql://host:5432/db?sslmode=verify-full", url.reactiveUrl());
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
            "postgresql://app:hunter2@h1,h2/db",
            "postgresql://app:hunter2@host/db?sslmode=sometimes",
    })
    void badUrlsGiveAClearErrorThatNeverEchoesThePassword(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseUrl.parse("DATABASE_URL", bad));

        assertTrue(e.getMessage().startsWith("DATABASE_URL is not a valid PostgreSQL URL: "), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
}
