package dev.pgstack.db.connection;

import java.security.Security;

/**
 * How long a resolved database address is trusted. Managed PostgreSQL fails over by moving a DNS name (RDS
 * Multi-AZ, Aurora's cluster endpoint, Azure Flexible Server, Cloud SQL), often with a TTL of 5 s or less, and the
 * JVM ignores a record's TTL: it keeps an address for {@code networkaddress.cache.ttl}, 30 s by default, so new
 * connections went to the old server for up to 30 s after the name moved (AWS tells JVM users to lower the cache for
 * exactly this). Both clients resolve through the JVM: pgjdbc directly, and Vert.x because Quarkus turns its own
 * asynchronous resolver off. So the cache keeps an address for {@value #SECONDS} s, and a failed lookup for as long:
 * a name is followed within a second of its record changing, at the cost of a lookup a second at most per name.
 * An operator's own setting ({@code -Dsun.net.inetaddr.ttl}, or {@code networkaddress.cache.ttl} in the JDK's
 * java.security) is kept.
 */
public final class AddressCache {

    static final String SECONDS = "1";
    static final String TTL = "networkaddress.cache.ttl";
    static final String NEGATIVE_TTL = "networkaddress.cache.negative.ttl";
    /** The negative cache's value in the JDK's own java.security: anything else is the operator's. */
    static final String JDK_NEGATIVE_TTL = "10";

    private AddressCache() {
    }

    /** Before the first lookup (the JVM reads these once): from the service's main method. */
    public static void followRecords() {
        if (Security.getProperty(TTL) == null && System.getProperty("sun.net.inetaddr.ttl") == null) {
            Security.setProperty(TTL, SECONDS);
        }
        String negative = Security.getProperty(NEGATIVE_TTL);
        if ((negative == null || JDK_NEGATIVE_TTL.equals(negative.strip()))
                && System.getProperty("sun.net.inetaddr.negative.ttl") == null) {
            Security.setProperty(NEGATIVE_TTL, SECONDS);
        }
    }
}
