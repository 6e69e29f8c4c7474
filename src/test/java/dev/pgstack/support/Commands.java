package dev.pgstack.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the machine's tools for the test fixtures (ip, nft, openssl, initdb, pg_ctl, chown, kill). */
public final class Commands {

    private Commands() {
    }

    /** {@link #run(Duration, List)} with two minutes, more than any fixture's tool takes here. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        return run(Duration.ofMinutes(2), command);
    }

    /**
     * Runs a command to its end; fails with its output when it exits non-zero or outlives {@code timeout} (then it
     * is killed). The output goes to a file, not a pipe: reading a pipe would wait for a hung command forever.
     */
    public static String run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("pgstack-command-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (!exited) {
                throw new IOException(String.join(" ", command) + " did not end within " + timeout + ": " + text);
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                        + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
