package dev.pgstack.db.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pgstack.db.config.SettingsValidation.Settings;
import dev.pgstack.db.config.SettingsValidation.Verdict;

/** The rules that tie settings together, on resolved values: the same whatever form set them. */
class SettingsValidationTest {

    /** pgstack's defaults: 5..20 JDBC, 20 reactive, migrating at start, 90 s socket, 30 s statements, 5 s wait. */
    static final Settings DEFAULTS = new Settings(5, 20, 20, true, 90, 30_000, Duration.ofSeconds(5));

    @Test
    void theDefaultsBreakNoRule() {
        assertEquals(new Verdict(List.of(), List.of()), SettingsValidation.check(DEFAULTS));
    }

    @Test
    void migratingAtStartNeedsTwoJdbcConnectionsWhateverSetTheSize() {
        Verdict one = SettingsValidation.check(new Settings(0, 1, 20, true, 90, 30_000, Duration.ofSeconds(5)));
        assertEquals(List.of("the pool's maximum is 1, and migrating at start needs 2 connections (raise"
                + " quarkus.datasource.jdbc.max-size, or set PGSTACK_MIGRATE_AT_START=false)"), one.problems());
        assertTrue(SettingsValidation.check(new Settings(0, 1, 20, false, 90, 30_000, Duration.ofSeconds(5)))
                .problems().isEmpty(), "without migrating at start one JDBC connection does");
    }

    @Test
    void theBudgetOfBothPoolsHasItsFloorOnEveryPath() {
        Verdict noReactive = SettingsValidation.check(new Settings(0, 5, 0, true, 90, 30_000, Duration.ofSeconds(5)));
        assertEquals(List.of("the connection budget (quarkus.datasource.jdbc.max-size 5 +"
                + " quarkus.datasource.reactive.max-size 0) must be at least 3 (Flyway holds two connections while it"
                + " migrates, the reactive pool needs one)"), noReactive.problems());
    }

    @Test
    void aMinimumAboveTheMaximumAndAnEndlessWaitAreRefused() {
        Verdict v = SettingsValidation.check(new Settings(30, 20, 20, true, 90, 30_000, Duration.ZERO));
        assertEquals(List.of("quarkus.datasource.jdbc.min-size (30) must not exceed its max-size (20)",
                "pgstack.pool.acquisition-timeout (DB_POOL_TIMEOUT) must be above 0"), v.problems());
    }

    @Test
    void aSocketTimeoutNotLongerThanTheStatementTimeoutIsAWarning() {
        Verdict v = SettingsValidation.check(new Settings(5, 20, 20, true, 5, 30_000, Duration.ofSeconds(5)));
        assertTrue(v.problems().isEmpty());
        assertEquals(1, v.warnings().size());
        assertTrue(v.warnings().get(0).startsWith("the socket timeout (5 s) is not longer than the statement timeout"
                + " (30000 ms)"), v.warnings().toString());
        assertTrue(SettingsValidation.check(new Settings(5, 20, 20, true, 0, 30_000, Duration.ofSeconds(5)))
                .warnings().isEmpty(), "0: no socket timeout");
    }

    @Test
    void theRunModeStopsOnABrokenRuleAfterTheVariablesOwnProblem() {
        Verdict broken = SettingsValidation.check(new Settings(30, 20, 20, true, 5, 30_000, Duration.ZERO));
        RunMode rules = new RunMode(Optional.empty(), Optional.empty(), broken);
        assertTrue(rules.isMisconfigured());
        assertEquals(Optional.of(String.join("; ", broken.problems())), rules.configurationError());
        assertEquals(broken.warnings(), rules.warnings());
        RunMode envFirst = new RunMode(Optional.empty(), Optional.of("DATABASE_URL is not a URL"), broken);
        assertEquals(Optional.of("DATABASE_URL is not a URL"), envFirst.configurationError());
        assertTrue(new RunMode(Optional.empty(), Optional.empty(), SettingsValidation.check(DEFAULTS)).serves());
    }
}
