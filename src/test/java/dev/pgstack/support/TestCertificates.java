package dev.pgstack.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate authority of the test's own, made with openssl (Debian's package, installed by .ci/run), and the
 * server and client certificates it signs: PEM files, as PostgreSQL and libpq use them. Keys are PKCS#8 unless
 * asked for otherwise. Everything lives in one temporary directory, which {@link #close()} removes.
 */
public final class TestCertificates implements AutoCloseable {

    public final Path dir;
    public final Path caCert;
    private final Path caKey;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caCert = dir.resolve(dir.getFileName() + "-ca.crt");
        this.caKey = dir.resolve(dir.getFileName() + "-ca.key");
    }

    /** A new CA named {@code name}. */
    public static TestCertificates authority(String name) throws IOException, InterruptedException {
        TestCertificates ca = new TestCertificates(Files.createTempDirectory("pgstack-" + name + "-"));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-keyout", ca.caKey.toString(), "-out", ca.caCert.toString());
        return ca;
    }

    /** A certificate for {@code commonName} with these subjectAltNames (e.g. {@code IP:127.0.0.1}), signed here. */
    public Pair issue(String file, String commonName, String subjectAltNames) throws IOException, InterruptedException {
        Path key = dir.resolve(file + ".key");
        Path csr = dir.resolve(file + ".csr");
        Path cert = dir.resolve(file + ".crt");
        Path ext = dir.resolve(file + ".ext");
        Files.writeString(ext, subjectAltNames == null ? "basicConstraints=CA:FALSE\n"
                : "basicConstraints=CA:FALSE\nsubjectAltName=" + subjectAltNames + "\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName, "-keyout", key.toString(),
                "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out", cert.toString());
        return new Pair(cert, key);
    }

    /** The same key in PKCS#1 ("RSA PRIVATE KEY"), as older tools write it. */
    public Path pkcs1(Path key) throws IOException, InterruptedException {
        Path out = dir.resolve(key.getFileName() + ".pkcs1");
        openssl("rsa", "-in", key.toString(), "-traditional", "-out", out.toString());
        return out;
    }

    public record Pair(Path cert, Path key) {
    }

    /** Makes the files readable by the postgres user (the server refuses a key others can read). */
    public void handTo(String user) throws IOException, InterruptedException {
        if ("root".equals(System.getProperty("user.name"))) {
            run(List.of("chown", "-R", user + ":", dir.toString()));
        }
        run(List.of("chmod", "-R", "go-rwx", dir.toString()));
        run(List.of("chmod", "go+x", dir.toString()));
    }

    static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Commands.run(Duration.ofSeconds(60), command);
    }

    @Override
    public void close() throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
