package dev.pgstack.db.availability;

/**
 * The primary answered read-only (a write's SQLSTATE 25006, or readiness's probe): a CDI event, fired synchronously
 * at each such answer, changed or not, so that a pool still holding connections to an old writer leaves it once its
 * name resolves elsewhere (AvailabilityRules.onReadOnlyAnswer).
 */
public record ReadOnlyAnswer(long atNanos) {
}
