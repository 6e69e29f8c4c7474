package dev.pgstack.support;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A host of the test's own: a network namespace joined to this machine by a veth pair on a /24 of its own
 * ({@code ip}, from iproute2), whose traffic {@link #partition()} drops silently with nftables (no RST, no ICMP:
 * what a dead host or a cloud network fault looks like) and {@link #heal()} lets through again. Nothing leaves
 * the pair; {@link #close()} removes it all.
 */
public final class NetworkNamespace implements AutoCloseable {

    public final String name;
    /** The namespace's address, as the service sees it. */
    public final String address;
    /** This machine's side of the link, as the namespace sees it. */
    public final String hostAddress;
    private final String hostSide;
    /** What this instance created, and only that, is removed by {@link #close()}. */
    private boolean namespaceCreated;
    private boolean linkCreated;

    private NetworkNamespace(String name, String address, String hostAddress, String hostSide) {
        this.name = name;
        this.address = address;
        this.hostAddress = hostAddress;
        this.hostSide = hostSide;
    }

    /**
     * A namespace on a random /24 (10.231.n.0/24, veth pgs{n}h/pgs{n}n). The veth names are not unique to this
     * process: a pair left behind by a killed run (or another JVM's) makes {@code ip link add} fail, so up to 5
     * different n are tried, each failed attempt removing what it had created (and only that).
     */
    public static NetworkNamespace create() throws IOException, InterruptedException {
        java.util.Set<Integer> tried = new java.util.HashSet<>();
        IOException failure = null;
        while (tried.size() < 5) {
            int n = ThreadLocalRandom.current().nextInt(1, 250);
            if (!tried.add(n)) {
                continue;
            }
            try {
                return create(n);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }

    private static NetworkNamespace create(int n) throws IOException, InterruptedException {
        String name = "pgstack-ns-" + ProcessHandle.current().pid() + "-" + n;
        String hostSide = "pgs" + n + "h";
        String inside = "pgs" + n + "n";
        String prefix = "10.231." + n + ".";
        NetworkNamespace ns = new NetworkNamespace(name, prefix + "2", prefix + "1", hostSide);
        try {
            ip("netns", "add", name);
            ns.namespaceCreated = true;
            ip("link", "add", hostSide, "type", "veth", "peer", "name", inside);
            ns.linkCreated = true;
            ip("link", "set", inside, "netns", name);
            ip("addr", "add", prefix + "1/24", "dev", hostSide);
            ip("link", "set", hostSide, "up");
            ip("netns", "exec", name, "ip", "addr", "add", prefix + "2/24", "dev", inside);
            ip("netns", "exec", name, "ip", "link", "set", inside, "up");
            ip("netns", "exec", name, "ip", "link", "set", "lo", "up");
        } catch (IOException | InterruptedException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Every packet into and out of the namespace is dropped from now on. */
    public void partition() throws IOException, InterruptedException {
        nft("add", "table", "inet", "pgstack_partition");
        nft("add", "chain", "inet", "pgstack_partition", "in",
                "{ type filter hook input priority 0; policy drop; }");
        nft("add", "chain", "inet", "pgstack_partition", "out",
                "{ type filter hook output priority 0; policy drop; }");
    }

    public void heal() throws IOException, InterruptedException {
        nft("delete", "table", "inet", "pgstack_partition");
    }

    private void nft(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name, "nft"));
        command.addAll(List.of(args));
        exec(command);
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        exec(command);
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Commands.run(Duration.ofSeconds(30), command);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (linkCreated) {
            try {
                ip("link", "del", hostSide);
            } catch (IOException gone) {
                // gone with the namespace
            }
        }
        if (namespaceCreated) {
            try {
                ip("netns", "del", name);
            } catch (IOException gone) {
                // already gone
            }
        }
    }
}
