package dev.wslab.loadtest.bench;

import io.undertow.Undertow;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.undertow.Handlers.path;
import static io.undertow.Handlers.websocket;

/**
 * The floor: the least a broadcaster on Undertow can do. Every text frame a client sends goes, as
 * the same bytes, to every connected socket — no JSON, no rooms, no Redis, no metrics, no queues.
 * The node's fanout is reported as a fraction of this one's, measured in the same run.
 *
 * <p>Run as its own process ({@code java -cp … FloorServer <port>}), like a node, so that its CPU
 * is not the load generator's.
 */
public final class FloorServer {
    private FloorServer() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Set<WebSocketChannel> sockets = ConcurrentHashMap.newKeySet();
        WebSocketConnectionCallback callback = (exchange, channel) -> {
            sockets.add(channel);
            channel.addCloseTask(sockets::remove);
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel from, BufferedTextMessage message) {
                    ByteBuffer bytes = ByteBuffer.wrap(message.getData().getBytes(StandardCharsets.UTF_8));
                    for (WebSocketChannel to : sockets) {
                        WebSockets.sendText(bytes.duplicate(), to, null);
                    }
                }
            });
            channel.resumeReceives();
        };
        Undertow server = Undertow.builder().addHttpListener(port, "127.0.0.1")
                .setHandler(path().addPrefixPath("/ws", websocket(callback))).build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        System.out.println("event=floor_ready port=" + port);
    }
}
