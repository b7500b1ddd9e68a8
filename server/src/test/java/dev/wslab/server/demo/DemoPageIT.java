package dev.wslab.server.demo;

import dev.wslab.server.Http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser demo in a real browser: Debian's headless Chromium driven by playwright-core
 * (src/test/browser/demo.mjs) against the whole native lab, through the sticky frontend. Two pages
 * land on different nodes and see each other's counter clicks and chat; the first page's node is
 * killed and the page reconnects elsewhere by itself, with the counter unchanged and the chat intact.
 * Screenshots are kept in target/demo-screenshots.
 */
class DemoPageIT {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    static final Path SCRIPT_DIR = HOME.resolve("server/src/test/browser");
    static final java.time.Duration BROWSER_LIMIT = java.time.Duration.ofMinutes(3);

    @TempDir
    Path runDir;
    Lab lab;
    LabTopology topology;

    @BeforeEach
    void up() {
        topology = LabTopology.onFreePorts(HOME, runDir, 3);
        lab = new Lab(topology, System.out);
        lab.up();
        lab.awaitServersUp();
    }

    @AfterEach
    void down() {
        lab.down();
    }

    @Test
    void everyNodeServesThePageThroughBothFrontends() {
        for (int port : List.of(topology.stickyPort(), topology.roundRobinPort(), topology.nodePort(2))) {
            Http.Response page = Http.get(port, "/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("<title>wslab demo</title>", "/demo/app.js");
            assertThat(Http.get(port, "/demo/app.js").body()).contains("new WebSocket(", "'?room=' + encodeURIComponent(room)", "'&previous='");
        }
    }

    @Test
    void twoPagesShareTheCounterAndChatAndOneSurvivesItsNodeBeingKilled() throws Exception {
        assertThat(SCRIPT_DIR.resolve("node_modules/playwright-core")).as(
                "playwright-core is installed (./lab test runs npm ci in server/src/test/browser)").isDirectory();
        Path shots = HOME.resolve("server/target/demo-screenshots");
        // Screenshots of an earlier run must not stand in for this one's.
        if (Files.isDirectory(shots)) {
            try (var old = Files.list(shots)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    Files.delete(p);
                }
            }
        }
        ProcessBuilder builder = new ProcessBuilder("node", "demo.mjs").directory(SCRIPT_DIR.toFile()).redirectErrorStream(true);
        builder.environment().put("WSLAB_URL", topology.url(topology.stickyPort(), ""));
        builder.environment().put("WSLAB_SCREENSHOTS", shots.toString());
        Process browser = builder.start();
        // A hung browser must fail the test, not hang the build: past the limit the process is
        // killed, which ends the read loop below.
        Thread watchdog = new Thread(() -> {
            try {
                if (!browser.waitFor(BROWSER_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    System.out.println("demo.mjs: killed after " + BROWSER_LIMIT);
                    browser.destroyForcibly();
                }
            } catch (InterruptedException e) {
                browser.destroyForcibly();
            }
        }, "demo-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
             Writer toBrowser = new OutputStreamWriter(browser.getOutputStream(), StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                System.out.println("demo.mjs: " + line);
                output.add(line);
                if (line.startsWith("KILL ")) {
                    lab.kill(line.substring("KILL ".length()).trim());
                    toBrowser.write("killed\n");
                    toBrowser.flush();
                }
            }
        } finally {
            if (!browser.waitFor(120, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
            }
        }
        assertThat(browser.exitValue()).as(String.join("\n", output)).isZero();
        assertThat(output).contains("DONE");
        for (String shot : List.of("1-alice-before.png", "1-bob-before.png", "2-alice-after-reconnect.png", "2-bob-after.png")) {
            assertThat(shots.resolve(shot)).as(shot).isNotEmptyFile();
        }
    }
}
