package dev.wslab.server.guard;

import dev.wslab.server.TestNodes;
import dev.wslab.server.TestClient;
import dev.wslab.server.RawSocket;
import dev.wslab.server.Eventually;
import dev.wslab.server.Node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients on a node's own port that never finish a request: a slowloris, silent sockets, heads too
 * big or with too many fields. The node answers what HTTP lets it answer, counts it, lets go of the
 * sockets, and keeps serving everyone else meanwhile.
 */
class SlowClientsIT {
    private static final int SLOW = 200;
    private static final int TIMEOUT_MS = 1000;
    private static final int IDLE_MS = 1000;

    TestNodes nodes;
    Node node;

    @BeforeEach
    void start() {
        // An idle timeout far past the head timeout: what cuts a slow head must be the head guard.
        start(30_000);
    }

    private void start(int idleMs) {
        if (nodes != null) {
            nodes.close();
        }
        nodes = new TestNodes(null, Map.of("WSLAB_REQUEST_TIMEOUT_MS", Integer.toString(TIMEOUT_MS),
                "WSLAB_IDLE_TIMEOUT_MS", Integer.toString(idleMs)));
        node = nodes.start("guarded");
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aSlowlorisIsAnswered408AndLetGoWithinTheTimeoutWhileAFreshClientIsServed() throws Exception {
        int descriptorsBefore = openDescriptors();
        List<Socket> slow = new ArrayList<>();
        AtomicBoolean trickling = new AtomicBoolean(true);
        try {
            for (int i = 0; i < SLOW; i++) {
                Socket s = socket();
                s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            long started = System.nanoTime();
            Thread trickler = trickle(slow, trickling);
            try (TestClient fresh = TestClient.connect(node.port())) {
                fresh.await("welcome");
            }
            for (Socket s : slow) {
                assertThat(RawSocket.readHead(s.getInputStream())).startsWith("HTTP/1.1 408 Request Timeout");
            }
            long allAnsweredMs = (System.nanoTime() - started) / 1_000_000;
            // The timeout, plus at most a sweeper period (a quarter of it), plus scheduling slack.
            assertThat(allAnsweredMs).isLessThan(TIMEOUT_MS + TIMEOUT_MS / 4 + 1500);
            for (Socket s : slow) {
                assertThat(readToEnd(s)).as("the reason, then the node's close after the linger")
                        .contains("request head not complete within " + TIMEOUT_MS + " ms");
            }
            // After the linger the node has closed its ends: only the test's own ends stay open.
            Eventually.until(() -> openDescriptors() <= descriptorsBefore + SLOW + 20, Duration.ofSeconds(10),
                    "the node to close its ends of the slow sockets");
            trickling.set(false);
            trickler.join(5000);
        } finally {
            trickling.set(false);
            closeAll(slow);
        }
        assertThat(errors("request_timeout")).isEqualTo(SLOW);
    }

    @Test
    void silentSocketsAreClosedAfterTheIdleTimeoutWhileAFreshClientIsServed() throws Exception {
        start(IDLE_MS);
        int descriptorsBefore = openDescriptors();
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW; i++) {
                silent.add(socket());
            }
            long started = System.nanoTime();
            try (TestClient fresh = TestClient.connect(node.port())) {
                fresh.await("welcome");
            }
            for (Socket s : silent) {
                assertThat(readToEnd(s)).as("a socket that never sent a byte is closed without an answer").isEmpty();
            }
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(IDLE_MS + 2000);
            Eventually.until(() -> openDescriptors() <= descriptorsBefore + SLOW + 20, Duration.ofSeconds(10),
                    "the node to close its ends of the silent sockets");
        } finally {
            closeAll(silent);
        }
    }

    @Test
    void aKeptAliveSocketThatTricklesItsSecondRequestIsAnswered408() throws Exception {
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(RawSocket.readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
            out.write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(s)).contains("HTTP/1.1 408 Request Timeout");
        }
        assertThat(errors("request_timeout")).isEqualTo(1);
    }

    @Test
    void aHeadOverTheSizeLimitIsAnswered431WithTheLimit() throws Exception {
        try (Socket s = socket()) {
            s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + "c".repeat(40_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(s)).startsWith("HTTP/1.1 431 Request Header Fields Too Large")
                    .contains("request head over 32768 bytes");
        }
        assertThat(errors("headers_too_large")).isEqualTo(1);
    }

    @Test
    void aHeadWithTooManyFieldsIsAnswered431WithTheLimit() throws Exception {
        StringBuilder head = new StringBuilder("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < 150; i++) {
            head.append("X-Field-").append(i).append(": v\r\n");
        }
        try (Socket s = socket()) {
            s.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(s)).startsWith("HTTP/1.1 431").contains("more than 100 header fields");
        }
        assertThat(errors("headers_too_large")).isEqualTo(1);
    }

    @Test
    void aHeadUndertowCannotParseIsAnswered400AndCounted() throws Exception {
        try (Socket s = socket()) {
            s.getOutputStream().write("GET /health HTTP/1.1\r\nNo colon in this field\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(s)).startsWith("HTTP/1.1 400");
        }
        Eventually.until(() -> errors("bad_request") == 1, Duration.ofSeconds(5), "the 400 counted");
        try (TestClient fresh = TestClient.connect(node.port())) {
            fresh.await("welcome");
        }
        assertThat(errors("bad_request")).as("a good request afterwards is not counted").isEqualTo(1);
    }

    @Test
    void aBrowserSizedHeadSentInPiecesStillUpgrades() throws Exception {
        String[] pieces = {"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n",
            "Cookie: " + "c".repeat(20_000) + "\r\nUser-Agent: Mozilla/5.0\r\n\r\n"};
        try (Socket s = socket()) {
            for (String piece : pieces) {
                s.getOutputStream().write(piece.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                Thread.sleep(TIMEOUT_MS / 4);
            }
            assertThat(RawSocket.readHead(s.getInputStream())).startsWith("HTTP/1.1 101");
        }
        assertThat(errors("request_timeout")).isZero();
        assertThat(errors("headers_too_large")).isZero();
    }

    private Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", node.port());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends one more header line to every slow socket every 200 ms, for at most 10 s. */
    private static Thread trickle(List<Socket> sockets, AtomicBoolean running) {
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            for (int line = 0; running.get() && System.nanoTime() < deadline; line++) {
                for (Socket s : sockets) {
                    try {
                        s.getOutputStream().write(("X-Trickle-" + line + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException closed) {
                        // The node let go of this one: the point of the test.
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "slowloris");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String readToEnd(Socket s) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            s.getInputStream().transferTo(all);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the node neither answered nor closed within 10 s; got: " + all);
        } catch (IOException reset) {
            // A reset after the answer still leaves the answer read.
        }
        return all.toString(StandardCharsets.US_ASCII);
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Closing what the node already closed.
            }
        }
    }

    /** The node runs in this JVM: its sockets are this process's descriptors. */
    private static int openDescriptors() {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private long errors(String code) {
        return Math.round(node.metrics().errorCount(code));
    }
}
