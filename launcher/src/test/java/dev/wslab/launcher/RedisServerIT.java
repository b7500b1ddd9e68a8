package dev.wslab.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerIT {
    @TempDir
    Path dir;

    @Test
    void startsOnItsOwnPortAndKeepsDataAcrossARestart() {
        int port = FreePorts.find();
        try (RedisServer redis = RedisServer.start(dir, port)) {
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + port);
            assertThat(redis.command("SET", "wslab:test", "kept")).isEqualTo("OK");
            redis.restart();
            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.command("GET", "wslab:test")).isEqualTo("kept");
        }
        ManagedProcess.awaitPortFree("127.0.0.1", port, Duration.ofSeconds(1));
    }

    @Test
    void stopFreesThePort() throws Exception {
        int port = FreePorts.find();
        RedisServer redis = RedisServer.start(dir, port);
        redis.stop();
        assertThat(redis.isRunning()).isFalse();
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            throw new AssertionError("port " + port + " still accepts connections");
        } catch (java.net.ConnectException expected) {
            // nothing listens any more
        }
    }
}
