package dev.wslab.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.Eventually;
import dev.wslab.server.guard.GuardedServer;
import dev.wslab.server.guard.HeadGuard;
import dev.wslab.server.metrics.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.wslab.server.auth.Identity;
import dev.wslab.server.client.Client;
import dev.wslab.server.client.Lb;
import dev.wslab.server.client.RateLimit;
import io.undertow.server.ServerConnection;
import java.nio.charset.StandardCharsets;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's listener, handshake and socket with an echoing endpoint behind them, driven by the
 * JDK's WebSocket client: once a socket is a WebSocket, Undertow's HTTP connection can be collected
 * while the socket lives on, reads, writes and closes — and its close reaches the endpoint with the
 * client's code.
 */
class HttpReleaseTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    GuardedServer server;
    final List<WeakReference<ServerConnection>> httpConnections = new CopyOnWriteArrayList<>();
    final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        Metrics metrics = new Metrics(new SimpleMeterRegistry());
        WebSocketConnection.Endpoint echo = new WebSocketConnection.Endpoint() {
            @Override
            public void text(Client client, RateLimit publishes, String text) {
                client.send(("echo:" + text).getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void binary(Client client) {
            }

            @Override
            public void refused(String error) {
            }

            @Override
            public void closed(Client client, int code) {
                closeCodes.add(code);
            }
        };
        Handshake handshake = new Handshake((exchange, stream, buffers) -> {
            WebSocketConnection socket = new WebSocketConnection(stream, buffers, 1024, echo, new RateLimit(1000, System.nanoTime()));
            socket.start(new Client("s", Lb.DIRECT, Identity.guest(), socket, 100, metrics));
        }, metrics);
        HeadGuard guard = new HeadGuard(Duration.ofSeconds(5), 8192, 100, code -> { });
        server = GuardedServer.start("127.0.0.1", 0, 1, 1, Duration.ofSeconds(30), guard, exchange -> {
            httpConnections.add(new WeakReference<>(exchange.getConnection()));
            handshake.handleRequest(exchange);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anOpenWebSocketNoLongerHoldsItsHttpConnectionAndStillEchoesAndCloses() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket client = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        received.add(data.toString());
                        ws.request(1);
                        return null;
                    }
                }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(httpConnections).hasSize(1);

        Eventually.until(() -> {
            System.gc();
            return httpConnections.get(0).get() == null;
        }, WAIT, "the upgraded socket's HTTP connection to be collected");

        client.sendText("hello", true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("echo:hello");
        client.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Eventually.until(() -> closeCodes.equals(List.of(WebSocket.NORMAL_CLOSURE)), WAIT, "the socket's close to be reported with 1000");
    }
}
