package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wslab.launcher.RedisCluster;
import dev.wslab.launcher.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard's master dies on a real Redis Cluster (3 masters, 3 replicas) and its replica takes over:
 * what clients of two nodes see of the messages the old master numbered. Replication is
 * asynchronous, so the replica may lack the master's last seqs; they must never be given out again
 * (every client that had them would drop the new messages as duplicates), and a resume must report
 * them as missed.
 */
class RedisFailoverIT {
    private static final String ROOM = "busy";

    @TempDir
    Path dir;
    RedisCluster redis;
    TestNodes nodes;
    Node a;
    Node b;

    @BeforeEach
    void start() {
        redis = RedisCluster.start(dir, 3, 1);
        nodes = new TestNodes(null, Map.of("WSLAB_REDIS_CLUSTER", redis.seeds()));
        a = nodes.start("node-a");
        b = nodes.start("node-b");
    }

    @AfterEach
    void stop() {
        nodes.close();
        redis.close();
    }

    @Test
    void seqsTheLostMasterGaveOutAreNeverGivenAgainAndAResumeReportsThemMissed() {
        try (TestClient publisher = TestClient.connect(a.port());
                TestClient subscriber = TestClient.connect(b.port())) {
            publisher.await("welcome");
            subscriber.join(ROOM);
            long replicated = ackedSeq(publisher.publish(ROOM, "m1", "p1"));
            RedisServer master = redis.masterOf("{" + ROOM + "}");
            RedisServer replica = redis.replicaOf(master);
            awaitReplicated(master, replica);

            // The replica stops taking the master's writes, and the master lets go of its link (the
            // kernel would otherwise hand the paused replica what was already sent): what follows
            // exists on the master alone.
            replica.pause();
            master.command("CLIENT", "KILL", "TYPE", "replica");
            long lost = 0;
            for (int i = 2; i <= 4; i++) {
                lost = ackedSeq(publisher.publish(ROOM, "m" + i, "p" + i));
                assertThat(subscriber.awaitMessage(ROOM, "m" + i).get("seq").asLong()).isEqualTo(lost);
            }
            assertThat(lost).isEqualTo(replicated + 3);
            master.kill();
            replica.resume();
            replica.command("CLUSTER", "FAILOVER", "TAKEOVER");
            redis.awaitHealthy(Duration.ofSeconds(30));
            assertThat(replica.command("GET", nodes.keyPrefix() + ":room:{" + ROOM + "}:seq")).as("the new master's seq")
                    .isEqualTo(Long.toString(replicated));

            // The new master numbers on: its first seq lies past every seq the old one gave out, so
            // the subscriber, who had those, takes the new message instead of dropping it.
            JsonNode afterAck = publishUntilAcked(publisher, "after-failover");
            long after = afterAck.get("seq").asLong();
            assertThat(after).isGreaterThan(lost);
            // Live, the subscriber is told which seqs will not come, in place of the gap.
            JsonNode gap = subscriber.await("gap");
            assertThat(gap.get("from").asLong()).isEqualTo(lost + 1);
            assertThat(gap.get("to").asLong()).isEqualTo(after - 1);
            assertThat(subscriber.awaitMessage(ROOM, afterAck.get("id").asText()).get("seq").asLong()).isEqualTo(after);

            // A client that saw only what the replica had resumes: the three acked seqs the failover
            // lost are reported missed, never skipped as if there had been nothing.
            try (TestClient resumer = TestClient.connect(b.port())) {
                resumer.send("{\"type\":\"join\",\"room\":\"" + ROOM + "\",\"since\":" + replicated + "}");
                JsonNode joined = resumer.await("joined");
                assertThat(joined.get("seq").asLong()).isEqualTo(after);
                assertThat(joined.get("missed").asLong()).isGreaterThanOrEqualTo(lost - replicated);
                System.out.printf("failover: acked before the failover %d…%d, lost with the master %d…%d, first seq after %d, resume from %d: missed=%d resumed=%d%n",
                        replicated, lost, replicated + 1, lost, after, replicated, joined.get("missed").asLong(), joined.get("resumed").asLong());
            }
        }
    }

    /**
     * Lettuce keeps a shard channel's subscription on the node it was made on (redis/lettuce#3213):
     * when that master is taken out of the cluster, the node must subscribe on the new owner of
     * the room's slot by itself, or the room goes quiet on that node for good.
     */
    @Test
    void aRoomWhoseMasterIsRemovedFromTheClusterKeepsDeliveringFromTheSlotsNewMaster() {
        try (TestClient publisher = TestClient.connect(a.port());
                TestClient subscriber = TestClient.connect(b.port())) {
            publisher.await("welcome");
            subscriber.join(ROOM);
            long before = ackedSeq(publisher.publish(ROOM, "before", "p1"));
            assertThat(subscriber.awaitMessage(ROOM, "before").get("seq").asLong()).isEqualTo(before);
            String channel = nodes.keyPrefix() + ":room:{" + ROOM + "}";
            RedisServer master = redis.masterOf(channel);
            RedisServer heir = redis.servers().stream()
                    .filter(s -> s != master && s.command("ROLE").toString().startsWith("[master")).findFirst().orElseThrow();

            redis.removeMaster(master, heir);

            assertThat(redis.masterOf(channel)).isSameAs(heir);
            JsonNode ack = publishUntilAcked(publisher, "after-removal");
            assertThat(subscriber.awaitMessage(ROOM, ack.get("id").asText()).get("seq").asLong())
                    .isEqualTo(ack.get("seq").asLong()).isGreaterThan(before);
            assertThat(heir.command("PUBSUB", "SHARDNUMSUB", channel).toString()).as("node-b subscribed on the heir")
                    .isEqualTo("[" + channel + ", 1]");
        }
    }

    @Test
    void underSteadyPublishingEveryAckedSeqIsDeliveredOrReportedMissedWhenTheRoomsMasterIsKilled() throws Exception {
        try (TestClient publisher = TestClient.connect(a.port());
                TestClient onA = TestClient.connect(a.port());
                TestClient onB = TestClient.connect(b.port())) {
            publisher.await("welcome");
            onA.join(ROOM);
            onB.join(ROOM);
            RedisServer master = redis.masterOf("{" + ROOM + "}");
            // 40 publishes a second for 15 s; the master is killed once 40 of them were sent.
            int count = 600;
            Thread load = new Thread(() -> {
                for (int i = 0; i < count; i++) {
                    publisher.send("{\"type\":\"publish\",\"room\":\"" + ROOM + "\",\"id\":\"s" + i + "\",\"body\":{\"text\":\"s" + i + "\"}}");
                    if (i == 40) {
                        master.kill();
                    }
                    LockSupport.parkNanos(25_000_000);
                }
            });
            load.start();
            load.join(Duration.ofSeconds(30).toMillis());
            assertThat(load.isAlive()).as("the publisher finished").isFalse();

            TreeMap<Long, String> acked = new TreeMap<>();
            int unavailable = 0;
            for (int i = 0; i < count; i++) {
                String id = "s" + i;
                JsonNode reply = publisher.await(e -> id.equals(e.path("id").asText()), "the reply to " + id);
                if ("ack".equals(reply.get("type").asText())) {
                    acked.put(reply.get("seq").asLong(), id);
                } else {
                    assertThat(reply.path("code").asText()).as("reply %s", reply).isEqualTo("unavailable");
                    unavailable++;
                }
            }
            assertThat(acked.values()).as("publishes acked again after the failover")
                    .anyMatch(id -> Integer.parseInt(id.substring(1)) > 41);
            long lastAcked = acked.lastKey();
            List<String> report = new ArrayList<>();
            report.add("acked=" + acked.size() + " unavailable=" + unavailable);
            for (TestClient subscriber : List.of(onA, onB)) {
                TreeMap<Long, String> seen = new TreeMap<>();
                TreeMap<Long, Long> gaps = new TreeMap<>();
                receiveUpTo(subscriber, acked.get(lastAcked), seen, gaps);
                int delivered = 0;
                int saidLive = 0;
                int replayed = 0;
                int missed = 0;
                for (Map.Entry<Long, String> ack : acked.entrySet()) {
                    Map.Entry<Long, Long> gap = gaps.floorEntry(ack.getKey());
                    if (seen.containsKey(ack.getKey())) {
                        assertThat(seen.get(ack.getKey())).as("the message of seq %d", ack.getKey()).isEqualTo(ack.getValue());
                        delivered++;
                    } else if (gap != null && gap.getValue() >= ack.getKey()) {
                        saidLive++;
                    } else if (resumeReplays(subscriber == onA ? a : b, seen.floorKey(ack.getKey()), ack)) {
                        replayed++;
                    } else {
                        missed++;
                    }
                }
                report.add((subscriber == onA ? "node-a" : "node-b") + ": delivered=" + delivered + " in a gap event=" + saidLive
                        + " replayed on resume=" + replayed
                        + " reported missed on resume=" + missed);
            }
            System.out.println("failover under load: " + String.join(", ", report));
        }
    }

    /**
     * Every message the subscriber received up to the one with {@code lastText}, by seq, and every gap
     * it was told of, from → to: seqs always rising, never one twice, a gap only where none came.
     */
    private static void receiveUpTo(TestClient subscriber, String lastText, TreeMap<Long, String> seen, TreeMap<Long, Long> gaps) {
        long previous = 0;
        while (true) {
            JsonNode event = subscriber.await(e -> e.path("type").asText().matches("message|gap"), "a message or a gap");
            if (event.get("type").asText().equals("gap")) {
                assertThat(event.get("from").asLong()).as("a gap starts after what came").isGreaterThan(previous);
                gaps.put(event.get("from").asLong(), event.get("to").asLong());
                previous = event.get("to").asLong();
                continue;
            }
            long seq = event.get("seq").asLong();
            assertThat(seq).as("seqs rise, none twice").isGreaterThan(previous);
            previous = seq;
            String text = event.at("/body/text").asText();
            seen.put(seq, text);
            if (text.equals(lastText)) {
                return;
            }
        }
    }

    /**
     * A client resuming from the last seq it had before {@code ack} either gets that message back
     * or is told it missed some (it reloads the room): never a resume that skips it silently.
     */
    private boolean resumeReplays(Node node, Long since, Map.Entry<Long, String> ack) {
        try (TestClient resumer = TestClient.connect(node.port())) {
            resumer.send("{\"type\":\"join\",\"room\":\"" + ROOM + "\",\"since\":" + (since == null ? 0 : since) + "}");
            JsonNode joined = resumer.await("joined");
            if (joined.get("missed").asLong() > 0) {
                return false;
            }
            JsonNode replayed = resumer.await(e -> e.path("seq").asLong() == ack.getKey(), "the replay of seq " + ack.getKey());
            assertThat(replayed.at("/body/text").asText()).isEqualTo(ack.getValue());
            return true;
        }
    }

    private static long ackedSeq(JsonNode reply) {
        assertThat(reply.get("type").asText()).as("reply %s", reply).isEqualTo("ack");
        return reply.get("seq").asLong();
    }

    /** The replica has applied everything the master wrote (their replication offsets agree). */
    private static void awaitReplicated(RedisServer master, RedisServer replica) {
        Eventually.until(() -> offset(replica, "slave_repl_offset") == offset(master, "master_repl_offset"),
                Duration.ofSeconds(10), "the replica has the master's writes");
    }

    private static long offset(RedisServer server, String field) {
        for (String line : server.command("INFO", "replication").toString().split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        return -1;
    }

    /**
     * While the nodes find the new master, a publish may be answered unavailable: sent again, each
     * time with its id as its text (a refused one may still have been numbered). The ack.
     */
    private static JsonNode publishUntilAcked(TestClient publisher, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int attempt = 1; ; attempt++) {
            JsonNode reply = publisher.publish(ROOM, text + "-" + attempt, text + "-" + attempt);
            if ("ack".equals(reply.get("type").asText())) {
                return reply;
            }
            assertThat(reply.path("code").asText()).as("reply %s", reply).isEqualTo("unavailable");
            assertThat(System.nanoTime()).as("acked within 30 s").isLessThan(deadline);
        }
    }
}
