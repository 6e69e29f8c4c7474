package dev.pgstack.db.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WalPositionTest {

    @Test
    void positionsCompareInWalOrderAndRoundTrip() {
        long early = WalPosition.parse("0/FFFFFFFF");
        long later = WalPosition.parse("1/0");
        assertTrue(later > early);
        assertEquals("16/B374D848", WalPosition.format(WalPosition.parse("16/b374d848")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "1/", "/1", "x/1", "+1/2", "-1/2", "1/2/3", "123456789/1", "1/123456789", "1 /2"})
    void whatAClientMaySendThatIsNoPositionIsNone(String text) {
        assertEquals(WalPosition.NONE, WalPosition.parse(text));
    }
}
