package dev.wslab.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespTest {
    private static Object read(String reply) throws Exception {
        return Resp.read(new ByteArrayInputStream(reply.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void encodesCommandsAsArraysOfBulkStrings() {
        assertThat(new String(Resp.encode("SET", "k", "vé"), StandardCharsets.UTF_8))
                .isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nvé\r\n");
    }

    @Test
    void readsEveryReplyKind() throws Exception {
        assertThat(read("+PONG\r\n")).isEqualTo("PONG");
        assertThat(read(":42\r\n")).isEqualTo(42L);
        assertThat(read("$5\r\nhe\r\no\r\n")).isEqualTo("he\r\no");
        assertThat(read("$-1\r\n")).isNull();
        assertThat(read("*2\r\n$7\r\nchannel\r\n:3\r\n")).isEqualTo(List.of("channel", 3L));
    }

    @Test
    void errorRepliesThrow() {
        assertThatThrownBy(() -> read("-ERR unknown command\r\n")).hasMessageContaining("ERR unknown command");
    }
}
