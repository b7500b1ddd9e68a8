package dev.wslab.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessIT {
    @TempDir
    Path dir;

    @Test
    void aProcessThatDiesBeforeListeningFailsWithTheEndOfItsLog() {
        ManagedProcess p = ManagedProcess.start("dies", List.of("sh", "-c", "echo cannot bind port; exit 3"),
                Map.of(), dir.resolve("dies.log"));
        assertThatThrownBy(() -> p.awaitTcpPort("127.0.0.1", FreePorts.find(), Duration.ofSeconds(10)))
                .hasMessageContaining("exited with 3")
                .hasMessageContaining("cannot bind port");
    }

    @Test
    void stopEndsAProcessThatWouldRunForAMinute() {
        ManagedProcess p = ManagedProcess.start("sleeper", List.of("sleep", "60"), Map.of(), dir.resolve("s.log"));
        assertThat(p.isAlive()).isTrue();
        p.stop(Duration.ofSeconds(2));
        assertThat(p.isAlive()).isFalse();
    }
}
