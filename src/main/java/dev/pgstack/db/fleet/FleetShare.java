package dev.pgstack.db.fleet;

/**
 * One instance's share of its server's connections, from what the census counted: the slots a client may take
 * ({@code max_connections} less the reserved ones) less the sessions that are not the fleet's pools (other
 * applications, each instance's census and replication-monitor sessions), divided evenly among the instances and
 * one more, and split between the two pools as their budgets are. The share kept for one more instance is what
 * lets the next one start on a server whose instances are all busy: it fits beside their shares even before they
 * give anything back (n instances at u/(n+1) leave u/(n+1), and the newcomer asks for u/(n+2)), and once it is
 * counted they leave room for the one after. Never more than the budget, and at least one connection per pool: an
 * instance must serve.
 *
 * @param instances the instances counted, this one included
 * @param usable the connections the fleet's pools may hold together
 * @param jdbc this instance's JDBC pool's share
 * @param reactive this instance's reactive pool's share
 */
public record FleetShare(int instances, int usable, int jdbc, int reactive) {

    /** What the server said: its limits, the fleet's instances and the sessions outside the fleet's pools. */
    public record Census(int maxConnections, int reservedConnections, int instances, int otherSessions) {
    }

    public static FleetShare of(Census census, int jdbcBudget, int reactiveBudget) {
        int instances = Math.max(1, census.instances());
        int usable = Math.max(0, census.maxConnections() - census.reservedConnections() - census.otherSessions());
        int each = usable / (instances + 1);
        int budget = jdbcBudget + reactiveBudget;
        if (each >= budget) {
            return new FleetShare(instances, usable, jdbcBudget, reactiveBudget);
        }
        int jdbc = Math.max(1, Math.round((float) each * jdbcBudget / budget));
        int reactive = Math.max(1, each - jdbc);
        return new FleetShare(instances, usable, Math.min(jdbc, jdbcBudget), Math.min(reactive, reactiveBudget));
    }

    /** The connections this instance's pools may hold together. */
    public int total() {
        return jdbc + reactive;
    }
}
