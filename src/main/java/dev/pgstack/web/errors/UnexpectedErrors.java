package dev.pgstack.web.errors;

import java.util.UUID;

import org.jboss.logging.Logger;

import dev.pgstack.problem.Problem;

/**
 * The answer to anything unexpected, wherever it is caught (an exception mapper, the failure handler below
 * JAX-RS): one ERROR line with a fresh reference, and a problem that repeats the reference so that a client's
 * report leads to the line. Never the exception's message at ERROR: drivers and ORMs put SQL text in it.
 */
public final class UnexpectedErrors {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrors.class);

    private UnexpectedErrors() {
    }

    /**
     * @param status 500, or the 5xx a handler below JAX-RS failed the request with
     * @param path where it happened, for the log line
     * @param failure what was thrown; null when a handler failed the request with a status only
     * @param instance the problem's {@code instance}
     */
    public static Problem report(int status, String path, Throwable failure, String instance) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf("Unexpected error %s on %s: %s", reference, path,
                failure == null ? "status " + status : failure.getClass().getName());
        if (failure != null) {
            LOG.debugf(failure, "Unexpected error %s", reference);
        }
        return Problem.unexpected(status, reference, instance);
    }
}
