package dev.wslab.loadtest.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How many idle WebSockets one node holds, and what each costs: sockets are opened straight to the
 * node in steps (10k, 25k, …) and after each step the node's heap is measured after a full GC
 * ({@code jcmd GC.run}, then the live heap from its own /metrics) along with its RSS. It goes on until
 * a step fails, and says what stopped it: the failures' causes (too many open files, no address,
 * refused, timed out), the node's death or its health.
 */
final class Capacity {
    record Step(int target, long open, long failedThisStep, double openSeconds, double heapMiB, double rssMiB,
                Double heapBytesPerConnection, Double rssBytesPerConnection, Map<String, Integer> failures,
                String stoppedBy) {
    }

    private final String host;
    private final int port;
    private final long pid;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Capacity(String host, int port, long pid) {
        this.host = host;
        this.port = port;
        this.pid = pid;
    }

    /**
     * Runs the steps; with the sockets of the last step still open, writes the node's heap histogram
     * (the top classes by bytes, {@code jcmd GC.class_histogram}) to {@code histogram}: what each
     * connection is made of, for tuning.
     */
    List<Step> run(List<Integer> targets, java.io.PrintStream out, Path histogram) throws IOException {
        List<Step> steps = new ArrayList<>();
        // Old-object samples with their paths to GC roots: what holds each connection's heap, for
        // tuning. Started before the baseline so that the recorder's own heap is not the sockets'.
        jcmd("JFR.start name=wslab-capacity settings=profile path-to-gc-roots=true");
        double baseHeap = liveHeapBytes();
        double baseRss = rssBytes();
        out.printf("capacity: node pid %d, baseline heap %.1f MiB live, RSS %.1f MiB%n", pid, baseHeap / 1048576, baseRss / 1048576);
        long[] nodeFiles = openFileLimits(Path.of("/proc", Long.toString(pid), "limits"));
        long[] ownFiles = openFileLimits(Path.of("/proc/self/limits"));
        long ceiling = Math.min(nodeFiles[0], ownFiles[0]) - HEADROOM;
        try (LeanClients clients = new LeanClients(host, port, "/ws", (b, f, t) -> { })) {
            for (int target : targets) {
                // One descriptor per socket on each side: a step past either process's limit is cut to it.
                int goal = (int) Math.min(target, ceiling);
                long before = clients.upgraded();
                long failedBefore = clients.failed();
                long start = System.nanoTime();
                clients.open((int) (goal - before), Duration.ofSeconds(120));
                double seconds = (System.nanoTime() - start) / 1e9;
                long failedNow = clients.failed() - failedBefore;
                String stopped = null;
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    stopped = "the node died";
                } else if (failedNow > 0 || clients.upgraded() < goal) {
                    stopped = "connections failed: " + clients.failures();
                } else if (clients.closedByServer() > 0) {
                    stopped = "the node closed " + clients.closedByServer() + " sockets";
                } else if (goal < target) {
                    stopped = String.format("the open-file limit: the node may hold %d descriptors (hard limit %d), the bench %d"
                            + " (hard %d); each socket takes one on each side. Raising a hard limit needs root with"
                            + " CAP_SYS_RESOURCE (ulimit -Hn)", nodeFiles[0], nodeFiles[1], ownFiles[0], ownFiles[1]);
                }
                long open = clients.upgraded() - clients.closedByServer();
                double heap = stopped != null && stopped.startsWith("the node died") ? Double.NaN : liveHeapBytes();
                double rss = rssBytes();
                Step step = new Step(target, open, failedNow, seconds, heap / 1048576, rss / 1048576,
                        open > 0 ? (heap - baseHeap) / open : null, open > 0 ? (rss - baseRss) / open : null,
                        clients.failures(), stopped);
                steps.add(step);
                out.printf("capacity: %,d open (target %,d) in %.1f s; heap %.1f MiB live (%.0f B/conn), RSS %.1f MiB (%.0f B/conn)%s%n",
                        open, target, seconds, step.heapMiB(), nz(step.heapBytesPerConnection()), step.rssMiB(),
                        nz(step.rssBytesPerConnection()), stopped == null ? "" : "; stopped: " + stopped);
                if (stopped != null) {
                    break;
                }
            }
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Files.writeString(histogram, jcmd("GC.class_histogram").lines().limit(40)
                        .reduce("", (a, b) -> a + b + "\n"));
                jcmd("JFR.dump name=wslab-capacity filename=" + histogram.resolveSibling("capacity.jfr"));
                jcmd("JFR.stop name=wslab-capacity");
            }
        }
        return steps;
    }

    /** Descriptors left to the processes for everything but the sockets: jars, logs, Redis, HTTP. */
    static final int HEADROOM = 300;

    /** A process's "Max open files": {soft, hard}. */
    static long[] openFileLimits(Path limits) throws IOException {
        for (String line : Files.readAllLines(limits)) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return new long[] {parseLimit(f[0]), parseLimit(f[1])};
            }
        }
        throw new IOException("no open-file limit in " + limits);
    }

    private static long parseLimit(String v) {
        return v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v);
    }

    private static double nz(Double v) {
        return v == null ? 0 : v;
    }

    /** The node's heap after a full GC, from its own /metrics (sum over heap pools). */
    double liveHeapBytes() throws IOException {
        jcmd("GC.run");
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
            double heap = 0;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return heap;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String jcmd(String command) throws IOException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        List<String> argv = new ArrayList<>(List.of(jcmd, Long.toString(pid)));
        argv.addAll(List.of(command.split(" ")));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("jcmd " + pid + " " + command + " failed: " + output);
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    double rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Double.parseDouble(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return Double.NaN;
    }
}
