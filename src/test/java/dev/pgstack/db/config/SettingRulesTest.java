package dev.pgstack.db.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingRulesTest {

    @Test
    void aPortIsAWholeNumberFromOneTo65535() {
        assertEquals(Optional.of(1), SettingRules.port("1"));
        assertEquals(Optional.of(5432), SettingRules.port("5432"));
        assertEquals(Optional.of(65535), SettingRules.port("65535"));
        assertEquals(Optional.of(8080), SettingRules.port("08080"), "leading zeros change nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "65536", "99999", "123456789012345678901234567890", "", "x", "80a", "-1", "+80",
            " 80", "٣" })
    void anythingElseIsNotAPort(String text) {
        assertEquals(Optional.empty(), SettingRules.port(text));
    }

    @Test
    void aNumberOutOfRangeIsToldFromNoNumberAtAll() {
        assertTrue(SettingRules.isDigits("70000"));
        assertFalse(SettingRules.isDigits("notaport"));
        assertFalse(SettingRules.isDigits(""));
        assertFalse(SettingRules.isDigits(null));
    }

    @ParameterizedTest
    @ValueSource(strings = { "localhost", "db.internal", "my-db_1", "10.0.0.5", "[::1]", "[fe80::1:2]",
            "[::ffff:10.0.0.1]" })
    void aHostIsANameAnIpv4AddressOrABracketedIpv6Address(String host) {
        assertTrue(SettingRules.isHost(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "ho st", "::1", "[::1", "[zz::1]", "/var/run/postgresql", "h:5432", "h/db",
            "user@h" })
    void anythingElseIsNotAHostOfAConnectionUrl(String host) {
        assertFalse(SettingRules.isHost(host), host);
    }

    @Test
    void aBareIpv6AddressGetsItsBracketsAndNothingElseChanges() {
        assertEquals("[::1]", SettingRules.bracketed("::1"));
        assertEquals("[fe80::1]", SettingRules.bracketed("fe80::1"));
        assertEquals("[::1]", SettingRules.bracketed("[::1]"));
        assertEquals("db", SettingRules.bracketed("db"));
        assertEquals("10.0.0.1:5432", SettingRules.bracketed("10.0.0.1:5432"), "not an IPv6 address: left to fail");
    }

    @ParameterizedTest
    @ValueSource(strings = { "true", "1", "yes", "on", "TRUE", "Yes", "On" })
    void theseWordsMeanOnInAnyCase(String word) {
        assertEquals(Optional.of(true), SettingRules.flag(word));
    }

    @ParameterizedTest
    @ValueSource(strings = { "false", "0", "no", "off", "FALSE", "No", "OFF" })
    void theseWordsMeanOffInAnyCase(String word) {
        assertEquals(Optional.of(false), SettingRules.flag(word));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "maybe", "debug", "2", "y", " true" })
    void anyOtherWordIsNeitherOnNorOff(String word) {
        assertEquals(Optional.empty(), SettingRules.flag(word));
    }

    @Test
    void percentEscapesAreDecodedAsUtf8AndPlusStaysPlus() {
        assertEquals("p@ss:w/rd%+x", SettingRules.percentDecode("p%40ss%3Aw%2Frd%25+x"));
        assertEquals("café", SettingRules.percentDecode("caf%C3%A9"));
        assertEquals("plain", SettingRules.percentDecode("plain"));
    }

    @Test
    void aBrokenEscapeIsRefusedWithoutRepeatingTheText() {
        IllegalArgumentException incomplete = assertThrows(IllegalArgumentException.class,
                () -> SettingRules.percentDecode("hunter2%4"));
        assertEquals("an incomplete %-escape", incomplete.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> SettingRules.percentDecode("hunter2%zz"));
        assertEquals("an invalid %-escape", invalid.getMessage());
    }

    @Test
    void encodingKeepsLettersDigitsAndTheGivenCharactersAndEscapesTheRest() {
        assertEquals("my-db_1.x%2Fy%20z", SettingRules.percentEncode("my-db_1.x/y z", "-_."));
        assertEquals("-c%20search_path%3Dapp,/x:y~", SettingRules.percentEncode("-c search_path=app,/x:y~",
                "-_.~/:,"));
        assertEquals("caf%C3%A9", SettingRules.percentEncode("café", ""));
    }

    @Test
    void decodingUndoesEncoding() {
        String text = "p@ss w/rd%+ü";
        assertEquals(text, SettingRules.percentDecode(SettingRules.percentEncode(text, "-_.")));
    }
}
