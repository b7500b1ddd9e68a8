package dev.wslab.loadtest.bench;

import io.undertow.Undertow;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.XnioIoThread;

import static io.undertow.Handlers.path;
import static io.undertow.Handlers.websocket;

/**
 * The floor: the least a broadcaster on Undertow can do. Every text frame a client sends goes, as
 * the same bytes, to every other connected socket — no JSON, no rooms, no Redis, no metrics, no queues.
 * The node's fanout is reported as a fraction of this one's, measured in the same run.
 *
 * <p>Two ways to do that least ({@code java -cp … FloorServer <port> batched|naive [io-threads]}; I/O
 * threads as the nodes count them, 0 = one per core, at least 2):
 * <ul>
 *   <li>batched (the floor the ratios refer to): the sockets are grouped by their I/O thread and each
 *       group is written by one task on its own thread — what the node does, and the only way that is
 *       safe, since Undertow's frame queue is not safe for concurrent senders;
 *   <li>naive: the receiving thread writes to every socket itself, whichever thread owns it — what a
 *       first attempt looks like; measured to show what the batching buys.
 * </ul>
 * Run as its own process, like a node, so that its CPU is not the load generator's.
 */
public final class FloorServer {
    private FloorServer() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        boolean naive = args.length > 1 && args[1].equals("naive");
        int ioThreads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Map<XnioIoThread, Set<WebSocketChannel>> byThread = new ConcurrentHashMap<>();
        WebSocketConnectionCallback callback = (exchange, channel) -> {
            Set<WebSocketChannel> group = byThread.computeIfAbsent(channel.getIoThread(), t -> ConcurrentHashMap.newKeySet());
            group.add(channel);
            channel.addCloseTask(group::remove);
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel from, BufferedTextMessage message) {
                    ByteBuffer bytes = ByteBuffer.wrap(message.getData().getBytes(StandardCharsets.UTF_8));
                    byThread.forEach((thread, sockets) -> {
                        Runnable write = () -> sockets.forEach(to -> {
                            if (to != from) {
                                WebSockets.sendText(bytes.duplicate(), to, null);
                            }
                        });
                        if (naive) {
                            write.run();
                        } else {
                            thread.execute(write);
                        }
                    });
                }
            });
            channel.resumeReceives();
        };
        Undertow server = Undertow.builder().addHttpListener(port, "127.0.0.1")
                .setIoThreads(ioThreads > 0 ? ioThreads : Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setHandler(path().addPrefixPath("/ws", websocket(callback))).build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        System.out.println("event=floor_ready port=" + port + " mode=" + (naive ? "naive" : "batched") + " io_threads=" + ioThreads);
    }
}
