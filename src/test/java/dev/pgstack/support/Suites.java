package dev.pgstack.support;

/** The JUnit tags that split the suites (pom.xml: `./mvnw verify` and `./mvnw verify -Pall-suites`). */
public final class Suites {

    /**
     * A suite that starts, breaks or partitions servers of its own (PostgreSQL clusters, PgBouncer, Patroni,
     * network namespaces) or runs for minutes: left out of the quick `./mvnw verify`, run by `-Pall-suites` and CI.
     */
    public static final String OWNS_SERVERS = "owns-servers";

    private Suites() {
    }
}
