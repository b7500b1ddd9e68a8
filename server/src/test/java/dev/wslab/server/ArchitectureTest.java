package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/ARCHITECTURE.md that a build can check: dependencies between packages point one
 * way (read from the compiled classes by the JDK's own {@code jdeps}), and no source file is longer
 * than 300 lines.
 */
class ArchitectureTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final int MAX_LINES = 300;

    @Test
    void noPackageOfTheServerOrTheLauncherDependsOnItselfThroughOthers() {
        // How many packages each module has at least: a jdeps run that read nothing must not pass.
        for (Map.Entry<String, Integer> module : Map.of("server", 15, "launcher", 2).entrySet()) {
            Map<String, Set<String>> graph = packageGraph(ROOT.resolve(module.getKey()).resolve("target/classes"));
            assertThat(graph).as(module.getKey() + "'s packages, as jdeps reads them").hasSizeGreaterThanOrEqualTo(module.getValue());
            assertThat(cycles(graph)).as("package cycles in " + module.getKey() + " (each: the packages that reach each other)").isEmpty();
        }
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertThat(cycles(graph)).containsExactly(new TreeSet<>(Set.of("a", "b", "c")));
    }

    @Test
    void noSourceFileIsLongerThan300Lines() throws IOException {
        Map<String, Long> tooLong = new TreeMap<>();
        int seen = 0;
        for (String module : List.of("settings", "server", "launcher", "loadtest")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    seen++;
                    long lines;
                    try (Stream<String> l = Files.lines(file)) {
                        lines = l.count();
                    }
                    if (lines > MAX_LINES) {
                        tooLong.put(ROOT.relativize(file).toString(), lines);
                    }
                }
            }
        }
        assertThat(seen).as("Java sources found").isGreaterThan(100);
        assertThat(tooLong).as("files over " + MAX_LINES + " lines").isEmpty();
    }

    /** Package → the other dev.wslab packages its classes use. */
    private static Map<String, Set<String>> packageGraph(Path classes) {
        assertThat(classes).as("compiled classes").isDirectory();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                "-verbose:package", "-filter:none", classes.toString());
        assertThat(rc).as("jdeps exit code").isZero();
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 3 && parts[1].equals("->") && parts[0].startsWith("dev.wslab")) {
                Set<String> edges = graph.computeIfAbsent(parts[0], p -> new TreeSet<>());
                if (parts[2].startsWith("dev.wslab") && !parts[2].equals(parts[0])) {
                    edges.add(parts[2]);
                }
            }
        }
        return graph;
    }

    /** The strongly connected components with more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        List<String> stack = new ArrayList<>();
        List<Set<String>> found = new ArrayList<>();
        for (String p : new TreeSet<>(graph.keySet())) {
            if (!index.containsKey(p)) {
                visit(p, graph, index, low, stack, found);
            }
        }
        return found;
    }

    private static void visit(String p, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
            List<String> stack, List<Set<String>> found) {
        index.put(p, index.size());
        low.put(p, index.get(p));
        stack.add(p);
        for (String q : graph.getOrDefault(p, Set.of())) {
            if (!index.containsKey(q)) {
                visit(q, graph, index, low, stack, found);
                low.put(p, Math.min(low.get(p), low.get(q)));
            } else if (stack.contains(q)) {
                low.put(p, Math.min(low.get(p), index.get(q)));
            }
        }
        if (low.get(p).equals(index.get(p))) {
            Set<String> component = new TreeSet<>();
            String q;
            do {
                q = stack.remove(stack.size() - 1);
                component.add(q);
            } while (!q.equals(p));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
