package dev.pgstack.problem;

import java.util.Map;

/**
 * What a feature's database constraints mean to its clients, declared next to the feature (as a CDI bean) and
 * read by the database problem mapper: a unique or check violation names the JSON field the client sent, and a
 * foreign key to the resource in the request's path means that resource is gone (404). Names come from the
 * Flyway migrations.
 */
public interface ConstraintNames {

    /** Constraint name to the JSON field it guards. */
    Map<String, String> fields();

    /** Foreign-key name to the parent resource in the path ("user", "company"): answered 404. */
    default Map<String, String> parents() {
        return Map.of();
    }
}
