package dev.wslab.loadtest.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.wslab.loadtest.stats.ProcessCpu;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of one JVM over a cost window ({@code jcmd JFR.start}/{@code JFR.stop}, the JDK's
 * "profile" settings), and what it says: where the CPU went (execution samples by their top frame,
 * and by the first frame in wslab's own code) and what was allocated (allocation samples by class,
 * weighted by the bytes they stand for), and the CPU of each thread over the window (from /proc, the
 * kernel's share included, which JFR's samples leave out). The recording is kept beside the summary for
 * {@code jfr print} or JDK Mission Control.
 */
final class Profile {
    private static final int TOP = 15;
    private static final String OWN_CODE = "dev.wslab.";

    private final long pid;
    private final Path file;
    private final Map<String, Long> threadsBefore;

    private Profile(long pid, Path file) {
        this.pid = pid;
        this.file = file;
        this.threadsBefore = ProcessCpu.byThread(pid);
    }

    static Profile start(long pid, Path file) {
        Profile profile = new Profile(pid, file);
        jcmd(pid, "JFR.start", "name=cost", "settings=profile", "filename=" + file);
        return profile;
    }

    /**
     * Stops the recording and reads it. JFR samples threads running Java code only; the CPU each
     * thread used (from /proc, by thread name) also counts what they spent in the kernel — on a
     * broadcaster, most of it: the writes.
     */
    Map<String, Object> stop() throws IOException {
        Map<String, Long> threads = millisSince(threadsBefore, ProcessCpu.byThread(pid));
        jcmd(pid, "JFR.stop", "name=cost");
        Map<String, Long> topFrames = new HashMap<>();
        Map<String, Long> ownFrames = new HashMap<>();
        Map<String, Long> allocated = new HashMap<>();
        long samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            if (type.equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                samples++;
                topFrames.merge(method(frames.get(0)), 1L, Long::sum);
                frames.stream().filter(f -> f.getMethod().getType().getName().startsWith(OWN_CODE)).findFirst()
                        .ifPresent(f -> ownFrames.merge(method(f), 1L, Long::sum));
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                allocated.merge(event.getClass("objectClass").getName(), event.getLong("weight"), Long::sum);
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("recording", file.getFileName().toString());
        summary.put("executionSamples", samples);
        summary.put("cpuMillisByThread", threads);
        summary.put("topFrames", top(topFrames));
        summary.put("ownCodeFrames", top(ownFrames));
        summary.put("allocatedBytesByClass", top(allocated));
        return summary;
    }

    /** CPU milliseconds by thread name between two {@link ProcessCpu#byThread} readings, every thread, the busiest first. */
    static Map<String, Long> millisSince(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> spent = new LinkedHashMap<>();
        after.forEach((name, nanos) -> spent.put(name, (nanos - before.getOrDefault(name, 0L)) / 1_000_000));
        return largestFirst(spent, Long.MAX_VALUE);
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static Map<String, Long> top(Map<String, Long> counts) {
        return largestFirst(counts, TOP);
    }

    private static Map<String, Long> largestFirst(Map<String, Long> values, long limit) {
        Map<String, Long> sorted = new LinkedHashMap<>();
        values.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(limit)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static void jcmd(long pid, String... command) {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        args.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("jcmd: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
