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

    @Test
    void clusterSeedsAloneRunTheBusOnTheClusterAndWithARedisUriTooRefuseToStart() {
        Config cluster = with("WSLAB_REDIS_CLUSTER", " 127.0.0.1:7001, 127.0.0.1:7002 ");
        assertThat(cluster.bus().broker()).isEqualTo(Config.BrokerKind.REDIS);
        assertThat(cluster.bus().redisCluster()).containsExactly("127.0.0.1:7001", "127.0.0.1:7002");
        assertThat(cluster.bus().redisUri()).isEmpty();
        assertThatThrownBy(() -> with("WSLAB_REDIS_CLUSTER", "127.0.0.1:7001", "WSLAB_REDIS_URI", "redis://127.0.0.1:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WSLAB_REDIS_URI").hasMessageContaining("WSLAB_REDIS_CLUSTER").hasMessageContaining("not both");
        assertThatThrownBy(() -> with("WSLAB_REDIS_CLUSTER", "127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
    }

    private static Config with(String... envPairs) {
        Map<String, String> env = new java.util.HashMap<>();
        for (int i = 0; i < envPairs.length; i += 2) {
            env.put(envPairs[i], envPairs[i + 1]);
        }
        return Config.from(env, new Properties());
    }

    @Test
    void eachLimitIsAcceptedAtItsMinimumAndRefusedJustBelowIt() {
        Config least = with("WSLAB_REQUEST_TIMEOUT_MS", "100", "WSLAB_MAX_HEADER_BYTES", "1024", "WSLAB_MAX_HEADERS", "8",
                "WSLAB_MAX_CONNECTIONS", "1", "WSLAB_BALANCE_INTERVAL_MS", "100", "WSLAB_REBALANCE_RATE", "1",
                "WSLAB_REBALANCE_TOLERANCE_PCT", "1");
        assertThat(least.limits().maxConnections()).isEqualTo(1);
        assertThat(least.limits().maxHeaders()).isEqualTo(8);
        assertThat(least.balance().rebalanceTolerance()).isEqualTo(0.01);
        for (String[] below : new String[][] {{"WSLAB_REQUEST_TIMEOUT_MS", "99"}, {"WSLAB_MAX_HEADER_BYTES", "1023"},
                {"WSLAB_MAX_HEADERS", "7"}, {"WSLAB_BALANCE_INTERVAL_MS", "99"}, {"WSLAB_REBALANCE_RATE", "0"},
                {"WSLAB_REBALANCE_TOLERANCE_PCT", "0"}}) {
            assertThatThrownBy(() -> with(below)).as(below[0] + "=" + below[1]).hasMessageContaining(below[0]);
        }
    }

    @Test
    void noConnectionCapMeansNineTenthsOfTheOpenFileLimit() {
        long files = ((com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        assertThat(with("WSLAB_MAX_CONNECTIONS", "0").limits().maxConnections())
                .isEqualTo((int) Math.min(Integer.MAX_VALUE, Math.max(100, files * 9 / 10)));
        assertThat(with("WSLAB_MAX_CONNECTIONS", "500").limits().maxConnections()).isEqualTo(500);
    }

    @Test
    void switchesChoicesAndListsAreReadWhateverTheirCaseAndSpacing() {
        Config config = with("WSLAB_REBALANCE", " TRUE ", "WSLAB_SESSIONS", "Shared", "WSLAB_ALLOWED_ORIGINS",
                " http://a , ,http://b ");
        assertThat(config.balance().rebalance()).isTrue();
        assertThat(with("WSLAB_REBALANCE", "false").balance().rebalance()).isFalse();
        assertThat(config.sessions().mode()).isEqualTo(Config.SessionMode.SHARED);
        assertThat(config.network().allowedOrigins()).containsExactly("http://a", "http://b");
        assertThatThrownBy(() -> with("WSLAB_REBALANCE", "yes")).hasMessageContaining("WSLAB_REBALANCE must be true or false");
        assertThatThrownBy(() -> with("WSLAB_SESSIONS", "everywhere")).hasMessageContaining("WSLAB_SESSIONS must be one of");
    }

    @Test
    void closedModeNeedsASecretOfAtLeast32BytesAndNeverPrintsIt() {
        assertThatThrownBy(() -> with("WSLAB_ANONYMOUS", "false")).hasMessageContaining("WSLAB_AUTH_SECRET");
        assertThatThrownBy(() -> with("WSLAB_AUTH_SECRET", "s".repeat(31))).hasMessageContaining("at least 32 bytes");
        Config closed = with("WSLAB_ANONYMOUS", "false", "WSLAB_AUTH_SECRET", "s".repeat(32), "WSLAB_API_KEY", "k3y");
        assertThat(closed.auth().anonymous()).isFalse();
        assertThat(closed.auth().toString()).isEqualTo("Auth[anonymous=false, authSecret=set, apiKey=set]")
                .doesNotContain("sss", "k3y");
        assertThat(Config.defaults().auth().toString()).isEqualTo("Auth[anonymous=true, authSecret=unset, apiKey=unset]");
    }

    @Test
    void theAdvertisedAddressIsTheConfiguredOneElseTheBoundHostWithThePort() {
        assertThat(with("WSLAB_ADVERTISE_ADDR", " node-1.lab:9001 ").advertised(9001)).isEqualTo("node-1.lab:9001");
        assertThat(with("WSLAB_HOST", "127.0.0.1").advertised(9005)).isEqualTo("127.0.0.1:9005");
        assertThat(with("WSLAB_HOST", "::1").advertised(9005)).isEqualTo("[::1]:9005");
        assertThat(with("WSLAB_HOST", "0.0.0.0").advertised(9005)).endsWith(":9005").doesNotStartWith("0.0.0.0");
    }
}
