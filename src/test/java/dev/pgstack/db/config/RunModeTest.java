package dev.pgstack.db.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class RunModeTest {

    @Test
    void withoutACommandAndWithUsableSettingsTheProcessServes() {
        RunMode mode = new RunMode(Optional.empty(), Optional.empty());

        assertTrue(mode.serves());
        assertFalse(mode.isCommand());
        assertFalse(mode.isMisconfigured());
    }

    @Test
    void aCommandRunsInsteadOfTheService() {
        RunMode mode = new RunMode(Optional.of("migrate"), Optional.empty());

        assertTrue(mode.isCommand());
        assertFalse(mode.serves());
    }

    @Test
    void unusableSettingsServeNothingAndSayWhyInOneLine() {
        RunMode mode = new RunMode(Optional.empty(), Optional.of("PORT must be a number between 1 and 65535"));

        assertTrue(mode.isMisconfigured());
        assertFalse(mode.serves());
        assertEquals(Optional.of("PORT must be a number between 1 and 65535"), mode.configurationError());
    }

    @Test
    void aCommandWithUnusableSettingsIsBoth() {
        RunMode mode = new RunMode(Optional.of("info"), Optional.of("no database configured"));

        assertTrue(mode.isCommand());
        assertTrue(mode.isMisconfigured());
        assertFalse(mode.serves());
    }
}
