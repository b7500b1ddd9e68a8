package dev.wslab.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void withoutRedisANodeRunsOnTheLocalBroker() {
        Config config = Config.defaults();
        assertThat(config.bus().broker()).isEqualTo(Config.BrokerKind.LOCAL);
        assertThat(config.network().port()).isEqualTo(9001);
        assertThat(config.limits().maxFrameBytes()).isEqualTo(65536);
    }

    @Test
    void aRedisUriMakesTheRedisBrokerTheDefault() {
        Config config = Config.from(Map.of("WSLAB_REDIS_URI", "redis://127.0.0.1:6390", "WSLAB_NODE_ID", "node-2"),
                new Properties());
        assertThat(config.bus().broker()).isEqualTo(Config.BrokerKind.REDIS);
        assertThat(config.nodeId()).isEqualTo("node-2");
    }

    @Test
    void systemPropertiesOverrideTheEnvironment() {
        Properties props = new Properties();
        props.setProperty("wslab.port", "9100");
        props.setProperty("wslab.broker", "local");
        Config config = Config.from(Map.of("WSLAB_PORT", "9002", "WSLAB_REDIS_URI", "redis://x:1"), props);
        assertThat(config.network().port()).isEqualTo(9100);
        assertThat(config.bus().broker()).isEqualTo(Config.BrokerKind.LOCAL);
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> Config.from(Map.of("WSLAB_PORT", "eighty"), new Properties()))
                .hasMessageContaining("WSLAB_PORT");
        assertThatThrownBy(() -> Config.from(Map.of("WSLAB_BROKER", "redis"), new Properties()))
                .hasMessageContaining("WSLAB_REDIS_URI");
        assertThatThrownBy(() -> Config.from(Map.of("WSLAB_NODE_ID", "bad id!"), new Properties()))
                .hasMessageContaining("node id");
    }

    @Test
    void theReadmeDocumentsEverySettingWithItsDefault() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        for (dev.wslab.settings.Setting s : dev.wslab.settings.NodeSettings.ALL) {
            String defaultCell = s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`";
            assertThat(readme).contains("| `" + s.env() + "` | " + defaultCell + " | " + s.meaning() + " |");
        }
    }
}
