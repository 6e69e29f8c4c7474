package dev.pgstack.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real DNS server the test controls: dnsmasq (Debian's package), answering for one name from a hosts file of the
 * test's own with a TTL of the test's choice, on an address of the loopback range that nothing else uses, and asking
 * nobody else ({@code --no-resolv}). {@link #point} moves the name (the file rewritten, then SIGHUP, as an operator
 * or a cloud's failover would). A process started with {@link #resolvConf()} as its /etc/resolv.conf (in a mount
 * namespace of its own: {@link PackagedApp#launchResolvingWith}) asks this server; {@link #queries()} counts its
 * questions from the query log.
 */
public final class DnsServer implements AutoCloseable {

    public final String name;
    /** Where it listens (port 53, as resolv.conf cannot name another). */
    public final String address;
    private final Path dir;
    private final Process process;

    private DnsServer(String name, String address, Path dir, Process process) {
        this.name = name;
        this.address = address;
        this.dir = dir;
        this.process = process;
    }

    /** Answers {@code name} with {@code ip} and {@code ttlSeconds}, on {@code address}:53; ready when it returns. */
    public static DnsServer start(String address, String name, String ip, int ttlSeconds)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("pgstack-dns-");
        Files.writeString(dir.resolve("hosts"), ip + " " + name + "\n");
        Files.writeString(dir.resolve("resolv.conf"), "nameserver " + address + "\noptions timeout:1 attempts:2\n");
        Process process = new ProcessBuilder("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--addn-hosts=" + dir.resolve("hosts"), "--local-ttl=" + ttlSeconds,
                "--listen-address=" + address, "--bind-interfaces", "--port=53", "--log-queries",
                "--log-facility=" + dir.resolve("log"), "--user=root", "--pid-file=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        DnsServer server = new DnsServer(name, address, dir, process);
        try {
            PackagedApp.await("dnsmasq reading its hosts file", Duration.ofSeconds(10),
                    () -> server.log().contains("read " + dir.resolve("hosts")));
        } catch (AssertionError | InterruptedException e) {
            String out = Files.exists(dir.resolve("out")) ? Files.readString(dir.resolve("out")) : "";
            server.close();
            throw new IOException("dnsmasq did not start: " + out, e);
        }
        return server;
    }

    /** The name answers {@code ip} from now on (the hosts file rewritten and re-read, the server's cache cleared). */
    public void point(String ip) throws IOException, InterruptedException {
        long reads = reads();
        Files.writeString(dir.resolve("hosts"), ip + " " + name + "\n");
        Commands.run(List.of("kill", "-HUP", Long.toString(process.pid())));
        PackagedApp.await("dnsmasq re-reading its hosts file", Duration.ofSeconds(10), () -> reads() > reads);
    }

    /** resolv.conf naming this server alone. */
    public Path resolvConf() {
        return dir.resolve("resolv.conf");
    }

    /** Questions for the name's address (A records) so far. */
    public long queries() {
        return log().lines().filter(l -> l.contains("query[A] " + name + " ")).count();
    }

    private long reads() {
        return log().lines().filter(l -> l.contains("read " + dir.resolve("hosts"))).count();
    }

    private String log() {
        try {
            return Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
