package dev.pgstack.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pgstack.db.sql.DatabaseFailure.Kind;

/** The catalogue of problem types, and what each kind of database failure means to a client. */
class ProblemTypeTest {

    @Test
    void everyTypeHasItsOwnUriAStatusATitleAndASayWhenItIsUsed() {
        Set<String> uris = new HashSet<>();
        for (ProblemType type : ProblemType.values()) {
            assertTrue(uris.add(type.uri()), type + " shares its uri");
            assertTrue(type.uri().startsWith("urn:pgstack:problem:"), type.uri());
            assertTrue(type.status() >= 400 && type.status() <= 599, type.name());
            assertFalse(type.title().isBlank(), type.name());
            assertFalse(type.usedWhen().isBlank(), type.name());
        }
    }

    @Test
    void aFailureOnTheDatabasesSideIsA503AndOneOfTheRequestIsNot() {
        for (Kind kind : Kind.values()) {
            assertEquals(kind.serverSide, DatabaseProblemTypes.of(kind).status() == 503, kind.name());
        }
    }

    @Test
    void aBareHttpStatusGetsTheCatalogueTypeOfThatStatus() {
        for (int status : new int[] { 400, 404, 405, 406, 413, 415 }) {
            assertEquals(status, ProblemType.forHttpStatus(status).orElseThrow().status());
        }
        assertTrue(ProblemType.forHttpStatus(418).isEmpty());
        assertEquals("urn:pgstack:problem:http-418", Problem.ofStatus(418, "I'm a teapot", "x", null).type());
    }

    @Test
    void anUnexpectedErrorCarriesItsReferenceAndKeepsItsStatus() {
        Problem problem = Problem.unexpected(503, "abc", "/api/x");
        assertEquals(Arrays.asList("urn:pgstack:problem:internal", "Internal Server Error", 503,
                "unexpected error; reference abc"),
                Arrays.asList(problem.type(), problem.title(), problem.status(), problem.detail()));
    }
}
