package dev.pgstack.db.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.pgstack.db.availability.Availability.StartupWait;
import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.sql.DatabaseFailure;

/**
 * A password does not fix itself: the server refusing the credentials is retried a few times (a role being
 * created by a parallel job, a secret being rotated) and then the service stops with the right words, instead
 * of looking like a network problem for the whole startup wait.
 */
@ApplicationScoped
class CredentialsRefusals {

    /** Refusals of the credentials in a row, and how many end the wait. */
    static final int REFUSALS_BEFORE_EXIT = 3;

    @Inject
    DatabaseAvailability availability;

    @Inject
    StartupExit exit;

    /** Touched by one thread at a time: the startup's, then the waiter's. */
    private int refusals;

    /** 28000 (no pg_hba.conf entry, role not allowed) and 28P01 (wrong password). */
    static boolean credentialsRefused(Exception failure) {
        return DatabaseFailure.of(failure).map(f -> f.sqlState() != null && f.sqlState().startsWith("28"))
                .orElse(false);
    }

    /** One more refusal: whether to try again; after the last one the process is already exiting. */
    boolean retry(Exception failure, int number) {
        refusals++;
        availability.starting(StartupWait.CREDENTIALS_REFUSED, "credentials refused");
        if (refusals < REFUSALS_BEFORE_EXIT) {
            StartupExit.LOG.warnf("Database refused the credentials (attempt %d): %s; trying %d more time(s)", number,
                    DatabaseFailure.describe(failure), REFUSALS_BEFORE_EXIT - refusals);
            return true;
        }
        exit.exit("credentials refused", "Database refused the credentials %d times: %s; exiting (exit code 1). Check "
                + "the user and password of DATABASE_URL (or POSTGRES_USER/POSTGRES_PASSWORD)", refusals,
                DatabaseFailure.describe(failure));
        return false;
    }

    /** The database answered otherwise: the refusals are no longer in a row. */
    void reset() {
        refusals = 0;
    }
}
