package dev.pgstack.db.availability;

/** The primary's reach or a replica's state changed from {@code before}'s to {@code after}'s (a CDI event, fired synchronously). */
public record AvailabilityChange(Availability before, Availability after) {
}
