package dev.pgstack.db.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FleetShareTest {

    @ParameterizedTest(name = "max_connections {0}, {1} reserved, {2} instances, {3} other sessions, budget {4}+{5}: "
            + "{6} JDBC + {7} reactive")
    @CsvSource({
            // one instance at its defaults on a default server: the whole budget
            "100, 3, 1, 1, 20, 20, 20, 20",
            // four at their defaults: 93 left once each census session is counted, a fifth of it each (room for one
            // more)
            "100, 3, 4, 4, 20, 20, 9, 9",
            // six: 91 left, a seventh each
            "100, 3, 6, 6, 20, 20, 7, 6",
            // other applications' sessions come first
            "100, 3, 2, 52, 20, 20, 8, 7",
            // a server full of others: one connection per pool, to serve at all
            "100, 3, 3, 97, 20, 20, 1, 1",
            // the budget's proportions are kept
            "100, 3, 4, 4, 10, 30, 5, 13",
            // a large server: the budget, whatever the number of instances
            "1000, 3, 8, 8, 20, 20, 20, 20",
            // PostgreSQL 16's reserved_connections counted with the superuser's
            "100, 13, 4, 4, 20, 20, 8, 8" })
    void eachInstanceGetsAnEvenShareOfWhatTheServerLeavesSplitAsTheBudget(int max, int reserved, int instances,
            int others, int jdbcBudget, int reactiveBudget, int jdbc, int reactive) {
        FleetShare share = FleetShare.of(new FleetShare.Census(max, reserved, instances, others), jdbcBudget,
                reactiveBudget);
        assertEquals(jdbc, share.jdbc(), "JDBC");
        assertEquals(reactive, share.reactive(), "reactive");
    }

    @ParameterizedTest(name = "{0} instances on max_connections {1}, and one more starting")
    @CsvSource({ "1, 100", "2, 100", "3, 100", "4, 100", "5, 100", "6, 100", "7, 100", "9, 100", "4, 50", "5, 40" })
    void aFleetAtItsSharesLeavesRoomForOneMoreBeforeGivingAnythingBack(int instances, int max) {
        FleetShare share = FleetShare.of(new FleetShare.Census(max, 3, instances, instances), 20, 20);
        // the newcomer's census session is one more "other" session, its share counted among n + 1
        FleetShare newcomer = FleetShare.of(new FleetShare.Census(max, 3, instances + 1, instances + 1), 20, 20);
        // every instance's pools and census session, and the newcomer's
        int asked = (share.total() + 1) * instances + newcomer.total() + 1;
        assertTrue(asked <= max - 3, instances + " x (" + share.total() + " + 1) + " + newcomer.total()
                + " + 1 sessions for " + (max - 3) + " slots");
        assertTrue(share.jdbc() >= 1 && share.reactive() >= 1);
    }
}
