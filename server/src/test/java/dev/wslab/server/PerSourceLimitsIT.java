package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * haproxy.cfg's per-source limits, through the launcher's lab with the limits lowered: open
 * connections and new connections per source address, shared by every frontend. Each test speaks
 * from its own loopback address, so each starts with a clean entry in the table.
 */
class PerSourceLimitsIT {
    private static final int MAX_OPEN = 5;
    private static final int MAX_NEW = 12;

    @TempDir
    static Path runDir;
    static LabTopology topology;
    static Lab lab;

    @BeforeAll
    static void up() {
        topology = LabTopology.onFreePorts(Path.of("..").toAbsolutePath().normalize(), runDir, 1)
                .withHaproxySettings(Map.of("WSLAB_SRC_MAX_CONN", Integer.toString(MAX_OPEN),
                        "WSLAB_SRC_MAX_RATE", Integer.toString(MAX_NEW)));
        lab = new Lab(topology, new PrintStream(new ByteArrayOutputStream(), true));
        lab.up();
    }

    @AfterAll
    static void down() {
        lab.down();
    }

    @Test
    void aSourceOverItsOpenConnectionsIsAnswered429OnEveryFrontendWhileAnotherSourceIsServed() throws IOException {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_OPEN; i++) {
                Socket ws = connect("127.0.5.1", topology.stickyPort());
                ws.getOutputStream().write(upgrade());
                assertThat(RawSocket.readHead(ws.getInputStream())).as("WebSocket " + (i + 1)).startsWith("HTTP/1.1 101");
                open.add(ws);
            }
            for (int port : topology.frontends().values()) {
                try (Socket over = connect("127.0.5.1", port)) {
                    over.getOutputStream().write(upgrade());
                    String answer = new String(over.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(answer).as("port " + port).startsWith("HTTP/1.1 429").containsIgnoringCase("retry-after: 10")
                            .contains("too many connections from your address (at most " + MAX_OPEN + " open");
                }
            }
            assertThat(get("127.0.5.2", topology.roundRobinPort(), "/health")).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void aSourceOverItsNewConnectionRateIsAnswered429UntilTheWindowPasses() throws IOException {
        for (int i = 0; i < MAX_NEW; i++) {
            assertThat(get("127.0.6.1", topology.stickyPort(), "/health")).as("request " + (i + 1)).startsWith("HTTP/1.1 200");
        }
        assertThat(get("127.0.6.1", topology.roundRobinPort(), "/health")).startsWith("HTTP/1.1 429")
                .contains(MAX_NEW + " new per 10 s");
        assertThat(get("127.0.6.2", topology.stickyPort(), "/health")).startsWith("HTTP/1.1 200");
    }

    private static Socket connect(String source, int port) throws IOException {
        Socket s = new Socket(InetAddress.getByName(topology.host()), port, InetAddress.getByName(source), 0);
        s.setSoTimeout(10_000);
        return s;
    }

    private static String get(String source, int port, String path) throws IOException {
        try (Socket s = connect(source, port)) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static byte[] upgrade() {
        return ("GET /ws HTTP/1.1\r\nHost: lab\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

}
