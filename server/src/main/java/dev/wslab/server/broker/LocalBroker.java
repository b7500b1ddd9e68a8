package dev.wslab.server.broker;

import dev.wslab.server.protocol.FrameTemplate;
import dev.wslab.server.state.LocalRoomState;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-process bus. Guarantee: <b>single node only</b> — events reach this node's own
 * subscribers and nobody else. It is the embedded default for one node, and in the lab it is the
 * configuration that shows what a cluster loses without a shared bus.
 *
 * <p>Publishing is synchronized so that numbers and delivery order agree, as the Redis script
 * makes them agree across nodes.
 */
public final class LocalBroker implements Broker {
    private final String nodeId;
    private final LocalRoomState numbers;
    private final Listener listener;
    private final Clock clock;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();

    public LocalBroker(String nodeId, LocalRoomState numbers, Listener listener, Clock clock) {
        this.nodeId = nodeId;
        this.numbers = numbers;
        this.listener = listener;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> subscribe(String room) {
        subscribed.add(room);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String room) {
        subscribed.remove(room);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Long> publishNumbered(String room, Number number, FrameTemplate template) {
        long value = numbers.increment(room, number);
        long seq = number == Number.SEQ ? value : 0;
        byte[] frame = template.fill(value);
        if (seq > 0) {
            numbers.remember(room, seq, frame);
        }
        deliver(room, seq, frame);
        return CompletableFuture.completedFuture(value);
    }

    @Override
    public synchronized CompletionStage<Void> publish(String room, byte[] frame) {
        deliver(room, 0, frame);
        return CompletableFuture.completedFuture(null);
    }

    private void deliver(String room, long seq, byte[] frame) {
        if (subscribed.contains(room)) {
            listener.onRoomEvent(room, Envelope.parse(Envelope.encode(nodeId, Micros.now(clock), seq, frame)));
        }
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public void close() {
        subscribed.clear();
    }
}
