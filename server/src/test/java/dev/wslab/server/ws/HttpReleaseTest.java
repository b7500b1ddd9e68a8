package dev.wslab.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.Eventually;
import dev.wslab.server.guard.GuardedServer;
import dev.wslab.server.guard.HeadGuard;
import dev.wslab.server.metrics.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.undertow.server.ServerConnection;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's listener and handshake with an echoing socket behind them: once a socket is a
 * WebSocket, Undertow's HTTP connection can be collected while the socket lives on, reads, writes
 * and closes as before — and its close still reaches the socket's own close tasks.
 */
class HttpReleaseTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    GuardedServer server;
    final List<WeakReference<ServerConnection>> httpConnections = new CopyOnWriteArrayList<>();
    final AtomicInteger closeTasksRun = new AtomicInteger();

    @BeforeEach
    void start() {
        Handshake handshake = new Handshake((exchange, channel, outbound) -> {
            channel.addCloseTask(ch -> closeTasksRun.incrementAndGet());
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel ws, BufferedTextMessage message) {
                    WebSockets.sendText("echo:" + message.getData(), ws, null);
                }
            });
            channel.resumeReceives();
        }, new Metrics(new SimpleMeterRegistry()));
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
        Eventually.until(() -> closeTasksRun.get() == 1, WAIT, "the socket's close task to run");
    }
}
